package dev.vigil.server.scrape;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The outcome of scrape configuration reloads under Prometheus's own names, so that the
 * prometheus-mixin's {@code PrometheusBadConfig} alert works against {@code vigil server}:
 * {@code prometheus_config_last_reload_successful},
 * {@code prometheus_config_last_reload_success_timestamp_seconds}, plus the count of failed
 * reloads ({@code vigil_scrape_config_reload_failures_total}). Nothing is reported while the
 * server has no reloadable scrape configuration.
 */
public final class ScrapeReloadMetrics implements MultiCollector {
  private final LocalScraping scraping;

  public ScrapeReloadMetrics(LocalScraping scraping) {
    this.scraping = scraping;
  }

  @Override
  public MetricSnapshots collect() {
    LocalScraping.ReloadStatus s = scraping.reloadStatus();
    if (s == null) {
      return new MetricSnapshots();
    }
    return new MetricSnapshots(
        gauge("prometheus_config_last_reload_successful", "Whether the last configuration reload attempt was successful.",
            s.lastSuccessful() ? 1 : 0),
        gauge("prometheus_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.",
            s.lastSuccessMillis() / 1000.0),
        CounterSnapshot.builder().name("vigil_scrape_config_reload_failures")
            .help("Scrape configuration reloads that failed (the previous configuration kept running).")
            .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.failures()).labels(Labels.EMPTY).build())
            .build());
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder().name(name).help(help)
        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(Labels.EMPTY).build())
        .build();
  }
}
