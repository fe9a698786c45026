package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.config.ScrapeProtocol;
import dev.vigil.collector.relabel.NameValidation;
import dev.vigil.model.labels.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeTargetTest {
  private static ScrapeConfig job(String yaml) {
    return ConfigLoader.load("scrape_configs:\n  - job_name: j\n" + yaml.indent(4)).scrapeConfigs().get(0);
  }

  @Test
  void populatesLikePrometheus() {
    ScrapeConfig cfg = job("""
        scheme: https
        metrics_path: /probe
        params: {target: [example.com]}
        relabel_configs:
          - source_labels: [__meta_role]
            target_label: role
        """);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", "h:9100", "__meta_role", "db"), cfg);
    assertThat(t.url().toString()).isEqualTo("https://h:9100/probe?target=example.com");
    assertThat(t.labels()).isEqualTo(Labels.of("instance", "h:9100", "job", "j", "role", "db"));
    assertThat(t.allLabels().get("__meta_role")).isEmpty();
    assertThat(t.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(t.timeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void droppedAndInvalidTargets() {
    ScrapeConfig keep = job("relabel_configs:\n  - source_labels: [x]\n    regex: y\n    action: keep\n");
    assertThat(ScrapeTarget.populate(Labels.of("__address__", "h:1"), keep)).isNull();
    assertThatThrownBy(() -> ScrapeTarget.populate(Labels.EMPTY, job(""))).hasMessage("no address");
    assertThatThrownBy(() -> ScrapeTarget.populate(Labels.of("__address__", "h:1", "__scrape_timeout__", "2m"), job("")))
        .hasMessage("scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")");
    assertThatThrownBy(() -> ScrapeTarget.populate(Labels.of("__address__", "h:1", "__scrape_interval__", "0"), job("")))
        .hasMessage("scrape interval cannot be 0");
  }

  @Test
  void acceptHeaderFollowsProtocolOrder() {
    assertThat(HttpScraper.acceptHeader(List.of(ScrapeProtocol.PROMETHEUS_TEXT_0_0_4), NameValidation.UTF8))
        .isEqualTo("text/plain;version=0.0.4;q=0.6,*/*;q=0.5");
    assertThat(HttpScraper.acceptHeader(List.of(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0), NameValidation.LEGACY))
        .isEqualTo("application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,*/*;q=0.5");
  }
}
