package dev.vigil.collector.config;

import dev.vigil.collector.relabel.NameValidation;
import dev.vigil.model.labels.Labels;
import java.time.Duration;
import java.util.List;

/**
 * The {@code global} section: defaults every scrape job inherits, and external labels.
 * {@code scrapeProtocols} is empty when not set (each job then picks Prometheus's default).
 * Limits of 0 mean "no limit". {@code scrapeNativeHistograms} and {@code alwaysScrapeClassicHistograms}
 * are Prometheus 3's defaults for the jobs (both false), as is {@code convertClassicHistogramsToNhcb}.
 */
public record GlobalConfig(
    Duration scrapeInterval,
    Duration scrapeTimeout,
    Duration evaluationInterval,
    List<ScrapeProtocol> scrapeProtocols,
    Labels externalLabels,
    long bodySizeLimit,
    long sampleLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    long targetLimit,
    NameValidation metricNameValidation,
    boolean scrapeNativeHistograms,
    boolean alwaysScrapeClassicHistograms,
    long keepDroppedTargets,
    boolean convertClassicHistogramsToNhcb) {

  public static final GlobalConfig DEFAULT = new GlobalConfig(Duration.ofMinutes(1), Duration.ofSeconds(10),
      Duration.ofMinutes(1), List.of(), Labels.EMPTY, 0, 0, 0, 0, 0, 0, NameValidation.UTF8, false, false, 0, false);

  public GlobalConfig {
    scrapeProtocols = List.copyOf(scrapeProtocols);
  }
}
