package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against a real peer: Debian's {@code prometheus} scrapes itself every second and
 * remote-writes to a Vigil server (tenant in {@code X-Scope-OrgID} via {@code headers:}); then
 * the same queries go to both APIs at a timestamp whose data has surely arrived, and the answers
 * must be equal: the same series and the same values at the same timestamps.
 *
 * <p>Debian's Prometheus 2.42 parses {@code remote_write.headers} but does not send them (checked
 * with a header-dumping listener), so its pushes go through a loopback relay that sets
 * {@code X-Scope-OrgID}, as an agent in front of Mimir would; the config keeps {@code headers:}
 * for a Prometheus that does send it.
 *
 * <p>Everything binds to 127.0.0.1 on ephemeral ports; every wait is bounded.
 */
class PrometheusPeerTest {
  private static final String TENANT = "peer";
  private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(45);

  @TempDir static Path dir;
  static VigilServer vigil;
  static Process prometheus;
  static int promPort;
  static HttpClient client;
  static com.sun.net.httpserver.HttpServer relay;
  /** A scrape timestamp (seconds, as Prometheus prints them) whose data both sides hold. */
  static String scrapeAt;
  /**
   * Half a scrape interval before {@link #scrapeAt}. Range selectors are evaluated here because
   * Vigil follows Prometheus 3 (left-open windows, {@code (t-range, t]}) and Prometheus 2.42 is
   * left-closed ({@code [t-range, t]}): at a scrape timestamp minus a whole number of intervals
   * the two select different samples; between scrapes they select the same ones.
   */
  static String at;
  static double atSeconds;

  static Path prometheusBinary() {
    String configured = System.getProperty("vigil.prometheus.binary");
    Path p = Path.of(configured != null ? configured : "/usr/bin/prometheus");
    if (!Files.isExecutable(p)) {
      fail("this end-to-end test needs Debian's prometheus binary at " + p
          + " (apt-get install prometheus; .ci/run installs it), or -Dvigil.prometheus.binary=PATH");
    }
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Path binary = prometheusBinary();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    vigil = VigilServer.start(ServerConfig.defaults(dir.resolve("vigil"))
        .withListen("127.0.0.1", 0), TestServer.BUILD);
    relay = startRelay(vigil.port());
    promPort = freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: prometheus
            static_configs:
              - targets: ['127.0.0.1:%d']
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/push
            headers:
              X-Scope-OrgID: %s
            queue_config:
              batch_send_deadline: 500ms
              min_backoff: 100ms
              max_backoff: 1s
        """.formatted(promPort, relay.getAddress().getPort(), TENANT));
    Path log = dir.resolve("prometheus.log");
    prometheus = new ProcessBuilder(binary.toString(),
        "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + promPort,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();

    // Wait until Vigil holds a few seconds of scrapes, then take the newest `up` timestamp
    // there and give every remote-write shard time to flush what was scraped until then.
    long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
    double newest = Double.NaN;
    while (System.nanoTime() < deadline) {
      if (!prometheus.isAlive()) {
        fail("prometheus exited with " + prometheus.exitValue() + ": " + Files.readString(log));
      }
      JsonArray r = vector(vigilQuery("count_over_time(up[1m])", null));
      if (!r.isEmpty() && Double.parseDouble(value(r.get(0))) >= 12) {
        newest = Double.parseDouble(value(vector(vigilQuery("timestamp(up)", null)).get(0)));
        break;
      }
      Thread.sleep(250);
    }
    if (Double.isNaN(newest)) {
      fail("no data arrived in Vigil within " + ARRIVAL_TIMEOUT + "; prometheus log:\n"
          + Files.readString(log));
    }
    Thread.sleep(2_500); // > batch_send_deadline with retries: samples up to `newest` are in
    scrapeAt = plain(newest);
    atSeconds = newest - 0.5;
    at = plain(atSeconds);
  }

  /** Forwards pushes to Vigil with the tenant header set; answers with Vigil's answer. */
  static com.sun.net.httpserver.HttpServer startRelay(int vigilPort) throws IOException {
    var server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/api/v1/push", ex -> {
      try (ex) {
        byte[] body = ex.getRequestBody().readAllBytes();
        HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + vigilPort + "/api/v1/push"))
            .timeout(Duration.ofSeconds(10)).header("X-Scope-OrgID", TENANT);
        for (String h : List.of("Content-Type", "Content-Encoding",
            "X-Prometheus-Remote-Write-Version")) {
          String v = ex.getRequestHeaders().getFirst(h);
          if (v != null) {
            b.header(h, v);
          }
        }
        HttpResponse<byte[]> r = client.send(
            b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
        ex.getResponseBody().write(r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.sendResponseHeaders(503, -1);
      }
    });
    server.start();
    return server;
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (relay != null) {
      relay.stop(0);
    }
    if (client != null) {
      client.close();
    }
    if (vigil != null) {
      vigil.close();
    }
  }

  static String plain(double seconds) {
    return new java.math.BigDecimal(seconds).setScale(3, java.math.RoundingMode.HALF_EVEN)
        .toPlainString();
  }

  static JsonObject get(URI uri, String tenant) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    HttpResponse<String> r = client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("%s: %s", uri, r.body()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static JsonObject vigilQuery(String q, String time) throws IOException, InterruptedException {
    return get(URI.create("http://127.0.0.1:" + vigil.port() + "/prometheus/api/v1/query?query="
        + enc(q) + (time == null ? "" : "&time=" + time)), TENANT);
  }

  static JsonObject promQuery(String q, String time) throws IOException, InterruptedException {
    return get(URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query=" + enc(q)
        + "&time=" + time), null);
  }

  static JsonObject vigilRange(String q, String start, String end, String step)
      throws IOException, InterruptedException {
    return get(URI.create("http://127.0.0.1:" + vigil.port()
        + "/prometheus/api/v1/query_range?query=" + enc(q) + "&start=" + start + "&end=" + end
        + "&step=" + step), TENANT);
  }

  static JsonObject promRange(String q, String start, String end, String step)
      throws IOException, InterruptedException {
    return get(URI.create("http://127.0.0.1:" + promPort + "/api/v1/query_range?query=" + enc(q)
        + "&start=" + start + "&end=" + end + "&step=" + step), null);
  }

  static JsonArray vector(JsonObject answer) {
    assertThat(answer.get("status").getAsString()).isEqualTo("success");
    return answer.getAsJsonObject("data").getAsJsonArray("result");
  }

  static String value(JsonElement sample) {
    return sample.getAsJsonObject().getAsJsonArray("value").get(1).getAsString();
  }

  /** Series labels (sorted) to the list of [timestamp, value] pairs of a vector or matrix. */
  static Map<String, List<String>> byLabels(JsonObject answer) {
    Map<String, List<String>> m = new TreeMap<>();
    for (JsonElement e : vector(answer)) {
      JsonObject s = e.getAsJsonObject();
      TreeMap<String, String> metric = new TreeMap<>();
      for (var l : s.getAsJsonObject("metric").entrySet()) {
        metric.put(l.getKey(), l.getValue().getAsString());
      }
      String labels = metric.toString();
      List<String> points = new ArrayList<>();
      if (s.has("value")) {
        points.add(s.getAsJsonArray("value").toString());
      } else {
        for (JsonElement p : s.getAsJsonArray("values")) {
          points.add(p.toString());
        }
      }
      m.put(labels, points);
    }
    return m;
  }

  static void assertSameAnswer(String query, JsonObject vigilAnswer, JsonObject promAnswer) {
    Map<String, List<String>> v = byLabels(vigilAnswer);
    Map<String, List<String>> p = byLabels(promAnswer);
    assertThat(p).as("Prometheus has no result for %s", query).isNotEmpty();
    assertThat(v.keySet()).as("series of %s", query).isEqualTo(p.keySet());
    assertThat(v).as("values of %s", query).isEqualTo(p);
  }

  static void compareInstant(String query) throws Exception {
    assertSameAnswer(query, vigilQuery(query, at), promQuery(query, at));
  }

  static void compareRange(String query) throws Exception {
    // Every window starts well after the first scrape: at a series' start Prometheus 2.42 and 3
    // (which Vigil follows) extrapolate rate() differently (2.42 caps the extrapolation to zero
    // before the half-interval rule, 3 after it).
    String start = plain(atSeconds - 3);
    assertSameAnswer(query, vigilRange(query, start, at, "1"), promRange(query, start, at, "1"));
  }

  @Test
  void upIsTheSame() throws Exception {
    assertSameAnswer("up", vigilQuery("up", scrapeAt), promQuery("up", scrapeAt));
    compareInstant("up");
    compareRange("up");
  }

  @Test
  void gaugeIsTheSame() throws Exception {
    assertSameAnswer("prometheus_tsdb_head_series",
        vigilQuery("prometheus_tsdb_head_series", scrapeAt),
        promQuery("prometheus_tsdb_head_series", scrapeAt));
    compareInstant("prometheus_tsdb_head_series");
    compareRange("prometheus_tsdb_head_series");
  }

  @Test
  void counterRateIsTheSame() throws Exception {
    compareInstant("rate(prometheus_http_requests_total[4s])");
    compareRange("rate(prometheus_http_requests_total[4s])");
    compareInstant("sum by (handler) (increase(prometheus_http_requests_total[4s]))");
  }

  @Test
  void histogramQuantileIsTheSame() throws Exception {
    compareInstant("histogram_quantile(0.9, sum by (le) "
        + "(rate(prometheus_http_request_duration_seconds_bucket[4s])))");
  }

  @Test
  void manySeriesAreTheSame() throws Exception {
    compareInstant("{job=\"prometheus\", __name__=~\"prometheus_tsdb_.*\"}");
    compareInstant("count by (__name__) ({job=\"prometheus\"})");
  }
}
