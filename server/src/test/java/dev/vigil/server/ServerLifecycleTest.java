package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart durability, multi-tenancy off, size limits, and two servers side by side. */
class ServerLifecycleTest {
  private static final String V1 = RemoteWriteVersion.V1.contentType();

  private static byte[] oneSample(String metric, long t, double v) {
    return WriteRequest.newBuilder()
        .addTimeseries(ServerEndToEndTest.series("__name__", metric)
            .addSamples(ServerEndToEndTest.sample(t, v)))
        .build().toByteArray();
  }

  @Test
  void acknowledgedSamplesSurviveARestartInTheTenantDirectory(@TempDir Path dir) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      assertThat(s.push("t1", V1, oneSample("kept", 50_000, 42)).statusCode()).isEqualTo(200);
    }
    assertThat(Files.isDirectory(dir.resolve("tenants").resolve("t1"))).isTrue();
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      assertThat(s.get("t1", "/api/v1/query?query=kept&time=50").body())
          .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
              + "[{\"metric\":{\"__name__\":\"kept\"},\"value\":[50,\"42\"]}]}}");
    }
  }

  /**
   * A tenant whose database was left with WAL to replay (here: closed without a head snapshot,
   * as after a crash) is opened as the server starts, before any request; a tenant closed
   * cleanly stays closed until used.
   */
  @Test
  void tenantsLeftWithWalToReplayAreOpenedAtStartBeforeAnyRequest(@TempDir Path dir)
      throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      assertThat(s.push("clean", V1, oneSample("c", 50_000, 1)).statusCode()).isEqualTo(200);
    }
    try (TestServer s = new TestServer(TestServer.config(dir).withHeadSnapshot(false))) {
      assertThat(s.push("crashed", V1, oneSample("w", 50_000, 7)).statusCode()).isEqualTo(200);
    }
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!s.server.storages().openStores().containsKey("crashed")
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(s.server.storages().openStores()).containsOnlyKeys("crashed");
      assertThat(s.get("crashed", "/api/v1/query?query=w&time=50").body()).contains("[50,\"7\"]");
    }
  }

  @Test
  void withoutMultitenancyEverythingIsAnonymousAndTwoServersRunSideBySide(@TempDir Path a,
      @TempDir Path b) throws Exception {
    ServerConfig open = TestServer.config(a).withMultitenancy(false, "anonymous")
        .withStorage(StorageEngine.MEMORY);
    try (TestServer s1 = new TestServer(open);
        TestServer s2 = new TestServer(TestServer.config(b).withStorage(StorageEngine.MEMORY))) {
      assertThat(s1.push(null, V1, oneSample("m", 1000, 1)).statusCode()).isEqualTo(200);
      assertThat(s1.get("whoever", "/api/v1/query?query=m&time=1").body()).contains("\"1\"]");
      assertThat(s1.server.storages().tenants()).containsExactly("anonymous");
      assertThat(s2.get("anonymous", "/api/v1/query?query=m&time=1").body())
          .contains("\"result\":[]");
      assertThat(s2.get(null, "/metrics").body())
          .doesNotContain("vigil_distributor_received_samples_total{");
    }
  }

  @Test
  void pushesOverTheIngestionRateAre429WithRetryAfter(@TempDir Path dir) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withIngestionRate(1, 2)
        .withStorage(StorageEngine.MEMORY))) {
      assertThat(s.push("t1", V1, oneSample("a", 1000, 1)).statusCode()).isEqualTo(200);
      assertThat(s.push("t1", V1, oneSample("a", 2000, 1)).statusCode()).isEqualTo(200);
      HttpResponse<String> r = s.push("t1", V1, oneSample("a", 3000, 1));
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).contains("1");
      assertThat(r.body()).contains("ingestion rate limit, set to 1 items/s with a maximum "
          + "allowed burst of 2 (err-mimir-tenant-max-ingestion-rate)");
      assertThat(s.get("t1", "/api/v1/query?query=a&time=3").body()).contains("[3,\"1\"]")
          .doesNotContain("3000");
      assertThat(s.get(null, "/metrics").body())
          .contains("vigil_discarded_samples_total{reason=\"rate_limited\",user=\"t1\"} 1");
    }
  }

  @Test
  void runtimeOverridesChangeOneTenantsLimits(@TempDir Path dir) throws Exception {
    Path rc = dir.resolve("runtime.yaml");
    Files.writeString(rc, "overrides:\n  strict:\n    max_label_names_per_series: 1\n");
    try (TestServer s = new TestServer(TestServer.config(dir).withRuntimeConfigFile(rc)
        .withStorage(StorageEngine.MEMORY))) {
      byte[] twoLabels = WriteRequest.newBuilder()
          .addTimeseries(ServerEndToEndTest.series("__name__", "m", "job", "j")
              .addSamples(ServerEndToEndTest.sample(1000, 1)))
          .build().toByteArray();
      HttpResponse<String> strict = s.push("strict", V1, twoLabels);
      assertThat(strict.statusCode()).isEqualTo(400);
      assertThat(strict.body()).contains("(actual: 2, limit: 1)");
      assertThat(s.push("relaxed", V1, twoLabels).statusCode()).isEqualTo(200);
      Files.writeString(rc, "overrides: {}\n");
      s.server.limits().reload();
      assertThat(s.push("strict", V1, twoLabels).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void oversizedPushesAre413(@TempDir Path dir) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withMaxPushBytes(1024)
        .withStorage(StorageEngine.MEMORY))) {
      byte[] big = new byte[4096];
      new java.util.Random(1).nextBytes(big);
      HttpResponse<String> r = s.pushRaw("t1", V1, "snappy", big);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("(err-mimir-distributor-max-write-message-size)");
      HttpResponse<String> get = s.get("t1", "/api/v1/push");
      assertThat(get.statusCode()).isEqualTo(405);
    }
  }
}
