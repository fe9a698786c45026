package dev.vigil.server.scrape;

import dev.vigil.collector.config.PrometheusConfig;

/**
 * Where {@link LocalScraping#reload} reads the scrape configuration again: in {@code vigil
 * server}, the Prometheus sections of {@code --config.file} plus the {@code --preset} jobs.
 */
@FunctionalInterface
public interface ScrapeConfigSource {
  /**
   * The configuration now; null when there is nothing to scrape.
   *
   * @throws IllegalArgumentException when it cannot be read or is invalid, with a message naming
   *     the file and the YAML position
   */
  PrometheusConfig load();
}
