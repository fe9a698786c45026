package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteWriteConfigTest {
  @Test
  void queueConfigDefaultsAreThoseOfPrometheus() {
    RemoteWriteConfig c = ConfigLoader.load("remote_write:\n  - url: http://x/push\n").remoteWrite().get(0);
    assertThat(c.queueConfig()).isEqualTo(RemoteWriteConfig.QueueConfig.DEFAULT);
    assertThat(c.queueConfig().capacity()).isEqualTo(10_000);
    assertThat(c.queueConfig().maxShards()).isEqualTo(50);
    assertThat(c.queueConfig().maxSamplesPerSend()).isEqualTo(2_000);
    assertThat(c.queueConfig().batchSendDeadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.queueConfig().minBackoff()).isEqualTo(Duration.ofMillis(30));
    assertThat(c.queueConfig().maxBackoff()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.protobufMessage()).isEqualTo("prometheus.WriteRequest");
  }

  @Test
  void everyQueueConfigFieldIsRead() {
    RemoteWriteConfig c = ConfigLoader.load("""
        remote_write:
          - url: http://x/push
            protobuf_message: io.prometheus.write.v2.Request
            queue_config:
              capacity: 500
              max_shards: 7
              min_shards: 2
              max_samples_per_send: 100
              batch_send_deadline: 2s
              min_backoff: 50ms
              max_backoff: 10s
              retry_on_http_429: false
              sample_age_limit: 1h
        """).remoteWrite().get(0);
    assertThat(c.queueConfig()).isEqualTo(new RemoteWriteConfig.QueueConfig(500, 7, 2, 100,
        Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(10), false, Duration.ofHours(1)));
    assertThat(c.protobufMessage()).isEqualTo("io.prometheus.write.v2.Request");
  }

  static Stream<Arguments> badConfigs() {
    String head = "remote_write:\n  - url: u\n";
    return Stream.of(
        Arguments.of(head + "    queue_config: {max_shards: 0}\n",
            "3:19: queue_config: max_shards (0) must not be below min_shards (1)"),
        Arguments.of(head + "    queue_config: {capacity: 10}\n",
            "capacity (10) must be at least max_samples_per_send (2000)"),
        Arguments.of(head + "    queue_config: {min_backoff: 1m}\n", "min_backoff (PT1M) <= max_backoff (PT5S)"),
        Arguments.of(head + "    queue_config: {max_shard: 3}\n", "max_shard"),
        Arguments.of(head + "    queue_config: {capacity: -1}\n", "3:30: cannot unmarshal !!int `-1` into uint"),
        Arguments.of(head + "    protobuf_message: foo.Bar\n",
            "3:5: unknown remote write protobuf message \"foo.Bar\""),
        Arguments.of(head + "    send_exemplars: maybe\n", "3:21: cannot unmarshal !!str `maybe` into bool"),
        Arguments.of(head + "    metadata_config: {send: 2}\n", "3:29: cannot unmarshal !!str `2` into bool"),
        Arguments.of(head + "    metadata_config: {send_interval: 0s}\n",
            "3:38: metadata_config: send_interval must be positive, got PT0S"),
        Arguments.of(head + "    metadata_config: {send_interval: soon}\n", "3:38: "),
        Arguments.of(head + "    metadata_config: {max_samples_per_send: 0}\n",
            "3:45: metadata_config: max_samples_per_send must be at least 1, got 0"),
        Arguments.of(head + "    metadata_config: {max_samples_per_send: -5}\n",
            "3:45: cannot unmarshal !!int `-5` into uint"),
        Arguments.of(head + "    metadata_config: {sendd: true}\n", "field sendd not found in type config.MetadataConfig"),
        Arguments.of(head + "    metadata_config: [true]\n", "3:22: cannot unmarshal"));
  }

  @Test
  void metadataConfigDefaultsAreThoseOfPrometheus() {
    RemoteWriteConfig c = ConfigLoader.load("remote_write:\n  - url: http://x/push\n").remoteWrite().get(0);
    assertThat(c.metadataConfig()).isEqualTo(RemoteWriteConfig.MetadataConfig.DEFAULT);
    assertThat(c.metadataConfig().send()).isTrue();
    assertThat(c.metadataConfig().sendInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.metadataConfig().maxSamplesPerSend()).isEqualTo(500);
    assertThat(c.sendExemplars()).isFalse();
  }

  @Test
  void everyMetadataConfigFieldAndSendExemplarsAreRead() {
    RemoteWriteConfig c = ConfigLoader.load("""
        remote_write:
          - url: http://x/push
            send_exemplars: true
            metadata_config:
              send: false
              send_interval: 30s
              max_samples_per_send: 100
        """).remoteWrite().get(0);
    assertThat(c.sendExemplars()).isTrue();
    assertThat(c.metadataConfig()).isEqualTo(
        new RemoteWriteConfig.MetadataConfig(false, Duration.ofSeconds(30), 100));
  }

  @ParameterizedTest
  @MethodSource("badConfigs")
  void badQueueConfigsSayWhereAndWhat(String yaml, String expected) {
    assertThatThrownBy(() -> ConfigLoader.load(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected)
        .satisfies(e -> assertThat(e.getMessage()).as("one position only").doesNotMatch("(?s)\\d+:\\d+: \\d+:\\d+:.*"));
  }
}
