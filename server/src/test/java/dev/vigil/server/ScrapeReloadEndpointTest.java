package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import dev.vigil.collector.config.ConfigException;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.Exporter;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.server.scrape.ScrapeConfigSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /-/reload}: the server re-reads its scrape configuration and applies it in place. */
class ScrapeReloadEndpointTest {
  @TempDir Path dir;
  private Exporter exporter;

  @BeforeEach
  void startExporter() throws Exception {
    exporter = new Exporter("widgets_total 42\nother 1\n");
  }

  @AfterEach
  void stopExporter() {
    exporter.close();
  }

  private String config(String extra) {
    return """
        scrape_configs:
          - job_name: widgets
            scrape_interval: 100ms
            scrape_timeout: 100ms
            static_configs: [{targets: ['127.0.0.1:%d']}]
        %s""".formatted(exporter.port(), extra.indent(4));
  }

  /** What vigil server's command does: the file, through the collector's loader, errors with the position. */
  private static ScrapeConfigSource fileSource(Path file) {
    return () -> {
      try {
        return ConfigLoader.load(Files.readString(file));
      } catch (ConfigException e) {
        throw new IllegalArgumentException("config file " + file + ":" + e.getMessage(), e);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
      }
    };
  }

  @Test
  void reloadAppliesTheNewFileAndABrokenFileKeepsTheRunningConfiguration() throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, config(""));
    try (TestServer s = new TestServer(TestServer.config(dir).withMultitenancy(false, "anonymous"))) {
      ScrapeConfigSource source = fileSource(file);
      PrometheusConfig first = source.load();
      ManagerOptions options = ManagerOptions.defaults(dir);
      s.server.scraping().apply(first, "anonymous", options);
      s.server.scraping().enableReload(source, "anonymous", options);
      waitFor(() -> query(s, "other").size() == 1);
      assertThat(metric(s, "prometheus_config_last_reload_successful")).isEqualTo(1.0);

      Files.writeString(file, config("""
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: other
              action: drop
          """));
      HttpResponse<String> ok = post(s, "/-/reload");
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
      // The dropped series is marked stale (no longer returned); the kept one continues.
      waitFor(() -> query(s, "other").isEmpty());
      assertThat(query(s, "widgets_total")).hasSize(1);
      assertThat(s.get(null, "/api/v1/targets").body()).contains("\"health\":\"up\"");

      Files.writeString(file, config("sample_limit: [not, a, number]"));
      HttpResponse<String> bad = post(s, "/-/reload");
      assertThat(bad.statusCode()).isEqualTo(500);
      assertThat(bad.body()).startsWith("failed to reload config: config file " + file + ":6:")
          .contains("sample_limit");
      assertThat(metric(s, "prometheus_config_last_reload_successful")).isEqualTo(0.0);
      assertThat(metric(s, "vigil_scrape_config_reload_failures_total")).isEqualTo(1.0);
      // Still scraping with the previous configuration.
      double before = metric(s, "prometheus_config_last_reload_success_timestamp_seconds");
      long scrapesBefore = scrapes(s);
      waitFor(() -> scrapes(s) > scrapesBefore + 2);
      assertThat(query(s, "other")).isEmpty();

      Files.writeString(file, config(""));
      assertThat(post(s, "/-/reload").statusCode()).isEqualTo(200);
      assertThat(metric(s, "prometheus_config_last_reload_successful")).isEqualTo(1.0);
      assertThat(metric(s, "prometheus_config_last_reload_success_timestamp_seconds")).isGreaterThanOrEqualTo(before);
      waitFor(() -> query(s, "other").size() == 1);

      assertThat(s.get(null, "/-/reload").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void withoutAReloadableConfigurationReloadFailsSayingSo() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      HttpResponse<String> r = post(s, "/-/reload");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("no scrape configuration to reload");
      assertThat(s.get(null, "/metrics").body()).doesNotContain("prometheus_config_last_reload_successful");
    }
  }

  @Test
  void aFileThatGainsItsFirstJobStartsScraping() throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, "scrape_configs: []\n");
    try (TestServer s = new TestServer(TestServer.config(dir).withMultitenancy(false, "anonymous"))) {
      s.server.scraping().enableReload(fileSource(file), "anonymous", ManagerOptions.defaults(dir));
      Files.writeString(file, config(""));
      assertThat(post(s, "/-/reload").statusCode()).isEqualTo(200);
      waitFor(() -> query(s, "widgets_total").size() == 1);
    }
  }

  private static long scrapes(TestServer s) {
    JsonArray r = JsonParser.parseString(queryBody(s, "count_over_time(up[1h])")).getAsJsonObject()
        .getAsJsonObject("data").getAsJsonArray("result");
    return r.isEmpty() ? 0 : r.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsLong();
  }

  private static double metric(TestServer s, String name) throws Exception {
    for (String line : s.get(null, "/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }

  private static HttpResponse<String> post(TestServer s, String path) throws Exception {
    try (HttpClient c = HttpClient.newHttpClient()) {
      return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.server.port() + path))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String queryBody(TestServer s, String expr) {
    try {
      double now = System.currentTimeMillis() / 1000.0;
      HttpResponse<String> r = s.postForm(null, "/prometheus/api/v1/query",
          "query=" + java.net.URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&time=" + now);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonArray query(TestServer s, String expr) {
    return JsonParser.parseString(queryBody(s, expr)).getAsJsonObject().getAsJsonObject("data").getAsJsonArray("result");
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
