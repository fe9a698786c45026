package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-tenant limits through a real server: Mimir's {@code max_global_series_per_user} on both
 * ingest paths' shared appender, and the query limits (max samples, total query length) from
 * the runtime overrides file, for one tenant and not the others.
 */
class LimitsEndToEndTest {
  private static final String V1 = RemoteWriteVersion.V1.contentType();

  static WriteRequest series(int from, int to, long t) {
    WriteRequest.Builder b = WriteRequest.newBuilder();
    for (int i = from; i < to; i++) {
      b.addTimeseries(ServerEndToEndTest.series("__name__", "m", "i", Integer.toString(i))
          .addSamples(ServerEndToEndTest.sample(t, i)));
    }
    return b.build();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void seriesLimitRefusesNewSeriesOnlyAndIsCounted(@TempDir Path dir) throws Exception {
    ServerConfig config = TestServer.config(dir).withLimits(
        TestServer.config(dir).limits().withMaxGlobalSeriesPerUser(3));
    try (TestServer s = new TestServer(config)) {
      HttpResponse<String> r = s.push("t", V1, series(0, 5, 10_000).toByteArray());
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body().strip()).isEqualTo("per-user series limit of 3 exceeded "
          + "(err-mimir-max-series-per-user). To adjust the related per-tenant limit, configure "
          + "-ingester.max-global-series-per-user, or contact your service administrator.");
      // The series within the limit were stored, and keep taking samples.
      r = s.push("t", V1, series(0, 3, 20_000).toByteArray());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(s.get("t", "/api/v1/query?time=30&query=" + q("count(m)")).body())
          .contains("\"value\":[30,\"3\"]");
      // Another tenant has its own count.
      assertThat(s.push("u", V1, series(0, 3, 10_000).toByteArray()).statusCode())
          .isEqualTo(200);
      assertThat(s.get(null, "/metrics").body()).contains(
          "vigil_discarded_samples_total{reason=\"per_user_series_limit\",user=\"t\"} 2.0");
    }
  }

  @Test
  void queryLimitsComeFromTheRuntimeOverrides(@TempDir Path dir) throws Exception {
    Path rc = dir.resolve("runtime.yaml");
    Files.writeString(rc, """
        overrides:
          small:
            max_samples_per_query: 4
            max_total_query_length: 1h
            query_timeout: 10s
        """);
    try (TestServer s = new TestServer(TestServer.config(dir.resolve("data"))
        .withRuntimeConfigFile(rc))) {
      for (String tenant : new String[] {"small", "big"}) {
        assertThat(s.push(tenant, V1, series(0, 10, 10_000).toByteArray()).statusCode())
            .isEqualTo(200);
      }
      HttpResponse<String> r = s.get("small", "/api/v1/query_range?query=m&start=0&end=7201"
          + "&step=60");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("\"errorType\":\"bad_data\"", "the total query time range "
          + "exceeds the limit (query length: 2h0m1s, limit: 1h0m0s) "
          + "(err-mimir-max-total-query-length). To adjust the related per-tenant limit, "
          + "configure -query-frontend.max-total-query-length, or contact your service "
          + "administrator.");
      r = s.get("small", "/api/v1/query?time=20&query=m");
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(r.body()).contains("query processing would load too many samples into memory");
      // Federated reads take the strictest limits of their tenants.
      assertThat(s.get("big|small", "/api/v1/query?time=20&query=m").statusCode())
          .isEqualTo(422);
      // Other tenants keep the server's limits.
      assertThat(s.get("big", "/api/v1/query?time=20&query=m").statusCode()).isEqualTo(200);
      assertThat(s.get("big", "/api/v1/query_range?query=m&start=0&end=7201&step=60")
          .statusCode()).isEqualTo(200);
    }
  }

  @Test
  void outOfOrderWindowAndExemplarCapacityArePerTenant(@TempDir Path dir) throws Exception {
    Path rc = dir.resolve("runtime.yaml");
    Files.writeString(rc, """
        overrides:
          late:
            out_of_order_time_window: 10m
            max_global_exemplars_per_user: 0
        """);
    try (TestServer s = new TestServer(TestServer.config(dir.resolve("data"))
        .withRuntimeConfigFile(rc))) {
      for (String tenant : new String[] {"late", "strict"}) {
        WriteRequest newest = WriteRequest.newBuilder().addTimeseries(
            ServerEndToEndTest.series("__name__", "m").addSamples(
                ServerEndToEndTest.sample(1_200_000, 1))
                .addExemplars(ExemplarEndToEndTest.exemplar(1, 1_200_000, "trace_id", "a")))
            .build();
        assertThat(s.push(tenant, V1, newest.toByteArray()).statusCode()).isEqualTo(200);
      }
      // Five minutes behind the newest sample: inside "late"'s window, refused for "strict".
      WriteRequest older = WriteRequest.newBuilder().addTimeseries(
          ServerEndToEndTest.series("__name__", "m").addSamples(
              ServerEndToEndTest.sample(900_000, 2))).build();
      HttpResponse<String> late = s.push("late", V1, older.toByteArray());
      assertThat(late.statusCode()).as(late.body()).isEqualTo(200);
      HttpResponse<String> strict = s.push("strict", V1, older.toByteArray());
      assertThat(strict.statusCode()).isEqualTo(400);
      assertThat(strict.body()).contains("out of order");
      assertThat(s.get("late", "/api/v1/query?time=1000&query=" + q("m")).body())
          .contains("\"value\":[1000,\"2\"]");

      String exemplars = "/api/v1/query_exemplars?query=m&start=0&end=2000";
      assertThat(s.get("late", exemplars).body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
      assertThat(s.get("strict", exemplars).body()).contains("\"trace_id\":\"a\"");
      assertThat(s.get(null, "/api/v1/status/flags").body())
          .contains("\"ingester.out-of-order-time-window\":\"0s\"",
              "\"ingester.max-global-exemplars-per-user\":\"100000\"",
              "\"blocks-storage.tsdb.wal-fsync\":\"commit\"");
    }
  }

  @Test
  void tenantDatabasesOpenWithTheirLimitsAndTheServersWalPolicy() {
    TenantLimits limits = TenantLimits.MIMIR_DEFAULTS
        .withStorageLimits(java.time.Duration.ofMinutes(10), 7);
    dev.vigil.tsdb.wal.WalOptions wal = dev.vigil.tsdb.wal.WalOptions.defaults()
        .withFsync(dev.vigil.tsdb.wal.FsyncPolicy.INTERVAL);
    dev.vigil.tsdb.TsdbOptions o = VigilServer.tsdbOptions(limits, wal, false);
    assertThat(o.head().outOfOrderWindowMs()).isEqualTo(600_000);
    assertThat(o.head().maxExemplars()).isEqualTo(7);
    assertThat(o.head().startTimestampZeroSamples()).isFalse();
    assertThat(o.wal()).isEqualTo(wal);
    assertThat(VigilServer.tsdbOptions(limits, wal, true).head().startTimestampZeroSamples())
        .isTrue();
  }
}
