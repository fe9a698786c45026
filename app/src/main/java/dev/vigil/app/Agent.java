package dev.vigil.app;

import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.manager.ScrapeManager;
import dev.vigil.collector.manager.TargetsView;
import dev.vigil.collector.remote.RemoteStorage;
import dev.vigil.collector.remote.RemoteStorageOptions;
import java.nio.file.Path;

/**
 * A running {@code vigil agent}: the scrape manager appending into the remote-write sender's
 * disk buffer. Closing stops the targets first (their last staleness markers still go into the
 * buffer), then the sender.
 */
final class Agent implements AutoCloseable {
  private final RemoteStorage sink;
  private final ScrapeManager manager;
  private final java.util.List<dev.vigil.collector.config.RemoteWriteConfig> remoteWrite;
  private final AgentMetrics metrics;

  private Agent(RemoteStorage sink, ScrapeManager manager,
      java.util.List<dev.vigil.collector.config.RemoteWriteConfig> remoteWrite) {
    this.sink = sink;
    this.manager = manager;
    this.remoteWrite = remoteWrite;
    this.metrics = new AgentMetrics(sink, manager);
  }

  /**
   * Opens the buffer in {@code dataDir} and starts scraping {@code config}.
   *
   * @throws IllegalArgumentException when there is no {@code remote_write} entry, or a job or an
   *     endpoint cannot start (nothing keeps running then)
   */
  static Agent start(PrometheusConfig config, Path dataDir, ManagerOptions options) {
    return start(config, dataDir, options, RemoteStorageOptions.defaults());
  }

  /** As {@link #start(PrometheusConfig, Path, ManagerOptions)}, the buffer opened with {@code sinkOptions}. */
  static Agent start(PrometheusConfig config, Path dataDir, ManagerOptions options,
      RemoteStorageOptions sinkOptions) {
    RemoteStorage sink = openSink(config, dataDir, sinkOptions);
    ScrapeManager manager = new ScrapeManager(sink, options);
    Agent agent = new Agent(sink, manager, config.remoteWrite());
    try {
      manager.apply(config);
    } catch (RuntimeException e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  /** The sink of scraped samples: the durable remote-write sender over {@code remote_write}. */
  static RemoteStorage openSink(PrometheusConfig config, Path dataDir, RemoteStorageOptions options) {
    if (config.remoteWrite().isEmpty()) {
      throw new IllegalArgumentException("remote_write is required: vigil agent sends what it scrapes to "
          + "remote-write endpoints; add a remote_write section to --config.file or give --remote-write.url");
    }
    if (!config.global().externalLabels().isEmpty()) {
      // The sender does not add them yet; sending without them would silently change the series.
      throw new IllegalArgumentException("global.external_labels " + config.global().externalLabels()
          + " are not applied by vigil agent yet; set those labels with relabel_configs on the scrape jobs instead");
    }
    return RemoteStorage.open(dataDir, config.remoteWrite(), options);
  }

  /** Reloads: unchanged jobs keep running. */
  void apply(PrometheusConfig config) {
    manager.apply(config);
  }

  /** The endpoints the sender was opened with. */
  java.util.List<dev.vigil.collector.config.RemoteWriteConfig> remoteWrite() {
    return remoteWrite;
  }

  TargetsView targets() {
    return manager.targets();
  }

  java.util.List<dev.vigil.collector.manager.TargetMetadata> targetMetadata() {
    return manager.targetMetadata();
  }

  /** The agent's self-monitoring metrics ({@code /metrics}). */
  AgentMetrics metrics() {
    return metrics;
  }

  RemoteStorage sink() {
    return sink;
  }

  @Override
  public void close() {
    manager.close();
    sink.close();
  }
}
