package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.peer.ReplayProxy;
import dev.vigil.collector.peer.VigilCollector;
import dev.vigil.collector.peer.VigilCollector.Latest;
import dev.vigil.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An OpenMetrics scrape with {@code _created} lines, through HttpScraper and ScrapeLoop, into a
 * store that asks for start timestamps and into one that does not.
 */
class OpenMetricsCreatedScrapeTest {
  private static final byte[] BODY = """
      # TYPE jobs counter
      jobs_total{queue="q1"} 42
      jobs_created{queue="q1"} 1700000000.005
      jobs_total{queue="q2"} 1
      # TYPE wait_seconds histogram
      wait_seconds_bucket{le="0.1"} 1
      wait_seconds_bucket{le="+Inf"} 3
      wait_seconds_count 3
      wait_seconds_sum 0.7
      wait_seconds_created 1700000001
      # EOF
      """.getBytes(StandardCharsets.UTF_8);

  private static final String CONFIG = """
      scrape_configs:
        - job_name: om
          scrape_protocols: [OpenMetricsText1.0.0]
          static_configs: [{targets: ['%1$s']}]
        - job_name: nhcb
          scrape_protocols: [OpenMetricsText1.0.0]
          convert_classic_histograms_to_nhcb: true
          static_configs: [{targets: ['%1$s']}]
      """;

  /** The scraped series as "name{label} st", report series aside. */
  private static Map<String, Long> starts(Map<Labels, Latest> stored) {
    Map<String, Long> out = new TreeMap<>();
    stored.forEach((l, s) -> {
      String name = l.metricName();
      if (!name.equals("up") && !name.startsWith("scrape_")) {
        String extra = !l.get("queue").isEmpty() ? "{" + l.get("queue") + "}"
            : !l.get("le").isEmpty() ? "{" + l.get("le") + "}" : "";
        out.put(name + extra, s.st());
      }
    });
    return out;
  }

  @Test
  void createdLinesBecomeStartTimestampsWhenTheStoreAsks() throws Exception {
    try (ReplayProxy exporter = new ReplayProxy()) {
      exporter.serve("/metrics", ExpositionBodies.OPENMETRICS, BODY);
      VigilCollector vigil = new VigilCollector(CONFIG.formatted(exporter.address()), true);
      vigil.scrapeAll(1);
      assertThat(vigil.loops()).allSatisfy(l -> assertThat(l.lastResult().error()).isEmpty());
      assertThat(starts(vigil.latest("job", "om"))).containsExactly(
          Map.entry("jobs_total{q1}", 1_700_000_000_005L),
          Map.entry("jobs_total{q2}", 0L),
          Map.entry("wait_seconds_bucket{+Inf}", 1_700_000_001_000L),
          Map.entry("wait_seconds_bucket{0.1}", 1_700_000_001_000L),
          Map.entry("wait_seconds_count", 1_700_000_001_000L),
          Map.entry("wait_seconds_sum", 1_700_000_001_000L));
      // Classic histograms converted to native ones keep the start of their first bucket.
      assertThat(starts(vigil.latest("job", "nhcb"))).containsExactly(
          Map.entry("jobs_total{q1}", 1_700_000_000_005L),
          Map.entry("jobs_total{q2}", 0L),
          Map.entry("wait_seconds", 1_700_000_001_000L));
      assertThat(vigil.latest("job", "om").get(Labels.of("__name__", "scrape_samples_scraped",
          "instance", exporter.address(), "job", "om")).v()).isEqualTo(6);
    }
  }

  @Test
  void createdLinesStaySeriesOtherwise() throws Exception {
    try (ReplayProxy exporter = new ReplayProxy()) {
      exporter.serve("/metrics", ExpositionBodies.OPENMETRICS, BODY);
      VigilCollector vigil = new VigilCollector(CONFIG.formatted(exporter.address()));
      vigil.scrapeAll(1);
      Map<String, Long> om = starts(vigil.latest("job", "om"));
      assertThat(om).containsKeys("jobs_created{q1}", "wait_seconds_created")
          .hasSize(8).allSatisfy((k, v) -> assertThat(v).isZero());
      assertThat(om).containsEntry("jobs_created{q1}", 0L);
    }
  }
}
