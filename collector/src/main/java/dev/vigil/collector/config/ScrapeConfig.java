package dev.vigil.collector.config;

import dev.vigil.collector.relabel.NameValidation;
import dev.vigil.collector.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} job after defaults from {@link GlobalConfig} were applied (Prometheus's
 * {@code ScrapeConfig.Validate}): interval, timeout, limits and protocols are always set.
 * Limits of 0 mean "no limit" ({@code keepDroppedTargets}: keep every dropped target for the targets
 * view). {@code scrapeNativeHistograms} false makes the protobuf parser read every histogram as a
 * classic one (Prometheus 3's {@code IgnoreNativeHistograms}); {@code alwaysScrapeClassicHistograms}
 * keeps the classic series of a histogram that is also native, and with
 * {@code convertClassicHistogramsToNhcb} (Prometheus 3's {@code convert_classic_histograms_to_nhcb})
 * those of a classic histogram turned into a native histogram with custom buckets.
 */
public record ScrapeConfig(
    String jobName,
    boolean honorLabels,
    boolean honorTimestamps,
    boolean trackTimestampsStaleness,
    Map<String, List<String>> params,
    Duration scrapeInterval,
    Duration scrapeTimeout,
    List<ScrapeProtocol> scrapeProtocols,
    ScrapeProtocol fallbackScrapeProtocol,
    String metricsPath,
    String scheme,
    boolean enableCompression,
    long bodySizeLimit,
    long sampleLimit,
    long targetLimit,
    long labelLimit,
    long labelNameLengthLimit,
    long labelValueLengthLimit,
    NameValidation metricNameValidation,
    boolean scrapeNativeHistograms,
    boolean alwaysScrapeClassicHistograms,
    boolean convertClassicHistogramsToNhcb,
    long keepDroppedTargets,
    HttpClientConfig httpClient,
    List<StaticConfig> staticConfigs,
    List<FileSdConfig> fileSdConfigs,
    List<KubernetesSdConfig> kubernetesSdConfigs,
    List<RelabelConfig> relabelConfigs,
    List<RelabelConfig> metricRelabelConfigs) {

  public ScrapeConfig {
    params = Map.copyOf(params);
    scrapeProtocols = List.copyOf(scrapeProtocols);
    staticConfigs = List.copyOf(staticConfigs);
    fileSdConfigs = List.copyOf(fileSdConfigs);
    kubernetesSdConfigs = List.copyOf(kubernetesSdConfigs);
    relabelConfigs = List.copyOf(relabelConfigs);
    metricRelabelConfigs = List.copyOf(metricRelabelConfigs);
  }
}
