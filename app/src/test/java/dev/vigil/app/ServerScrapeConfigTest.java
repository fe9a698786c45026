package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil server --config.file} with Prometheus's scrape sections beside Mimir's keys. */
class ServerScrapeConfigTest {
  @TempDir Path dir;

  private static ServerCommand command(String... args) {
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return cmd;
  }

  @Test
  void mimirKeysAndScrapeConfigsLiveInOneFile() throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, """
        multitenancy_enabled: false
        limits:
          ingestion_rate: 50000
        global:
          scrape_interval: 15s
        scrape_configs:
          - job_name: node
            static_configs: [{targets: ['localhost:9100']}]
        querier: {timeout: 30s}
        """);
    ServerCommand cmd = command("--config.file", f.toString());
    ServerConfig c = cmd.config();
    assertThat(c.multitenancy()).isFalse();
    assertThat(c.limits().ingestionRate()).isEqualTo(50000);
    PrometheusConfig p = cmd.scrapeConfig(c.configYaml());
    assertThat(p.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly("node");
    assertThat(p.scrapeConfigs().getFirst().scrapeInterval()).isEqualTo(Duration.ofSeconds(15));

    ServerCommand withPreset = command("--config.file", f.toString(), "--preset", "kubernetes");
    assertThat(withPreset.scrapeConfig(withPreset.config().configYaml()).scrapeConfigs()).hasSize(9);
  }

  @Test
  void scrapeErrorsPointIntoTheUsersFile() throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, """
        limits:
          ingestion_rate: 50000
        scrape_configs:
          - job_name: node
            metrics_pth: /m
        """);
    ServerCommand cmd = command("--config.file", f.toString());
    String yaml = cmd.config().configYaml();
    assertThatThrownBy(() -> cmd.scrapeConfig(yaml)).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageStartingWith("config file " + f + ":5:5: ").hasMessageContaining("metrics_pth");
  }

  @Test
  void remoteWriteIsForTheAgent() throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, "remote_write:\n  - url: http://x/api/v1/push\n");
    ServerCommand cmd = command("--config.file", f.toString());
    assertThatThrownBy(() -> cmd.scrapeConfig(cmd.config().configYaml()))
        .hasMessageContaining("remote_write is not supported in vigil server");
  }

  @Test
  void withoutScrapeSectionsOrPresetNothingIsScraped() throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, "limits:\n  ingestion_rate: 5\n");
    ServerCommand cmd = command("--config.file", f.toString());
    assertThat(cmd.scrapeConfig(cmd.config().configYaml())).isNull();
    ServerCommand none = command();
    assertThat(none.scrapeConfig(none.config().configYaml())).isNull();
    ServerCommand preset = command("--preset", "kubernetes", "--preset.cluster-name", "lab");
    assertThat(preset.scrapeConfig(preset.config().configYaml()).scrapeConfigs()).hasSize(8);
  }

  @Test
  void reloadReadsTheFileAgainAndNamesThePositionOfAnError() throws Exception {
    Path f = dir.resolve("vigil.yaml");
    Files.writeString(f, """
        limits:
          ingestion_rate: 50000
        scrape_configs:
          - job_name: node
            static_configs: [{targets: ['localhost:9100']}]
        """);
    ServerCommand cmd = command("--config.file", f.toString(), "--preset", "kubernetes");
    cmd.config();
    assertThat(cmd.reloadScrapeConfig().scrapeConfigs()).hasSize(9);

    Files.writeString(f, """
        limits:
          ingestion_rate: 50000
        scrape_configs:
          - job_name: node
            static_configs: [{targets: ['localhost:9100']}]
          - job_name: other
            scrape_interval: 1s
            static_configs: [{targets: ['localhost:9101']}]
        """);
    assertThat(cmd.reloadScrapeConfig().scrapeConfigs()).extracting(ScrapeConfig::jobName)
        .startsWith("node", "other").hasSize(10);

    Files.writeString(f, """
        limits:
          ingestion_rat: 1
        scrape_configs:
          - job_name: node
        """);
    // The Mimir part must stay valid too (Prometheus fails a reload on any invalid part).
    assertThatThrownBy(cmd::reloadScrapeConfig).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ingestion_rat");

    Files.writeString(f, """
        scrape_configs:
          - job_name: node
            scrape_interval: often
        """);
    assertThatThrownBy(cmd::reloadScrapeConfig).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("config file " + f + ":3:22: ").hasMessageContaining("often");
    Files.delete(f);
    assertThatThrownBy(cmd::reloadScrapeConfig).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read config file " + f);
  }
}
