package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.server.maintenance.TsdbLimitsUpdater;
import dev.vigil.server.limits.RuntimeOverrides;
import dev.vigil.tsdb.Tsdb;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant's {@code out_of_order_time_window} and {@code max_global_exemplars_per_user} changed
 * in the runtime config reach its open database at once (as in Mimir), through
 * {@code POST /-/reload} or a reload of the runtime config: the database is the same instance
 * before and after, never closed and reopened.
 */
class LiveLimitsEndToEndTest {
  private static final String V1 = RemoteWriteVersion.V1.contentType();
  private static final String EXEMPLARS = "/api/v1/query_exemplars?query=m&start=0&end=2000";

  @TempDir
  Path dir;

  private final List<String> logs = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logs.add(new SimpleFormatter().formatMessage(r));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLogs() {
    Logger.getLogger(RuntimeOverrides.class.getName()).addHandler(capture);
    Logger.getLogger(TsdbLimitsUpdater.class.getName()).addHandler(capture);
  }

  @AfterEach
  void stopCapturing() {
    Logger.getLogger(RuntimeOverrides.class.getName()).removeHandler(capture);
    Logger.getLogger(TsdbLimitsUpdater.class.getName()).removeHandler(capture);
  }

  private static WriteRequest sample(long t, double v) {
    return WriteRequest.newBuilder().addTimeseries(ServerEndToEndTest.series("__name__", "m")
        .addSamples(ServerEndToEndTest.sample(t, v))).build();
  }

  private static WriteRequest sampleWithExemplar(long t, double v, String trace) {
    return WriteRequest.newBuilder().addTimeseries(ServerEndToEndTest.series("__name__", "m")
        .addSamples(ServerEndToEndTest.sample(t, v))
        .addExemplars(ExemplarEndToEndTest.exemplar(v, t, "trace_id", trace))).build();
  }

  private static HttpResponse<String> reload(TestServer s) throws Exception {
    return s.client.send(HttpRequest.newBuilder(s.uri("/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Tsdb openDatabase(TestServer s, String tenant) {
    return (Tsdb) s.server.storages().openStores().get(tenant);
  }

  private Path runtimeConfig(String yaml) throws Exception {
    Path rc = dir.resolve("runtime.yaml");
    Files.writeString(rc, yaml);
    return rc;
  }

  private TestServer serverWith(Path runtimeConfig) throws Exception {
    return new TestServer(TestServer.config(dir.resolve("data"))
        .withRuntimeConfigFile(runtimeConfig));
  }

  private static String query(TestServer s, String tenant, String expr, long time)
      throws Exception {
    return s.get(tenant, "/api/v1/query?time=" + time + "&query="
        + URLEncoder.encode(expr, StandardCharsets.UTF_8)).body();
  }

  @Test
  void aLateSampleRefusedBeforeIsAcceptedAfterTheReloadAndTheReverse() throws Exception {
    Path rc = runtimeConfig("overrides:\n  other:\n    ingestion_rate: 5\n");
    try (TestServer s = serverWith(rc)) {
      assertThat(s.push("t", V1, sample(1_200_000, 1).toByteArray()).statusCode())
          .isEqualTo(200);
      Tsdb db = openDatabase(s, "t");
      // Five minutes behind the newest sample: refused with the default window of 0.
      HttpResponse<String> refused = s.push("t", V1, sample(900_000, 2).toByteArray());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("out of order");

      Files.writeString(rc, """
          overrides:
            other:
              ingestion_rate: 5
            t:
              out_of_order_time_window: 10m
          """);
      HttpResponse<String> r = reload(s);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      HttpResponse<String> accepted = s.push("t", V1, sample(900_000, 2).toByteArray());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
      assertThat(query(s, "t", "m", 1000)).contains("\"value\":[1000,\"2\"]");
      assertThat(openDatabase(s, "t")).as("the same open database").isSameAs(db);
      assertThat(db.options().head().outOfOrderWindowMs()).isEqualTo(600_000);
      assertThat(logs).contains(
          "runtime config " + rc + ": limits of tenant t changed: "
              + "out_of_order_time_window 0s -> 10m0s",
          "tenant t: applied to its open database: out_of_order_time_window 0s -> 10m0s");

      // Back to the default: the next late sample is refused again.
      Files.writeString(rc, "overrides:\n  other:\n    ingestion_rate: 5\n");
      assertThat(reload(s).statusCode()).isEqualTo(200);
      refused = s.push("t", V1, sample(1_000_000, 3).toByteArray());
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("out of order", "out-of-order window is 0");
      assertThat(openDatabase(s, "t")).isSameAs(db);
      assertThat(logs).contains("tenant t: applied to its open database: "
          + "out_of_order_time_window 10m0s -> 0s");
      // What was accepted stays.
      assertThat(query(s, "t", "m", 1000)).contains("\"value\":[1000,\"2\"]");
    }
  }

  @Test
  void theExemplarLimitShrinksKeepingTheNewestAndZeroDropsThemAll() throws Exception {
    Path rc = runtimeConfig("");
    try (TestServer s = serverWith(rc)) {
      for (int i = 1; i <= 3; i++) {
        assertThat(s.push("t", V1, sampleWithExemplar(i * 100_000L, i, "trace" + i)
            .toByteArray()).statusCode()).isEqualTo(200);
      }
      Tsdb db = openDatabase(s, "t");
      assertThat(s.get("t", EXEMPLARS).body()).contains("trace1", "trace2", "trace3");

      Files.writeString(rc, "overrides:\n  t:\n    max_global_exemplars_per_user: 2\n");
      s.server.limits().reload(); // what the periodic reload calls
      String kept = s.get("t", EXEMPLARS).body();
      assertThat(kept).contains("trace2", "trace3").doesNotContain("trace1");
      assertThat(logs).contains("tenant t: applied to its open database: "
          + "max_global_exemplars_per_user 100000 -> 2 (exemplars held 3 -> 2)");

      Files.writeString(rc, "overrides:\n  t:\n    max_global_exemplars_per_user: 0\n");
      assertThat(reload(s).statusCode()).isEqualTo(200);
      assertThat(s.get("t", EXEMPLARS).body())
          .isEqualTo("{\"status\":\"success\",\"data\":[]}");
      // Pushed exemplars are dropped while the limit is 0; their samples are stored.
      assertThat(s.push("t", V1, sampleWithExemplar(400_000, 4, "trace4").toByteArray())
          .statusCode()).isEqualTo(200);
      assertThat(s.get("t", EXEMPLARS).body())
          .isEqualTo("{\"status\":\"success\",\"data\":[]}");

      Files.writeString(rc, "overrides:\n  t:\n    max_global_exemplars_per_user: 10\n");
      assertThat(reload(s).statusCode()).isEqualTo(200);
      assertThat(s.push("t", V1, sampleWithExemplar(500_000, 5, "trace5").toByteArray())
          .statusCode()).isEqualTo(200);
      assertThat(s.get("t", EXEMPLARS).body()).contains("trace5").doesNotContain("trace4");
      assertThat(openDatabase(s, "t")).isSameAs(db);
    }
  }

  @Test
  void aTenantWhoseDatabaseIsClosedOpensItWithTheNewLimits() throws Exception {
    Path rc = runtimeConfig("");
    try (TestServer s = serverWith(rc)) {
      Files.writeString(rc, "overrides:\n  fresh:\n    out_of_order_time_window: 10m\n");
      assertThat(reload(s).statusCode()).isEqualTo(200);
      assertThat(s.server.storages().openStores()).doesNotContainKey("fresh");
      assertThat(s.push("fresh", V1, sample(1_200_000, 1).toByteArray()).statusCode())
          .isEqualTo(200);
      assertThat(s.push("fresh", V1, sample(900_000, 2).toByteArray()).statusCode())
          .isEqualTo(200);
      assertThat(logs).noneMatch(l -> l.startsWith("tenant fresh: applied"));
    }
  }

  @Test
  void aBrokenRuntimeConfigFailsTheReloadAndKeepsTheLimitsInForce() throws Exception {
    Path rc = runtimeConfig("overrides:\n  t:\n    out_of_order_time_window: 10m\n");
    try (TestServer s = serverWith(rc)) {
      assertThat(s.push("t", V1, sample(1_200_000, 1).toByteArray()).statusCode())
          .isEqualTo(200);
      Files.writeString(rc, "overrides:\n  t:\n    out_of_order_time_window: 3h\n");
      HttpResponse<String> r = reload(s);
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).startsWith("failed to reload config: runtime config " + rc
          + ": tenant 't': out-of-order time window PT3H is not in [0, 1h]");
      assertThat(s.push("t", V1, sample(900_000, 2).toByteArray()).statusCode())
          .isEqualTo(200);
      assertThat(openDatabase(s, "t").options().head().outOfOrderWindowMs())
          .isEqualTo(600_000);
    }
  }
}
