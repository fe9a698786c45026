package dev.vigil.app;

import dev.vigil.collector.manager.PoolStats;
import dev.vigil.collector.manager.ScrapeManager;
import dev.vigil.collector.remote.QueueStats;
import dev.vigil.collector.remote.RemoteStorage;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's own {@code /metrics}: the remote-write queues' {@link QueueStats} and the scrape
 * pools under Prometheus's metric names, so dashboards and alerts written for Prometheus's agent
 * (e.g. the Prometheus mixin's remote-write panels) work unchanged. Read from the live counters at
 * every scrape rather than mirrored into client-library metrics, so the two never disagree.
 */
final class AgentMetrics implements MultiCollector {
  private final RemoteStorage sink;
  private final ScrapeManager manager;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();

  AgentMetrics(RemoteStorage sink, ScrapeManager manager) {
    this.sink = sink;
    this.manager = manager;
    registry.register(this);
  }

  /** The body and its content type for a scrape asking with {@code accept} (may be null). */
  record Body(String contentType, byte[] bytes) {}

  Body scrape(String accept) throws IOException {
    ExpositionFormatWriter writer = formats.getOpenMetricsTextFormatWriter().accepts(accept)
        ? formats.getOpenMetricsTextFormatWriter()
        : formats.getPrometheusTextFormatWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape());
    return new Body(writer.getContentType(), out.toByteArray());
  }

  @Override
  public MetricSnapshots collect() {
    List<QueueStats> queues = sink.queues();
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(queueCounter(queues, "prometheus_remote_storage_samples",
        "Total number of samples sent to remote storage.", QueueStats::samplesSent));
    out.add(queueCounter(queues, "prometheus_remote_storage_samples_failed",
        "Total number of samples which failed on send to remote storage, non-recoverable errors.",
        QueueStats::samplesFailed));
    out.add(queueCounter(queues, "prometheus_remote_storage_samples_retried",
        "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.",
        QueueStats::samplesRetried));
    out.add(queueCounter(queues, "prometheus_remote_storage_exemplars",
        "Total number of exemplars sent to remote storage.", QueueStats::exemplarsSent));
    out.add(queueCounter(queues, "prometheus_remote_storage_exemplars_failed",
        "Total number of exemplars which failed on send to remote storage, non-recoverable errors.",
        QueueStats::exemplarsFailed));
    out.add(queueCounter(queues, "prometheus_remote_storage_exemplars_retried",
        "Total number of exemplars which failed on send to remote storage but were retried "
            + "because the send error was recoverable.", QueueStats::exemplarsRetried));
    out.add(queueCounter(queues, "prometheus_remote_storage_metadata",
        "Total number of metadata entries sent to remote storage.", QueueStats::metadataSent));
    out.add(queueCounter(queues, "prometheus_remote_storage_metadata_failed",
        "Total number of metadata entries which failed on send to remote storage, "
            + "non-recoverable errors.", QueueStats::metadataFailed));
    out.add(queueCounter(queues, "prometheus_remote_storage_bytes",
        "The total number of bytes of data (not metadata) sent by the queue after compression.",
        QueueStats::bytesSent));
    CounterSnapshot.Builder dropped = CounterSnapshot.builder().name("prometheus_remote_storage_samples_dropped")
        .help("Total number of samples which were dropped after being read from the WAL before being sent via "
            + "remote write, by reason.");
    for (QueueStats q : queues) {
      for (Map.Entry<String, Long> e : q.droppedByReason().entrySet()) {
        // Non-retryable answers are "failed" in Prometheus, not dropped.
        if (!e.getKey().startsWith(QueueStats.DROP_HTTP_PREFIX)) {
          dropped.dataPoint(CounterDataPointSnapshot.builder().labels(queueLabels(q).add("reason", e.getKey()))
              .value(e.getValue()).build());
        }
      }
    }
    out.add(dropped.build());
    out.add(queueGauge(queues, "prometheus_remote_storage_samples_pending",
        "The number of samples pending in the queues shards to be sent to the remote storage.",
        QueueStats::pendingSamples));
    out.add(queueGauge(queues, "prometheus_remote_storage_shards",
        "The number of shards used for parallel sending to the remote storage.", QueueStats::shards));
    out.add(queueGauge(queues, "prometheus_remote_storage_shards_desired",
        "The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.",
        QueueStats::desiredShards));
    GaugeSnapshot.Builder sent = GaugeSnapshot.builder().name("prometheus_remote_storage_queue_highest_sent_timestamp_seconds")
        .help("Timestamp from a WAL sample, the highest successfully sent by this queue, in seconds since epoch.");
    for (QueueStats q : queues) {
      long t = q.highestSentTimestamp();
      sent.dataPoint(GaugeDataPointSnapshot.builder().labels(queueLabels(q))
          .value(t == Long.MIN_VALUE ? 0 : t / 1000.0).build());
    }
    out.add(sent.build());

    List<PoolStats> pools = manager.pools();
    GaugeSnapshot.Builder targets = GaugeSnapshot.builder().name("prometheus_target_scrape_pool_targets")
        .help("Current number of targets in this scrape pool.");
    GaugeSnapshot.Builder limit = GaugeSnapshot.builder().name("prometheus_target_scrape_pool_target_limit")
        .help("Maximum number of targets allowed in this scrape pool.");
    CounterSnapshot.Builder exceeded = CounterSnapshot.builder()
        .name("prometheus_target_scrape_pool_exceeded_target_limit")
        .help("Total number of times scrape pools hit the target limit, during sync or config reload.");
    long sampleLimitHits = 0;
    long exemplarsRejected = 0;
    for (PoolStats p : pools) {
      sampleLimitHits += p.exceededSampleLimitTotal();
      exemplarsRejected += p.exemplarsRejectedTotal();
      Labels l = Labels.of("scrape_job", p.job());
      targets.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(p.targets()).build());
      limit.dataPoint(GaugeDataPointSnapshot.builder().labels(l).value(p.targetLimit()).build());
      exceeded.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(p.exceededTargetLimitTotal()).build());
    }
    out.add(targets.build());
    out.add(limit.build());
    out.add(exceeded.build());
    // Unlabelled, as in Prometheus; a job removed by a reload takes its share with it.
    out.add(CounterSnapshot.builder().name("prometheus_target_scrapes_exceeded_sample_limit")
        .help("Total number of scrapes that hit the sample limit and were rejected.")
        .dataPoint(CounterDataPointSnapshot.builder().value(sampleLimitHits).build()).build());
    // Every exemplar the store refused: the store's error does not tell out-of-order apart.
    out.add(CounterSnapshot.builder().name("prometheus_target_scrapes_exemplar_out_of_order")
        .help("Total number of exemplar rejected due to not being out of the expected order.")
        .dataPoint(CounterDataPointSnapshot.builder().value(exemplarsRejected).build()).build());
    return new MetricSnapshots(out);
  }

  private static CounterSnapshot queueCounter(List<QueueStats> queues, String name, String help,
      java.util.function.ToLongFunction<QueueStats> value) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    for (QueueStats q : queues) {
      b.dataPoint(CounterDataPointSnapshot.builder().labels(queueLabels(q)).value(value.applyAsLong(q)).build());
    }
    return b.build();
  }

  private static GaugeSnapshot queueGauge(List<QueueStats> queues, String name, String help,
      java.util.function.ToLongFunction<QueueStats> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    for (QueueStats q : queues) {
      b.dataPoint(GaugeDataPointSnapshot.builder().labels(queueLabels(q)).value(value.applyAsLong(q)).build());
    }
    return b.build();
  }

  private static Labels queueLabels(QueueStats q) {
    return Labels.of("remote_name", q.name(), "url", q.endpoint());
  }
}
