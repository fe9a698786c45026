package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.server.maintenance.MaintenanceOptions;
import dev.vigil.tsdb.Backfill;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's TSDB upkeep: one maintenance pass cuts the head into blocks, compacts them,
 * applies time retention and closes idle tenants, counting each in {@code /metrics}; data
 * inside the retention stays queryable, and a closed tenant reopens on its next request.
 */
class MaintenanceEndToEndTest {
  private static final long HOUR = 3_600_000;

  /** A clock the test moves by hand. */
  static final class ManualClock extends Clock {
    volatile long millis;

    ManualClock(long millis) {
      this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  static double metric(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void cutsCompactsAppliesRetentionAndClosesIdleTenants(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock(40 * HOUR);
    ServerConfig config = ServerConfig.defaults(dir).withListen("127.0.0.1", 0).withClock(clock)
        .withIngestionRate(0, 0)
        .withMaintenance(new MaintenanceOptions(Duration.ZERO, Duration.ofHours(5), 0,
            Duration.ofMinutes(10)));
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        var client = java.net.http.HttpClient.newHttpClient()) {
      // 30 hours of one sample every 10 minutes, for three series.
      WriteRequest.Builder req = WriteRequest.newBuilder();
      for (int s = 0; s < 3; s++) {
        TimeSeries.Builder ts = ServerEndToEndTest.series("__name__", "m", "s",
            Integer.toString(s));
        for (long t = 0; t <= 30 * HOUR; t += 600_000) {
          ts.addSamples(ServerEndToEndTest.sample(t, t / 600_000.0));
        }
        req.addTimeseries(ts);
      }
      push(client, server, req.build());

      server.maintenance().runOnce();

      Tsdb tsdb = (Tsdb) server.storages().openStores().get("t");
      assertThat(tsdb.blocks()).isNotEmpty();
      assertThat(tsdb.head().maxTime() - Math.max(tsdb.head().minTime(),
          tsdb.head().minValidTime())).isLessThanOrEqualTo(3 * HOUR);
      for (var b : tsdb.blocks()) {
        assertThat(b.meta().maxTime()).isGreaterThan(30 * HOUR - 5 * HOUR);
      }
      String metrics = new String(server.metrics().scrape("text/plain").body(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metric(metrics, "vigil_tsdb_blocks_cut_total{user=\"t\"}")).isGreaterThan(10);
      assertThat(metric(metrics, "vigil_tsdb_compactions_total{user=\"t\"}")).isPositive();
      assertThat(metric(metrics, "vigil_tsdb_retention_deleted_blocks_total{user=\"t\"}"))
          .isPositive();
      assertThat(metric(metrics, "vigil_ingester_memory_users")).isEqualTo(1);
      assertThat(metric(metrics, "vigil_ingester_memory_series")).isEqualTo(3);
      assertThat(metrics).containsPattern(
          "(?m)^vigil_tsdb_samples_dropped_at_commit_total\\{user=\"t\"\\} 0(\\.0)?$");

      // Data inside the retention is still there, from blocks and head.
      String q = "/api/v1/query?query=count_over_time(m%7Bs%3D%220%22%7D%5B6h%5D)&time="
          + (30 * HOUR / 1000);
      HttpResponse<String> a = client.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + server.port() + q))
          .header("X-Scope-OrgID", "t").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(a.body()).contains("\"36\"");

      // Idle for longer than the timeout: closed, its directory stays, and it reopens on use.
      clock.millis += 11 * 60_000;
      server.maintenance().runOnce();
      assertThat(server.storages().openStores()).isEmpty();
      assertThat(Files.isDirectory(dir.resolve("tenants/t"))).isTrue();
      a = client.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + server.port() + q))
          .header("X-Scope-OrgID", "t").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(a.body()).contains("\"36\"");
      assertThat(server.storages().openStores()).containsOnlyKeys("t");
      metrics = new String(server.metrics().scrape("text/plain").body(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metric(metrics, "vigil_tsdb_idle_tenants_closed_total")).isEqualTo(1);
      // The idle close wrote a head snapshot, which the reopen restored.
      assertThat(metric(metrics, "vigil_tsdb_head_snapshot_restored_series{user=\"t\"}"))
          .isEqualTo(3);
      assertThat(metric(metrics, "vigil_tsdb_data_replay_samples{user=\"t\"}")).isZero();
    }
  }

  private static void push(java.net.http.HttpClient client, VigilServer server, WriteRequest req)
      throws Exception {
    HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + server.port() + "/api/v1/push"))
        .header("X-Scope-OrgID", "t")
        .header("Content-Type", RemoteWriteVersion.V1.contentType())
        .header("Content-Encoding", "snappy")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
            org.xerial.snappy.Snappy.compress(req.toByteArray()))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void blocksBackfilledBesideTheServerAreTakenUpByAPass(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock(40 * HOUR);
    ServerConfig config = ServerConfig.defaults(dir).withListen("127.0.0.1", 0).withClock(clock)
        .withIngestionRate(0, 0)
        .withMaintenance(new MaintenanceOptions(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO));
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        var client = java.net.http.HttpClient.newHttpClient()) {
      push(client, server, WriteRequest.newBuilder().addTimeseries(ServerEndToEndTest
          .series("__name__", "m").addSamples(ServerEndToEndTest.sample(40 * HOUR, 1))).build());
      // As `vigil tsdb import` does beside a running server: blocks only, no lock.
      Backfill.Result r = Backfill.runBeside(dir.resolve("tenants/t"), TsdbOptions.defaults(),
          sink -> {
            for (long t = 0; t < 4 * HOUR; t += 60_000) {
              sink.accept(Labels.of("__name__", "old"), t, 1);
            }
          }, 0, 4 * HOUR - 60_000, 2 * HOUR);
      assertThat(r.blocks()).hasSize(2);
      String q = "/api/v1/query?query=count_over_time(old%5B4h%5D)&time=" + (4 * HOUR / 1000);
      assertThat(get(client, server, q)).contains("\"result\":[]");
      server.maintenance().runOnce();
      assertThat(get(client, server, q)).contains("\"239\""); // (0, 4 h]: all but the first
      String metrics = new String(server.metrics().scrape("text/plain").body(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metric(metrics, "vigil_tsdb_blocks_loaded_total{user=\"t\"}")).isEqualTo(2);
    }
  }

  private static String get(java.net.http.HttpClient client, VigilServer server, String path)
      throws Exception {
    HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + server.port() + path))
        .header("X-Scope-OrgID", "t").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void headsTakingWritesAreSnapshottedEveryInterval(@TempDir Path dir) throws Exception {
    ManualClock clock = new ManualClock(40 * HOUR);
    ServerConfig config = ServerConfig.defaults(dir).withListen("127.0.0.1", 0).withClock(clock)
        .withIngestionRate(0, 0)
        .withMaintenance(new MaintenanceOptions(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO,
            Duration.ofMinutes(30)));
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        var client = java.net.http.HttpClient.newHttpClient()) {
      WriteRequest one = WriteRequest.newBuilder().addTimeseries(ServerEndToEndTest
          .series("__name__", "m").addSamples(ServerEndToEndTest.sample(40 * HOUR, 1))).build();
      push(client, server, one);
      Path snapshot = dir.resolve("tenants/t/head.snapshot");
      server.maintenance().runOnce();
      assertThat(snapshot).as("not due yet").doesNotExist();
      clock.millis += 31 * 60_000;
      server.maintenance().runOnce();
      assertThat(snapshot).exists();
      clock.millis += 31 * 60_000;
      server.maintenance().runOnce(); // nothing written since: no new snapshot
      String metrics = new String(server.metrics().scrape("text/plain").body(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metric(metrics, "vigil_tsdb_head_snapshots_total{user=\"t\"}")).isEqualTo(1);
      assertThat(metric(metrics, "vigil_tsdb_head_snapshot_bytes{user=\"t\"}"))
          .isEqualTo((double) java.nio.file.Files.size(snapshot));
      assertThat(metric(metrics, "vigil_tsdb_head_snapshot_duration_seconds_count{user=\"t\"}"))
          .isEqualTo(1);
      assertThat(metrics).contains("vigil_tsdb_data_replay_duration_seconds{user=\"t\"}");
      assertThat(metric(metrics, "vigil_tsdb_head_snapshot_restored_series{user=\"t\"}"))
          .isZero(); // a new tenant: nothing to restore
      assertThat(metric(metrics, "vigil_tsdb_maintenance_failures_total{step=\"head_snapshot\"}"))
          .isZero();
    }
  }

  @Test
  void sizesParseAsPrometheusTakesThem() {
    assertThat(MaintenanceOptions.parseBytes("512MB")).isEqualTo(512L << 20);
    assertThat(MaintenanceOptions.parseBytes("10GB")).isEqualTo(10L << 30);
    assertThat(MaintenanceOptions.parseBytes("0")).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> MaintenanceOptions.parseBytes("10G"))
        .hasMessage("not a size such as 512MB or 10GB: \"10G\"");
  }
}
