package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.manager.Exporter;
import dev.vigil.collector.manager.ManagerOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil server} scraping an exporter into its own store, read back through the API. */
class ScrapeEndToEndTest {
  @TempDir Path dir;
  private Exporter exporter;

  @BeforeEach
  void startExporter() throws Exception {
    exporter = new Exporter("# TYPE widgets_total counter\nwidgets_total{color=\"red\"} 42\n");
  }

  @AfterEach
  void stopExporter() {
    exporter.close();
  }

  private String address() {
    return "127.0.0.1:" + exporter.port();
  }

  @Test
  void scrapedSeriesAreQueryableAndTheTargetIsListed() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withMultitenancy(false, "anonymous"))) {
      s.server.scraping().apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: widgets
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs:
                - targets: ['%s', 'skip.me:1']
                  labels: {team: a}
              relabel_configs:
                - source_labels: [__address__]
                  regex: skip\\.me:1
                  action: drop
          """.formatted(address())), "anonymous", ManagerOptions.defaults(dir));

      waitFor(() -> query(s, "widgets_total").size() == 1);
      JsonObject series = query(s, "widgets_total").get(0).getAsJsonObject();
      assertThat(series.getAsJsonObject("metric").get("job").getAsString()).isEqualTo("widgets");
      assertThat(series.getAsJsonObject("metric").get("instance").getAsString()).isEqualTo(address());
      assertThat(series.getAsJsonObject("metric").get("team").getAsString()).isEqualTo("a");
      assertThat(series.getAsJsonObject("metric").get("color").getAsString()).isEqualTo("red");
      assertThat(series.getAsJsonArray("value").get(1).getAsString()).isEqualTo("42");
      waitFor(() -> query(s, "up{job=\"widgets\"} == 1").size() == 1);

      for (String prefix : new String[] {"", "/prometheus"}) {
        HttpResponse<String> r = s.get(null, prefix + "/api/v1/targets");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonObject root = JsonParser.parseString(r.body()).getAsJsonObject();
        assertThat(root.get("status").getAsString()).isEqualTo("success");
        JsonObject data = root.getAsJsonObject("data");
        JsonObject t = data.getAsJsonArray("activeTargets").get(0).getAsJsonObject();
        assertThat(t.keySet()).isEqualTo(Set.of("discoveredLabels", "labels", "scrapePool", "scrapeUrl", "globalUrl",
            "lastError", "lastScrape", "lastScrapeDuration", "health", "scrapeInterval", "scrapeTimeout"));
        assertThat(t.get("scrapePool").getAsString()).isEqualTo("widgets");
        assertThat(t.get("scrapeUrl").getAsString()).isEqualTo("http://" + address() + "/metrics");
        assertThat(t.get("health").getAsString()).isEqualTo("up");
        assertThat(t.get("lastError").getAsString()).isEmpty();
        assertThat(t.get("lastScrape").getAsString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(t.get("lastScrapeDuration").getAsDouble()).isGreaterThan(0);
        assertThat(t.get("scrapeInterval").getAsString()).isEqualTo("100ms");
        assertThat(t.get("scrapeTimeout").getAsString()).isEqualTo("100ms");
        assertThat(t.getAsJsonObject("labels").keySet()).containsExactlyInAnyOrder("instance", "job", "team");
        assertThat(t.getAsJsonObject("discoveredLabels").get("__address__").getAsString()).isEqualTo(address());
        assertThat(t.getAsJsonObject("discoveredLabels").get("__metrics_path__").getAsString()).isEqualTo("/metrics");
        JsonObject dropped = data.getAsJsonArray("droppedTargets").get(0).getAsJsonObject();
        assertThat(dropped.keySet()).containsExactlyInAnyOrder("discoveredLabels", "scrapePool");
        assertThat(dropped.getAsJsonObject("discoveredLabels").get("__address__").getAsString()).isEqualTo("skip.me:1");
        assertThat(data.getAsJsonObject("droppedTargetCounts").get("widgets").getAsInt()).isEqualTo(1);
      }

      JsonObject onlyDropped = data(s, "/api/v1/targets?state=dropped");
      assertThat(onlyDropped.getAsJsonArray("activeTargets")).isEmpty();
      assertThat(onlyDropped.getAsJsonArray("droppedTargets")).hasSize(1);
      JsonObject onlyActive = data(s, "/api/v1/targets?state=Active&scrapePool=widgets");
      assertThat(onlyActive.getAsJsonArray("activeTargets")).hasSize(1);
      assertThat(onlyActive.getAsJsonArray("droppedTargets")).isEmpty();
      JsonObject otherPool = data(s, "/api/v1/targets?scrapePool=nope");
      assertThat(otherPool.getAsJsonArray("activeTargets")).isEmpty();
      assertThat(otherPool.getAsJsonObject("droppedTargetCounts").keySet()).isEmpty();
    }
  }

  @Test
  void scrapedMetadataIsServedPerTargetAndInTheScrapeTenantsMetadata() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      s.server.scraping().apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: widgets
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs: [{targets: ['%s']}]
          """.formatted(address())), "scraper", ManagerOptions.defaults(dir));
      waitFor(() -> !s.server.scraping().targetMetadata().isEmpty()
          && !s.server.scraping().targetMetadata().get(0).metadata().isEmpty());
      for (String prefix : new String[] {"", "/prometheus"}) {
        HttpResponse<String> r = s.get(null, prefix + "/api/v1/targets/metadata?match_target="
            + java.net.URLEncoder.encode("{job=\"widgets\"}", StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":[{\"target\":{\"instance\":\""
            + address() + "\",\"job\":\"widgets\"},\"metric\":\"widgets_total\",\"type\":\"counter\","
            + "\"help\":\"\",\"unit\":\"\"}]}");
      }
      HttpResponse<String> mine = s.get("scraper", "/api/v1/metadata");
      assertThat(mine.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"widgets_total\":"
          + "[{\"type\":\"counter\",\"help\":\"\",\"unit\":\"\"}]}}");
      assertThat(s.get("scraper", "/api/v1/metadata?metric=other").body())
          .isEqualTo("{\"status\":\"success\",\"data\":{}}");
      assertThat(s.get("someone-else", "/api/v1/metadata").body())
          .isEqualTo("{\"status\":\"success\",\"data\":{}}");
    }
  }

  @Test
  void anUnusableTenantFailsTheStartNotAScrapeThread() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.server.scraping().apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: widgets
              static_configs: [{targets: ['%s']}]
          """.formatted(address())), "..", ManagerOptions.defaults(dir)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scrape tenant ..: not a valid tenant ID");
      assertThat(s.server.scraping().targets().active()).isEmpty();
    }
  }

  @Test
  void withoutAScrapeConfigTheTargetListIsEmpty() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      JsonObject data = data(s, "/prometheus/api/v1/targets");
      assertThat(data.getAsJsonArray("activeTargets")).isEmpty();
      assertThat(data.getAsJsonArray("droppedTargets")).isEmpty();
    }
  }

  /**
   * With {@code --blocks-storage.tsdb.start-timestamp-zero-ingestion-enabled}, an OpenMetrics
   * counter's {@code _created} line becomes a zero sample at that time, not a series; without it,
   * it stays a series, as in Prometheus.
   */
  @Test
  void openMetricsCreatedLinesBecomeZeroSamplesWithTheFlag() throws Exception {
    long created = System.currentTimeMillis() - 600_000;
    String body = "# TYPE jobs counter\njobs_total 7\njobs_created %d.%03d\n# EOF\n"
        .formatted(created / 1000, created % 1000);
    try (Exporter om = new Exporter(body, "application/openmetrics-text; version=1.0.0; charset=utf-8")) {
      String config = """
          scrape_configs:
            - job_name: om
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs: [{targets: ['127.0.0.1:%d']}]
          """.formatted(om.port());
      for (boolean flag : new boolean[] {true, false}) {
        Path data = dir.resolve("flag-" + flag);
        try (TestServer s = new TestServer(TestServer.config(data)
            .withMultitenancy(false, "anonymous").withStartTimestampZeroSamples(flag))) {
          s.server.scraping().apply(ConfigLoader.load(config), "anonymous", ManagerOptions.defaults(data));
          waitFor(() -> query(s, "jobs_total").size() == 1);
          JsonArray values = query(s, "jobs_total[15m]").get(0).getAsJsonObject().getAsJsonArray("values");
          JsonArray first = values.get(0).getAsJsonArray();
          if (flag) {
            assertThat(first.get(0).getAsDouble()).isEqualTo(created / 1000.0);
            assertThat(first.get(1).getAsString()).isEqualTo("0");
            assertThat(values.get(1).getAsJsonArray().get(1).getAsString()).isEqualTo("7");
            assertThat(query(s, "jobs_created")).isEmpty();
          } else {
            assertThat(first.get(1).getAsString()).isEqualTo("7");
            assertThat(query(s, "jobs_created").get(0).getAsJsonObject().getAsJsonArray("value")
                .get(1).getAsDouble()).isEqualTo(created / 1000.0);
          }
        }
      }
    }
  }

  private static JsonObject data(TestServer s, String path) throws Exception {
    HttpResponse<String> r = s.get(null, path);
    assertThat(r.statusCode()).isEqualTo(200);
    return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data");
  }

  private static JsonArray query(TestServer s, String expr) {
    try {
      double now = System.currentTimeMillis() / 1000.0;
      HttpResponse<String> r = s.postForm(null, "/prometheus/api/v1/query",
          "query=" + java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&time=" + now);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s");
      }
      Thread.sleep(50);
    }
  }
}
