package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Differential: the same remote-write 1.0 bodies go to Debian's Prometheus 2.42 (remote-write
 * receiver, exemplar storage on) and to Vigil, then the same {@code /api/v1/query_exemplars}
 * requests go to both and the JSON answers must be equal.
 *
 * <p>The bodies avoid the two places where Vigil follows other rules on purpose: exemplars
 * without labels (Vigil drops them as Mimir's distributor does; Prometheus stores them) and a
 * second exemplar at the newest exemplar's timestamp with another value (Prometheus 2.42 calls
 * it out of order; Prometheus 3 and Vigil keep it, for native histograms' bucket exemplars).
 */
class ExemplarPrometheusPeerTest {
  private static final String TENANT = "peer";

  @TempDir static Path dir;
  static TestServer vigil;
  static Process prometheus;
  static int promPort;
  /** Base time of the bodies: now, so Prometheus's head accepts them. */
  static long base;

  @BeforeAll
  static void start() throws Exception {
    Path binary = PrometheusPeerTest.prometheusBinary();
    vigil = new TestServer(TestServer.config(dir.resolve("vigil")));
    promPort = PrometheusPeerTest.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1m\n");
    Path log = dir.resolve("prometheus.log");
    prometheus = new ProcessBuilder(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + promPort,
        "--web.enable-remote-write-receiver",
        "--enable-feature=exemplar-storage",
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!prometheus.isAlive()) {
        fail("prometheus exited with " + prometheus.exitValue() + ": " + Files.readString(log));
      }
      try {
        HttpResponse<String> r = vigil.client.send(HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + promPort + "/-/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          break;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        fail("prometheus not ready within 30 s: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    base = System.currentTimeMillis() / 1000 * 1000 - 60_000;
    for (WriteRequest body : bodies()) {
      pushBoth(body);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (vigil != null) {
      vigil.close();
    }
  }

  static TimeSeries.Builder series(String... nameValues) {
    return ServerEndToEndTest.series(nameValues);
  }

  /** Two pushes: the second repeats, reorders and extends what the first stored. */
  static List<WriteRequest> bodies() {
    long t = base;
    String labels128 = "v".repeat(128 - "trace_id".length());
    WriteRequest first = WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "http_requests_total", "code", "200", "job", "api")
            .addSamples(ServerEndToEndTest.sample(t, 1))
            .addSamples(ServerEndToEndTest.sample(t + 15_000, 4))
            .addExemplars(ExemplarEndToEndTest.exemplar(1, t - 500, "trace_id", "a1"))
            .addExemplars(ExemplarEndToEndTest.exemplar(3, t + 14_001, "trace_id", "a2",
                "span_id", "s2"))
            .addExemplars(ExemplarEndToEndTest.exemplar(2, t + 10_000, "trace_id", "late")))
        .addTimeseries(series("__name__", "http_requests_total", "code", "500", "job", "api")
            .addSamples(ServerEndToEndTest.sample(t, 0))
            .addExemplars(ExemplarEndToEndTest.exemplar(0.000_000_1, t, "trace_id", labels128))
            .addExemplars(ExemplarEndToEndTest.exemplar(9, t + 1, "trace_id",
                labels128 + "x"))) // 129 characters: refused by both
        .addTimeseries(series("__name__", "latency_seconds_bucket", "job", "api", "le", "+Inf")
            .addSamples(ServerEndToEndTest.sample(t, 10))
            .addExemplars(ExemplarEndToEndTest.exemplar(Double.NaN, t - 1, "trace_id", "nan"))
            .addExemplars(ExemplarEndToEndTest.exemplar(1e22, t, "trace_id", "big")))
        .addTimeseries(series("__name__", "no_exemplars", "job", "api")
            .addSamples(ServerEndToEndTest.sample(t, 1)))
        .build();
    WriteRequest second = WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "http_requests_total", "code", "200", "job", "api")
            .addSamples(ServerEndToEndTest.sample(t + 30_000, 6))
            .addExemplars(ExemplarEndToEndTest.exemplar(3, t + 14_001, "trace_id", "a2",
                "span_id", "s2")) // the newest again: a duplicate, ignored
            .addExemplars(ExemplarEndToEndTest.exemplar(5, t + 29_000, "trace_id", "a3")))
        .addTimeseries(series("__name__", "latency_seconds_bucket", "job", "api", "le", "+Inf")
            .addSamples(ServerEndToEndTest.sample(t + 30_000, 12))
            .addExemplars(ExemplarEndToEndTest.exemplar(-2.5, t + 30_000, "trace_id", "neg")))
        .build();
    return List.of(first, second);
  }

  static void pushBoth(WriteRequest body) throws Exception {
    HttpResponse<String> v = vigil.push(TENANT, RemoteWriteVersion.V1.contentType(),
        body.toByteArray());
    assertThat(v.statusCode()).as("vigil: " + v.body()).isEqualTo(200);
    HttpResponse<String> p = vigil.client.send(HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + promPort + "/api/v1/write"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", RemoteWriteVersion.V1.contentType())
        .header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Write-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(body.toByteArray())))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(p.statusCode()).as("prometheus: " + p.body()).isBetween(200, 204);
  }

  static JsonElement prometheusAnswer(String params) throws Exception {
    HttpResponse<String> r = vigil.client.send(HttpRequest.newBuilder(java.net.URI.create(
        "http://127.0.0.1:" + promPort + "/api/v1/query_exemplars?" + params))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return JsonParser.parseString(r.body());
  }

  static JsonElement vigilAnswer(String params) throws Exception {
    return JsonParser.parseString(vigil.get(TENANT, "/api/v1/query_exemplars?" + params).body());
  }

  private static void same(String query, long startMs, long endMs) throws Exception {
    String params = "query=" + ServerEndToEndTest.q(query) + "&start="
        + PrometheusPeerTest.plain(startMs / 1000.0) + "&end="
        + PrometheusPeerTest.plain(endMs / 1000.0);
    JsonElement want = prometheusAnswer(params);
    assertThat(want.getAsJsonObject().get("status").getAsString()).as(want.toString())
        .isEqualTo("success");
    assertThat(vigilAnswer(params)).as(query + " [" + startMs + ", " + endMs + "]")
        .isEqualTo(want);
  }

  @Test
  void answersEqualPrometheusForSelectorsAndRanges() throws Exception {
    long all0 = base - 3_600_000;
    long all1 = base + 3_600_000;
    same("{job=\"api\"}", all0, all1);
    same("http_requests_total", all0, all1);
    same("rate(http_requests_total{code=\"200\"}[5m]) / ignoring(le) latency_seconds_bucket",
        all0, all1);
    same("sum(http_requests_total)", base, base + 14_001); // inclusive bounds
    same("http_requests_total", base + 14_002, base + 28_999); // nothing inside
    same("no_exemplars", all0, all1);
    same("absent_metric", all0, all1);
    // A whole answer must not be trivially empty: Prometheus kept what the bodies meant.
    JsonElement everything = prometheusAnswer("query=" + ServerEndToEndTest.q("{job=\"api\"}")
        + "&start=" + PrometheusPeerTest.plain(all0 / 1000.0) + "&end="
        + PrometheusPeerTest.plain(all1 / 1000.0));
    assertThat(everything.getAsJsonObject().getAsJsonArray("data")).hasSize(3);
  }

  @Test
  void answersWithoutSelectorsAndBadQueriesMatchPrometheus() throws Exception {
    // No selector: Prometheus answers 204 without a body.
    assertThat(vigilAnswer("query=" + ServerEndToEndTest.q("1 + 1")))
        .isEqualTo(prometheusAnswer("query=" + ServerEndToEndTest.q("1 + 1")))
        .isEqualTo(com.google.gson.JsonNull.INSTANCE);
    JsonElement p = prometheusAnswer("query=" + ServerEndToEndTest.q("sum("));
    JsonElement v = vigilAnswer("query=" + ServerEndToEndTest.q("sum("));
    assertThat(v.getAsJsonObject().get("errorType"))
        .isEqualTo(p.getAsJsonObject().get("errorType"));
    assertThat(v.getAsJsonObject().get("status")).isEqualTo(p.getAsJsonObject().get("status"));
  }
}
