package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.ExpositionParser;
import dev.vigil.collector.manager.Exporter;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.model.labels.Labels;
import dev.vigil.server.ListenAddress;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.StorageEngine;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil agent}'s {@code /metrics}, scraped over HTTP and read back with the collector's own
 * text parser: the remote-write queue and scrape pool series under Prometheus's names, moving as
 * samples are sent.
 */
class AgentMetricsTest {
  @TempDir Path dir;

  @Test
  void queueAndPoolMetricsUnderPrometheusNamesMoveAsSamplesAreSent() throws Exception {
    Exporter exporter = new Exporter("widgets_total{color=\"red\"} 42\nwidgets_total{color=\"blue\"} 7\n");
    VigilServer backend = VigilServer.start(ServerConfig.defaults(dir.resolve("server")).withListen("127.0.0.1", 0)
        .withStorage(StorageEngine.MEMORY).withMultitenancy(false, "anonymous"),
        new BuildInfo("test", "x", "main", "today", false, false));
    String url = "http://127.0.0.1:" + backend.port() + "/api/v1/push";
    int port = exporter.port();
    try {
      AgentCommand cmd = new AgentCommand();
      Path f = dir.resolve("prometheus.yml");
      Files.writeString(f, """
          scrape_configs:
            - job_name: widgets
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs: [{targets: ['127.0.0.1:%1$d']}]
            - job_name: limited
              scrape_interval: 100ms
              scrape_timeout: 100ms
              target_limit: 1
              static_configs: [{targets: ['127.0.0.1:%1$d', 'localhost:%1$d']}]
            - job_name: small
              scrape_interval: 100ms
              scrape_timeout: 100ms
              sample_limit: 1
              static_configs: [{targets: ['127.0.0.1:%1$d']}]
          remote_write:
            - name: backend
              url: %2$s
              queue_config: {batch_send_deadline: 100ms}
              write_relabel_configs:
                - {source_labels: [color], regex: blue, action: drop}
          """.formatted(port, url));
      new CommandLine(cmd).parseArgs("--config.file", f.toString());
      try (Agent agent = Agent.start(cmd.config(), dir.resolve("buffer"), ManagerOptions.defaults(dir));
          AgentWeb web = AgentWeb.start(new ListenAddress("127.0.0.1", 0), agent, cmd::config)) {
        Labels queue = Labels.of("remote_name", "backend", "url", url);
        Map<Labels, Double> first = await(web.port(),
            m -> m.getOrDefault(series("prometheus_remote_storage_samples_total", queue), 0.0) > 0
                && m.getOrDefault(Labels.of("__name__", "prometheus_target_scrapes_exceeded_sample_limit_total"), 0.0) > 0);
        double sentBefore = first.get(series("prometheus_remote_storage_samples_total", queue));
        assertThat(first.get(series("prometheus_remote_storage_samples_failed_total", queue))).isZero();
        assertThat(first.get(series("prometheus_remote_storage_samples_retried_total", queue))).isZero();
        // send_exemplars is off by default; metadata goes out once a minute.
        assertThat(first.get(series("prometheus_remote_storage_exemplars_total", queue))).isZero();
        assertThat(first.get(series("prometheus_remote_storage_exemplars_failed_total", queue))).isZero();
        assertThat(first.get(series("prometheus_remote_storage_exemplars_retried_total", queue))).isZero();
        assertThat(first.get(series("prometheus_remote_storage_metadata_total", queue))).isNotNull();
        assertThat(first.get(series("prometheus_remote_storage_metadata_failed_total", queue))).isZero();
        assertThat(first.get(series("prometheus_remote_storage_shards", queue))).isGreaterThanOrEqualTo(1);
        assertThat(first.get(series("prometheus_remote_storage_samples_dropped_total",
            Labels.of("reason", "dropped_by_relabeling", "remote_name", "backend", "url", url)))).isPositive();
        assertThat(first.get(series("prometheus_remote_storage_samples_pending", queue))).isGreaterThanOrEqualTo(0);
        assertThat(first.get(series("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", queue)))
            .isBetween(System.currentTimeMillis() / 1000.0 - 60, System.currentTimeMillis() / 1000.0 + 1);
        Labels widgets = Labels.of("scrape_job", "widgets");
        Labels limited = Labels.of("scrape_job", "limited");
        assertThat(first.get(series("prometheus_target_scrape_pool_targets", widgets))).isEqualTo(1);
        assertThat(first.get(series("prometheus_target_scrape_pool_targets", limited))).isEqualTo(2);
        assertThat(first.get(series("prometheus_target_scrape_pool_target_limit", limited))).isEqualTo(1);
        assertThat(first.get(series("prometheus_target_scrape_pool_target_limit", widgets))).isZero();
        assertThat(first.get(series("prometheus_target_scrape_pool_exceeded_target_limit_total", limited)))
            .isGreaterThanOrEqualTo(1);
        assertThat(first.get(series("prometheus_target_scrape_pool_exceeded_target_limit_total", widgets))).isZero();
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until && agent.targets().active().stream()
            .anyMatch(t -> t.scrapePool().equals("limited") && t.lastError().isEmpty())) {
          Thread.sleep(20);
        }
        assertThat(agent.targets().active()).filteredOn(t -> t.scrapePool().equals("limited")).hasSize(2)
            .allSatisfy(t -> assertThat(t.lastError()).isEqualTo("target_limit exceeded (number of targets: 2, limit: 1)"));

        // Scrapes go on every 100 ms: what was sent, and the newest sent timestamp, must grow.
        double sentTsBefore = first.get(series("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", queue));
        Map<Labels, Double> later = await(web.port(),
            m -> m.get(series("prometheus_remote_storage_samples_total", queue)) > sentBefore + 10
                && m.get(series("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", queue)) > sentTsBefore);
        assertThat((double) agent.sink().queues().getFirst().samplesSent())
            .as("the exported counter is the queue's own").isGreaterThanOrEqualTo(
                later.get(series("prometheus_remote_storage_samples_total", queue)));
      }
    } finally {
      backend.close();
      exporter.close();
    }
  }

  private static Labels series(String name, Labels labels) {
    Labels.Builder b = Labels.builder();
    labels.forEach(b::set);
    b.set(Labels.METRIC_NAME, name);
    return b.build();
  }

  /** Scrapes /metrics until {@code ready} holds (10 s at most) and returns the last parse. */
  private static Map<Labels, Double> await(int port, Predicate<Map<Labels, Double>> ready) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    Map<Labels, Double> m = scrape(port);
    while (!ready.test(m)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("agent metrics did not get there in 10 s: " + m);
      }
      Thread.sleep(50);
      m = scrape(port);
    }
    return m;
  }

  private static Map<Labels, Double> scrape(int port) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    HttpResponse<byte[]> resp;
    try (HttpClient c = HttpClient.newHttpClient()) {
      resp = c.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }
    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
    ExpositionParser p = ExpositionParser.create(ExpositionFormat.PROMETHEUS_TEXT, resp.body());
    Map<Labels, Double> out = new HashMap<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        out.put(p.labels(), p.value());
      }
    }
    return out;
  }
}
