package dev.vigil.collector.config;

import java.util.List;

/** A Prometheus-style configuration file as the collector sees it. */
public record PrometheusConfig(
    GlobalConfig global, List<ScrapeConfig> scrapeConfigs, List<RemoteWriteConfig> remoteWrite) {
  public PrometheusConfig {
    scrapeConfigs = List.copyOf(scrapeConfigs);
    remoteWrite = List.copyOf(remoteWrite);
  }
}
