package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.manager.ManagerOptions;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/targets} of Vigil and of Debian's Prometheus for the same scrape configuration
 * and exporters: same targets, same labels before and after relabelling, same URLs, health,
 * intervals, and the same dropped targets.
 */
class TargetsPeerTest {
  @TempDir Path dir;

  @Test
  void sameTargetsAsPrometheus() throws Exception {
    Path binary = PrometheusPeerTest.prometheusBinary();
    HttpServer exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    exporter.createContext("/", ex -> {
      byte[] body = "widgets 1\n".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/broken") ? 500 : 200, body.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
      ex.close();
    });
    exporter.start();
    int port = exporter.getAddress().getPort();
    Files.writeString(dir.resolve("more.json"), """
        [{"targets": ["localhost:%d"], "labels": {"team": "file", "__metrics_path__": "/broken"}}]
        """.formatted(port));
    String config = """
        global:
          scrape_interval: 1s
          scrape_timeout: 500ms
        scrape_configs:
          - job_name: widgets
            params: {format: [text]}
            static_configs:
              - targets: ['127.0.0.1:%d', 'skip.me:1']
                labels: {env: peer}
            file_sd_configs:
              - files: ['%s']
                refresh_interval: 1s
            relabel_configs:
              - source_labels: [__address__]
                regex: skip\\.me:1
                action: drop
              - source_labels: [__address__]
                regex: '(.*):\\d+'
                target_label: host
          - job_name: other
            scrape_interval: 2s
            metrics_path: /other
            static_configs: [{targets: ['127.0.0.1:%d']}]
        """.formatted(port, dir.resolve("more.json"), port);
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int promPort = PrometheusPeerTest.freePort();
    Path log = dir.resolve("prometheus.log");
    Process prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"), "--web.listen-address=127.0.0.1:" + promPort,
        "--log.level=warn").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (TestServer vigil = new TestServer(TestServer.config(dir.resolve("vigil")).withStorage(StorageEngine.MEMORY))) {
      vigil.server.scraping().apply(ConfigLoader.load(config), "anonymous", ManagerOptions.defaults(dir));
      JsonObject fromPrometheus = null;
      JsonObject fromVigil = null;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (System.nanoTime() < deadline) {
        if (!prometheus.isAlive()) {
          fail("prometheus exited: " + Files.readString(log));
        }
        fromPrometheus = targets("http://127.0.0.1:" + promPort);
        fromVigil = targets("http://127.0.0.1:" + vigil.server.port());
        if (fromPrometheus != null && scraped(fromPrometheus) && scraped(fromVigil)) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(fromPrometheus).as("prometheus targets; log: %s", Files.readString(log)).isNotNull();
      assertThat(scraped(fromPrometheus) && scraped(fromVigil)).as("all targets scraped in both").isTrue();

      Map<String, JsonObject> promActive = byUrl(fromPrometheus);
      Map<String, JsonObject> vigilActive = byUrl(fromVigil);
      assertThat(vigilActive.keySet()).isEqualTo(promActive.keySet()).hasSize(3);
      for (String url : promActive.keySet()) {
        JsonObject p = promActive.get(url);
        JsonObject v = vigilActive.get(url);
        assertThat(v.keySet()).as(url).isEqualTo(p.keySet());
        for (String field : new String[] {"discoveredLabels", "labels", "scrapePool", "scrapeUrl", "globalUrl", "health",
            "scrapeInterval", "scrapeTimeout"}) {
          assertThat(v.get(field)).as(url + " " + field).isEqualTo(p.get(field));
        }
        assertThat(v.get("lastError").getAsString().isEmpty()).as(url + " lastError").isEqualTo(
            p.get("lastError").getAsString().isEmpty());
        OffsetDateTime.parse(v.get("lastScrape").getAsString());
        OffsetDateTime.parse(p.get("lastScrape").getAsString());
      }
      assertThat(labelsOfDropped(fromVigil)).isEqualTo(labelsOfDropped(fromPrometheus)).hasSize(1);
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      exporter.stop(0);
    }
  }

  private static boolean scraped(JsonObject data) {
    var active = data.getAsJsonArray("activeTargets");
    if (active.size() != 3) {
      return false;
    }
    for (JsonElement t : active) {
      if (t.getAsJsonObject().get("health").getAsString().equals("unknown")) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, JsonObject> byUrl(JsonObject data) {
    Map<String, JsonObject> m = new TreeMap<>();
    for (JsonElement t : data.getAsJsonArray("activeTargets")) {
      m.put(t.getAsJsonObject().get("scrapeUrl").getAsString(), t.getAsJsonObject());
    }
    return m;
  }

  private static java.util.List<JsonElement> labelsOfDropped(JsonObject data) {
    java.util.List<JsonElement> out = new java.util.ArrayList<>();
    for (JsonElement t : data.getAsJsonArray("droppedTargets")) {
      out.add(t.getAsJsonObject().get("discoveredLabels"));
    }
    return out;
  }

  private static JsonObject targets(String base) {
    try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/targets")).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data") : null;
    } catch (java.io.IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
