package dev.vigil.collector.config;

import dev.vigil.collector.relabel.RelabelConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code remote_write} entry: the endpoint, how to authenticate, what to send
 * ({@code protobuf_message}: {@code prometheus.WriteRequest} for 1.0 or
 * {@code io.prometheus.write.v2.Request} for 2.0), how to queue ({@link QueueConfig}) and
 * how to send metric metadata ({@link MetadataConfig}). {@code round_robin_dns} is accepted and
 * not interpreted.
 */
public record RemoteWriteConfig(
    String url,
    String name,
    Duration remoteTimeout,
    Map<String, String> headers,
    String protobufMessage,
    boolean sendExemplars,
    boolean sendNativeHistograms,
    HttpClientConfig httpClient,
    List<RelabelConfig> writeRelabelConfigs,
    QueueConfig queueConfig,
    MetadataConfig metadataConfig) {

  public RemoteWriteConfig {
    headers = Map.copyOf(headers);
    writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
  }

  /** An entry with Prometheus's default {@code metadata_config}. */
  public RemoteWriteConfig(String url, String name, Duration remoteTimeout,
      Map<String, String> headers, String protobufMessage, boolean sendExemplars,
      boolean sendNativeHistograms, HttpClientConfig httpClient,
      List<RelabelConfig> writeRelabelConfigs, QueueConfig queueConfig) {
    this(url, name, remoteTimeout, headers, protobufMessage, sendExemplars, sendNativeHistograms,
        httpClient, writeRelabelConfigs, queueConfig, MetadataConfig.DEFAULT);
  }

  /** An entry with Prometheus's default {@code queue_config}. */
  public RemoteWriteConfig(String url, String name, Duration remoteTimeout,
      Map<String, String> headers, String protobufMessage, boolean sendExemplars,
      boolean sendNativeHistograms, HttpClientConfig httpClient,
      List<RelabelConfig> writeRelabelConfigs) {
    this(url, name, remoteTimeout, headers, protobufMessage, sendExemplars, sendNativeHistograms,
        httpClient, writeRelabelConfigs, QueueConfig.DEFAULT);
  }

  /**
   * Prometheus's {@code metadata_config} (same names, same defaults): whether to send metric
   * metadata, and for remote write 1.0 how often the metadata of every family is sent and how
   * many entries go in one request. Remote write 2.0 sends metadata with each series instead
   * (only {@code send} applies).
   */
  public record MetadataConfig(boolean send, Duration sendInterval, int maxSamplesPerSend) {
    public static final MetadataConfig DEFAULT = new MetadataConfig(true, Duration.ofMinutes(1), 500);

    /** @throws IllegalArgumentException naming the field and the value that is wrong */
    public MetadataConfig {
      if (sendInterval.isNegative() || sendInterval.isZero()) {
        throw new IllegalArgumentException("metadata_config: send_interval must be positive, got "
            + sendInterval);
      }
      if (maxSamplesPerSend < 1) {
        throw new IllegalArgumentException("metadata_config: max_samples_per_send must be at least 1, got "
            + maxSamplesPerSend);
      }
    }
  }

  /**
   * Prometheus's {@code queue_config} (same names, same defaults). {@code capacity} is the number
   * of samples buffered in memory per shard; the durable backlog lives in the WAL, not here.
   * {@code sampleAgeLimit} zero means no limit.
   */
  public record QueueConfig(
      int capacity,
      int maxShards,
      int minShards,
      int maxSamplesPerSend,
      Duration batchSendDeadline,
      Duration minBackoff,
      Duration maxBackoff,
      boolean retryOnHttp429,
      Duration sampleAgeLimit) {

    public static final QueueConfig DEFAULT = new QueueConfig(10_000, 50, 1, 2_000,
        Duration.ofSeconds(5), Duration.ofMillis(30), Duration.ofSeconds(5), true, Duration.ZERO);

    /** @throws IllegalArgumentException naming the field and the value that is wrong */
    public QueueConfig {
      if (minShards < 1) {
        throw new IllegalArgumentException("queue_config: min_shards must be at least 1, got " + minShards);
      }
      if (maxShards < minShards) {
        throw new IllegalArgumentException("queue_config: max_shards (" + maxShards
            + ") must not be below min_shards (" + minShards + ")");
      }
      if (maxSamplesPerSend < 1) {
        throw new IllegalArgumentException("queue_config: max_samples_per_send must be at least 1, got "
            + maxSamplesPerSend);
      }
      if (capacity < maxSamplesPerSend) {
        throw new IllegalArgumentException("queue_config: capacity (" + capacity
            + ") must be at least max_samples_per_send (" + maxSamplesPerSend + ")");
      }
      if (batchSendDeadline.isNegative() || batchSendDeadline.isZero()) {
        throw new IllegalArgumentException("queue_config: batch_send_deadline must be positive, got "
            + batchSendDeadline);
      }
      if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException("queue_config: need 0 <= min_backoff (" + minBackoff
            + ") <= max_backoff (" + maxBackoff + ")");
      }
      if (sampleAgeLimit.isNegative()) {
        throw new IllegalArgumentException("queue_config: sample_age_limit must not be negative, got "
            + sampleAgeLimit);
      }
    }
  }
}
