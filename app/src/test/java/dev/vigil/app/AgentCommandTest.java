package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.Exporter;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.manager.TargetHealth;
import dev.vigil.collector.preset.KubernetesPreset;
import dev.vigil.server.ListenAddress;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.StorageEngine;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentCommandTest {
  @TempDir Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void printConfigShowsThePresetAsALoadableFile() {
    CliRun r = run("agent", "--preset", "kubernetes", "--print-config");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).isEqualTo(KubernetesPreset.yaml(KubernetesPreset.Options.defaults("kubernetes")));
    PrometheusConfig loaded = ConfigLoader.load(r.out());
    assertThat(loaded.scrapeConfigs()).hasSize(8);

    CliRun named = run("agent", "--preset=kubernetes", "--preset.cluster-name", "prod-eu", "--print-config");
    assertThat(named.code()).isEqualTo(0);
    assertThat(named.out()).contains("replacement: prod-eu").doesNotContain("replacement: kubernetes\n    - target_label: cluster");
  }

  @Test
  void printConfigNeedsAPreset() {
    CliRun r = run("agent", "--print-config");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--print-config prints the configuration of a preset: add --preset kubernetes");
  }

  @Test
  void withoutRemoteWriteTheAgentSaysWhatIsMissing() throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: x\n    static_configs: [{targets: ['localhost:1']}]\n");
    CliRun r = run("agent", "--config.file", f.toString(), "--storage.agent.path", dir.resolve("buf").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("remote_write is required");
    assertThat(dir.resolve("buf")).doesNotExist();
  }

  @Test
  void externalLabelsAreRefusedRatherThanDropped() throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "global:\n  external_labels: {cluster: eu}\nscrape_configs:\n  - job_name: x\n"
        + "    static_configs: [{targets: ['localhost:1']}]\nremote_write:\n  - url: http://localhost:1/api/v1/push\n");
    CliRun r = run("agent", "--config.file", f.toString(), "--storage.agent.path", dir.resolve("buf").toString(),
        "--web.listen-address", "127.0.0.1:0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("global.external_labels {cluster=\"eu\"} are not applied by vigil agent yet");
    assertThat(dir.resolve("buf")).doesNotExist();
  }

  @Test
  void configErrorsNameTheFileLineAndColumn() throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: x\n    scrape_intervl: 5s\n");
    CliRun r = run("agent", "--config.file", f.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("config file " + f + ":3:5: ").contains("scrape_intervl");
  }

  @Test
  void aJobInBothTheFileAndThePresetIsRefused() throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, "scrape_configs:\n  - job_name: integrations/node_exporter\n"
        + "    static_configs: [{targets: ['localhost:9100']}]\n");
    CliRun r = run("agent", "--config.file", f.toString(), "--preset", "kubernetes",
        "--remote-write.url", "http://localhost:1/api/v1/push");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("job integrations/node_exporter is defined by the config file and by --preset kubernetes");
  }

  @Test
  void scrapedSamplesReachTheBackendThroughRemoteWrite() throws Exception {
    Exporter exporter = new Exporter("widgets_total{color=\"red\"} 42\n");
    VigilServer backend = memoryBackend();
    try {
      AgentCommand cmd = new AgentCommand();
      Path f = agentConfig("widgets", exporter.port(), backend.port());
      new CommandLine(cmd).parseArgs("--config.file", f.toString());
      try (Agent agent = Agent.start(cmd.config(), dir.resolve("buffer"), ManagerOptions.defaults(dir))) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline && !body.contains("\"42\"")) {
          body = query(backend.port(), "widgets_total{job=\"widgets\",color=\"red\"}");
          Thread.sleep(100);
        }
        assertThat(body).contains("\"42\"").contains("\"instance\":\"127.0.0.1:" + exporter.port() + "\"");
        assertThat(agent.targets().active()).singleElement().satisfies(t -> assertThat(t.health()).isEqualTo(TargetHealth.UP));

        try (AgentWeb web = AgentWeb.start(new ListenAddress("127.0.0.1", 0), agent, cmd::config)) {
          String targets = http(web.port(), "GET", "/api/v1/targets?state=active");
          assertThat(targets).startsWith("{\"status\":\"success\",\"data\":{\"activeTargets\":[{")
              .contains("\"scrapePool\":\"widgets\"").contains("\"health\":\"up\"");
          assertThat(http(web.port(), "GET", "/-/ready")).contains("Ready");

          // Reload: a job more, same endpoints; the running job is kept.
          Files.writeString(f, Files.readString(f).replace("remote_write:", """
                - job_name: more
                  scrape_interval: 100ms
                  scrape_timeout: 100ms
                  static_configs: [{targets: ['127.0.0.1:%d']}]
              remote_write:""".formatted(exporter.port())));
          assertThat(http(web.port(), "POST", "/-/reload")).isEmpty();
          assertThat(agent.targets().active()).extracting(t -> t.scrapePool()).containsExactly("widgets", "more");
          assertThat(agent.targets().active().getFirst().health()).isEqualTo(TargetHealth.UP);

          Files.writeString(f, Files.readString(f).replace("batch_send_deadline: 100ms", "batch_send_deadline: 200ms"));
          assertThat(http(web.port(), "POST", "/-/reload")).contains("remote_write changed; restart the agent");
          assertThat(http(web.port(), "GET", "/-/reload")).contains("Only POST or PUT");
        }
      }
    } finally {
      backend.close();
      exporter.close();
    }
  }

  private static String http(int port, String method, String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    try (HttpClient c = HttpClient.newHttpClient()) {
      return c.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  /**
   * {@code --enable-feature=created-timestamp-zero-ingestion}: an OpenMetrics counter's
   * {@code _created} line reaches the backend as a zero sample before the counter's first sample,
   * and not as a series.
   */
  @Test
  void createdTimestampZeroIngestionSendsTheCountersStart() throws Exception {
    long created = System.currentTimeMillis() - 600_000;
    Exporter exporter = new Exporter("# TYPE jobs counter\njobs_total 7\njobs_created %d.%03d\n# EOF\n"
        .formatted(created / 1000, created % 1000),
        "application/openmetrics-text; version=1.0.0; charset=utf-8");
    VigilServer backend = memoryBackend();
    try {
      AgentCommand cmd = new AgentCommand();
      Path f = agentConfig("om", exporter.port(), backend.port());
      new CommandLine(cmd).parseArgs("--config.file", f.toString(),
          "--enable-feature=created-timestamp-zero-ingestion,no-such-feature");
      assertThat(cmd.sinkOptions().startTimestampZeroSamples()).isTrue();
      try (Agent agent = Agent.start(cmd.config(), dir.resolve("buffer"), ManagerOptions.defaults(dir),
          cmd.sinkOptions())) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        String body = "";
        while (System.nanoTime() < deadline && !body.contains("\"7\"")) {
          body = query(backend.port(), "jobs_total[15m]");
          Thread.sleep(100);
        }
        String start = "[%d.%03d,\"0\"],[".formatted(created / 1000, created % 1000);
        assertThat(body).contains("\"values\":" + "[" + start);
        assertThat(query(backend.port(), "jobs_created")).contains("\"result\":[]");
      }
    } finally {
      backend.close();
      exporter.close();
    }
    assertThat(new AgentCommand().sinkOptions().startTimestampZeroSamples()).isFalse();
  }

  /** A server keeping what it receives in memory, on an ephemeral port. */
  private VigilServer memoryBackend() {
    return VigilServer.start(ServerConfig.defaults(dir.resolve("server")).withListen("127.0.0.1", 0)
        .withStorage(StorageEngine.MEMORY).withMultitenancy(false, "anonymous"),
        new BuildInfo("test", "x", "main", "today", false, false));
  }

  /** A config file: one job scraping {@code exporterPort} every 100 ms, sent to the backend. */
  private Path agentConfig(String job, int exporterPort, int backendPort) throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, """
        scrape_configs:
          - job_name: %s
            scrape_interval: 100ms
            scrape_timeout: 100ms
            static_configs: [{targets: ['127.0.0.1:%d']}]
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/push
            queue_config: {batch_send_deadline: 100ms}
        """.formatted(job, exporterPort, backendPort));
    return f;
  }

  private static String query(int port, String expr) throws Exception {
    String q = "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8) + "&time=" + System.currentTimeMillis() / 1000.0;
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus/api/v1/query?" + q)).build();
    try (HttpClient c = HttpClient.newHttpClient()) {
      return c.send(req, HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
