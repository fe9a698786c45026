package dev.vigil.collector.remote;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one remote-write queue, named after Prometheus's
 * {@code prometheus_remote_storage_*} metrics. Thread-safe; read at any time (an exporter polls
 * them). "Samples" counts float samples and histogram samples alike.
 */
public final class QueueStats {
  /** Drop reason: the endpoint answered a non-retryable status (suffix: the status code). */
  public static final String DROP_HTTP_PREFIX = "http_";
  /** Drop reason: older than {@code queue_config.sample_age_limit}. */
  public static final String DROP_TOO_OLD = "too_old";
  /** Drop reason: a histogram while {@code send_native_histograms} is false. */
  public static final String DROP_NATIVE_HISTOGRAMS_DISABLED = "native_histograms_disabled";
  /** Drop reason: {@code write_relabel_configs} dropped the series. */
  public static final String DROP_RELABELED = "dropped_by_relabeling";
  /** Drop reason: a sample whose series record is not in the WAL (damaged or truncated log). */
  public static final String DROP_UNKNOWN_SERIES = "unknown_series";

  private final String name;
  private final String endpoint;
  final LongAdder samplesIn = new LongAdder();
  final LongAdder samplesSent = new LongAdder();
  final LongAdder samplesFailed = new LongAdder();
  final LongAdder samplesRetried = new LongAdder();
  final LongAdder exemplarsIn = new LongAdder();
  final LongAdder exemplarsSent = new LongAdder();
  final LongAdder exemplarsFailed = new LongAdder();
  final LongAdder exemplarsRetried = new LongAdder();
  final LongAdder metadataSent = new LongAdder();
  final LongAdder metadataFailed = new LongAdder();
  final LongAdder requestsSent = new LongAdder();
  final LongAdder requestsFailed = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder pending = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> dropped = new ConcurrentHashMap<>();
  final AtomicLong highestReadTimestamp = new AtomicLong(Long.MIN_VALUE);
  final AtomicLong highestSentTimestamp = new AtomicLong(Long.MIN_VALUE);
  volatile int shards;
  volatile int desiredShards;
  volatile int reshards;
  volatile WalPosition readPosition = new WalPosition(0, 0);
  volatile WalPosition savedPosition = new WalPosition(0, 0);
  volatile String lastError = "";

  QueueStats(String name, String endpoint) {
    this.name = name;
    this.endpoint = endpoint;
  }

  /** The queue's name ({@code name} of the config, or a hash of the URL). */
  public String name() {
    return name;
  }

  public String endpoint() {
    return endpoint;
  }

  /** Samples read from the WAL for this queue. */
  public long samplesIn() {
    return samplesIn.sum();
  }

  /** Samples the endpoint accepted (2xx). */
  public long samplesSent() {
    return samplesSent.sum();
  }

  /** Samples given up on: non-retryable answers (also counted per reason in {@link #dropped}). */
  public long samplesFailed() {
    return samplesFailed.sum();
  }

  /** Samples in requests that failed and were tried again (5xx, 429, network errors). */
  public long samplesRetried() {
    return samplesRetried.sum();
  }

  /** Exemplars read from the WAL for this queue (only when {@code send_exemplars} is true). */
  public long exemplarsIn() {
    return exemplarsIn.sum();
  }

  /** Exemplars the endpoint accepted. */
  public long exemplarsSent() {
    return exemplarsSent.sum();
  }

  /** Exemplars given up on (non-retryable answers). */
  public long exemplarsFailed() {
    return exemplarsFailed.sum();
  }

  /** Exemplars in requests that failed and were tried again. */
  public long exemplarsRetried() {
    return exemplarsRetried.sum();
  }

  /**
   * Metadata the endpoint accepted: 1.0 {@code MetricMetadata} entries (each family again every
   * {@code send_interval}), 2.0 series sent with their metadata.
   */
  public long metadataSent() {
    return metadataSent.sum();
  }

  /** 1.0 metadata entries given up on (non-retryable answers, or a newer round replaced them). */
  public long metadataFailed() {
    return metadataFailed.sum();
  }

  public long requestsSent() {
    return requestsSent.sum();
  }

  /** Requests that got a retryable error, non-retryable answer or no answer. */
  public long requestsFailed() {
    return requestsFailed.sum();
  }

  /** Compressed bytes of accepted requests. */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Samples and exemplars read from the WAL and not yet sent or dropped. */
  public long pendingSamples() {
    return pending.sum();
  }

  /** Samples dropped for {@code reason} (one of the {@code DROP_*} constants or http_NNN). */
  public long dropped(String reason) {
    LongAdder a = dropped.get(reason);
    return a == null ? 0 : a.sum();
  }

  /** Every drop reason seen so far with its count, sorted by reason. */
  public Map<String, Long> droppedByReason() {
    Map<String, Long> out = new TreeMap<>();
    dropped.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public long droppedTotal() {
    long n = 0;
    for (LongAdder a : dropped.values()) {
      n += a.sum();
    }
    return n;
  }

  void drop(String reason, long n) {
    dropped.computeIfAbsent(reason, r -> new LongAdder()).add(n);
  }

  /** Newest sample timestamp read from the WAL (ms), or Long.MIN_VALUE. */
  public long highestReadTimestamp() {
    return highestReadTimestamp.get();
  }

  /** Newest sample timestamp the endpoint accepted (ms), or Long.MIN_VALUE. */
  public long highestSentTimestamp() {
    return highestSentTimestamp.get();
  }

  public int shards() {
    return shards;
  }

  public int desiredShards() {
    return desiredShards;
  }

  /** Times the shard count changed. */
  public int reshards() {
    return reshards;
  }

  /** Where the watcher reads ({@code segment:offset}). */
  public String readPosition() {
    return readPosition.toString();
  }

  /** The durable sent position ({@code segment:offset}), where a restart resumes. */
  public String savedPosition() {
    return savedPosition.toString();
  }

  /** The last failure's description (status and body excerpt, or the I/O error), or "". */
  public String lastError() {
    return lastError;
  }

  static void raise(AtomicLong a, long v) {
    long cur = a.get();
    while (v > cur && !a.compareAndSet(cur, v)) {
      cur = a.get();
    }
  }

  @Override
  public String toString() {
    return "queue " + name + " (" + endpoint + "): in=" + samplesIn() + " sent=" + samplesSent()
        + " failed=" + samplesFailed() + " retried=" + samplesRetried() + " pending="
        + pendingSamples() + " dropped=" + droppedByReason() + " shards=" + shards
        + " read=" + readPosition + " saved=" + savedPosition;
  }
}
