package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.config.RemoteWriteConfig.MetadataConfig;
import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.remote.MetricMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Exemplars and metadata through the durable sender: written to the WAL with the samples,
 * delivered per {@code send_exemplars} and {@code metadata_config} for remote write 1.0 (metadata
 * per family every {@code send_interval}) and 2.0 (metadata with each series), through an
 * outage, and after a restart and a truncation (the checkpoint keeps live series' metadata).
 */
class ExemplarMetadataSendTest {
  static final String V1 = "prometheus.WriteRequest";
  static final String V2 = "io.prometheus.write.v2.Request";
  static final MetadataConfig FAST_METADATA = new MetadataConfig(true, Duration.ofMillis(100), 3);

  @TempDir
  Path dir;

  FakeBackend backend;

  @BeforeEach
  void start() throws IOException {
    backend = new FakeBackend();
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  static RemoteWriteConfig config(String url, String message, boolean sendExemplars,
      MetadataConfig metadata) {
    return new RemoteWriteConfig(url, "", Duration.ofSeconds(5), Map.of(), message, sendExemplars,
        true, HttpClientConfig.DEFAULT, List.of(), RemoteStorageTest.QUICK, metadata);
  }

  static Labels series(String name, int s) {
    return Labels.of("__name__", name, "series", Integer.toString(s), "job", "ex");
  }

  static final Metadata LATENCY = new Metadata(MetricType.HISTOGRAM, "RPC latency.", "seconds");
  static final Metadata REQUESTS = new Metadata(MetricType.COUNTER, "Requests served.", "");

  /**
   * Commits steps [from, to): per step a sample of each of {@code n} bucket series and {@code n}
   * counter series, an exemplar on the bucket series every third step; metadata once per series.
   */
  static void append(RemoteStorage rs, int n, long from, long to, Map<Labels, List<String>> samples,
      Map<Labels, List<String>> exemplars) {
    for (long t = from; t < to; t++) {
      Appender a = rs.appender();
      for (int s = 0; s < n; s++) {
        Labels bucket = series("rpc_seconds_bucket", s);
        Labels counter = series("requests_total", s);
        a.updateMetadata(0, bucket, LATENCY);
        a.updateMetadata(0, counter, REQUESTS);
        a.append(0, bucket, t, t + s);
        a.append(0, counter, t, t * 2.0 + s);
        samples.computeIfAbsent(bucket, k -> new ArrayList<>()).add(t + "=" + (double) (t + s));
        samples.computeIfAbsent(counter, k -> new ArrayList<>()).add(t + "=" + (t * 2.0 + s));
        if (t % 3 == 0) {
          Labels el = Labels.of("trace_id", "t" + t + "s" + s);
          a.appendExemplar(0, bucket, new Exemplar(el, t + 0.5, t));
          exemplars.computeIfAbsent(bucket, k -> new ArrayList<>()).add(t + "=" + (t + 0.5) + " " + el);
        }
      }
      a.commit();
    }
  }

  static final Set<MetricMetadata> FAMILIES = Set.of(
      new MetricMetadata("rpc_seconds", MetricType.HISTOGRAM, "RPC latency.", "seconds"),
      new MetricMetadata("requests_total", MetricType.COUNTER, "Requests served.", ""));

  @ParameterizedTest
  @ValueSource(strings = {V1, V2})
  void deliversExemplarsAndMetadata(String message) throws Exception {
    Map<Labels, List<String>> samples = new LinkedHashMap<>();
    Map<Labels, List<String>> exemplars = new LinkedHashMap<>();
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), message, true,
        FAST_METADATA)), RemoteStorageTest.FAST)) {
      append(rs, 5, 1000, 1030, samples, exemplars);
      QueueStats st = rs.queues().get(0);
      RemoteStorageTest.await("samples, exemplars and metadata", Duration.ofSeconds(20),
          () -> st.samplesSent() == RemoteStorageTest.total(samples)
              && st.exemplarsSent() == RemoteStorageTest.total(exemplars)
              && new HashSet<>(backend.metadata()).containsAll(FAMILIES)
              && st.metadataSent() > 0); // counted once the answer is back, after the backend stored it
      assertThat(st.exemplarsIn()).isEqualTo(RemoteStorageTest.total(exemplars));
      assertThat(st.exemplarsFailed()).isZero();
      assertThat(st.pendingSamples()).isZero();
    }
    assertThat(backend.stored()).isEqualTo(samples);
    assertThat(backend.exemplars()).isEqualTo(exemplars);
    assertThat(new HashSet<>(backend.metadata())).isEqualTo(FAMILIES);
  }

  @Test
  void v1SendsMetadataInRequestsOfMaxSamplesPerSend() throws Exception {
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), V1, false,
        FAST_METADATA)), RemoteStorageTest.FAST)) {
      Appender a = rs.appender();
      for (int f = 0; f < 7; f++) {
        Labels l = Labels.of("__name__", "family_" + f, "job", "m");
        a.updateMetadata(0, l, new Metadata(MetricType.GAUGE, "help " + f, ""));
        a.append(0, l, 1000, f);
      }
      a.commit();
      RemoteStorageTest.await("7 families", Duration.ofSeconds(20),
          () -> new HashSet<>(backend.metadata()).size() == 7);
    }
    // Requests carry either samples or at most max_samples_per_send (3) metadata entries.
    assertThat(backend.log()).allSatisfy(r -> assertThat(r.status()).isEqualTo(204));
    Set<MetricMetadata> got = new HashSet<>(backend.metadata());
    for (int f = 0; f < 7; f++) {
      assertThat(got).contains(new MetricMetadata("family_" + f, MetricType.GAUGE, "help " + f, ""));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {V1, V2})
  void sendsNeitherWhenSwitchedOff(String message) throws Exception {
    Map<Labels, List<String>> samples = new LinkedHashMap<>();
    Map<Labels, List<String>> exemplars = new LinkedHashMap<>();
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), message, false,
        new MetadataConfig(false, Duration.ofMillis(50), 10))), RemoteStorageTest.FAST)) {
      append(rs, 3, 1000, 1010, samples, exemplars);
      QueueStats st = rs.queues().get(0);
      RemoteStorageTest.await("samples", Duration.ofSeconds(20),
          () -> st.samplesSent() == RemoteStorageTest.total(samples));
      Thread.sleep(300); // several metadata intervals
      assertThat(st.exemplarsIn()).isZero();
      assertThat(st.exemplarsSent()).isZero();
      assertThat(st.metadataSent()).isZero();
    }
    assertThat(backend.stored()).isEqualTo(samples);
    assertThat(backend.exemplars()).isEmpty();
    assertThat(backend.metadata()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {V1, V2})
  void anOutageLosesNoExemplarAndMetadataFollowsAfterwards(String message) throws Exception {
    Map<Labels, List<String>> samples = new LinkedHashMap<>();
    Map<Labels, List<String>> exemplars = new LinkedHashMap<>();
    backend.respond(n -> FakeBackend.Answer.status(503));
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), message, true,
        FAST_METADATA)), RemoteStorageTest.FAST)) {
      append(rs, 4, 1000, 1060, samples, exemplars);
      RemoteStorageTest.await("failed attempts", Duration.ofSeconds(10), () -> backend.requests() > 5);
      assertThat(backend.stored()).isEmpty();
      backend.respond(n -> FakeBackend.Answer.OK);
      QueueStats st = rs.queues().get(0);
      RemoteStorageTest.await("everything after the outage", Duration.ofSeconds(30),
          () -> st.samplesSent() == RemoteStorageTest.total(samples)
              && st.exemplarsSent() == RemoteStorageTest.total(exemplars)
              && new HashSet<>(backend.metadata()).containsAll(FAMILIES));
      assertThat(st.exemplarsRetried()).isPositive();
    }
    assertThat(backend.stored()).isEqualTo(samples);
    assertThat(backend.exemplars()).isEqualTo(exemplars); // each once, in order
  }

  @ParameterizedTest
  @ValueSource(strings = {V1, V2})
  void metadataOfLiveSeriesSurvivesTruncationAndRestart(String message) throws Exception {
    Map<Labels, List<String>> samples = new LinkedHashMap<>();
    Map<Labels, List<String>> exemplars = new LinkedHashMap<>();
    RemoteWriteConfig c = config(backend.url(), message, true, FAST_METADATA);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(c), RemoteStorageTest.FAST)) {
      append(rs, 3, 1000, 3000, samples, exemplars); // 64 KiB segments: several of them
      QueueStats st = rs.queues().get(0);
      RemoteStorageTest.await("first samples", Duration.ofSeconds(20),
          () -> st.samplesSent() == RemoteStorageTest.total(samples));
      assertThat(rs.truncateSent()).isPositive(); // the segment with the metadata records is gone
    }
    assertThat(backend.exemplars()).isEqualTo(exemplars);
    Path wal = dir.resolve(RemoteStorage.WAL_DIR);
    assertThat(dev.vigil.tsdb.wal.WalCheckpoint.latest(wal)).isNotNull();
    int before = backend.metadata().size();
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(c), RemoteStorageTest.FAST)) {
      // Samples only, no metadata calls: the queue knows the metadata from the checkpoint.
      for (long t = 3000; t < 3005; t++) {
        Appender a = rs.appender();
        for (int s = 0; s < 3; s++) {
          for (Labels l : List.of(series("rpc_seconds_bucket", s), series("requests_total", s))) {
            a.append(0, l, t, 1);
            samples.get(l).add(t + "=1.0");
          }
        }
        a.commit();
      }
      QueueStats st = rs.queues().get(0);
      RemoteStorageTest.await("metadata after the restart", Duration.ofSeconds(20),
          () -> st.samplesSent() == 3 * 2 * 5
              && new HashSet<>(backend.metadata().subList(before, backend.metadata().size()))
                  .containsAll(FAMILIES));
    }
    assertThat(backend.stored()).isEqualTo(samples);
  }

  @Test
  void theAppenderDropsRepeatsAndRefusesOutOfOrderAndOversizedExemplars() throws Exception {
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), V1, true,
        FAST_METADATA)), RemoteStorageTest.FAST)) {
      Labels l = series("rpc_seconds_bucket", 1);
      Exemplar e = new Exemplar(Labels.of("trace_id", "a"), 1, 1000);
      Appender a = rs.appender();
      a.append(0, l, 1000, 1);
      a.appendExemplar(0, l, e);
      a.appendExemplar(0, l, new Exemplar(Labels.of("trace_id", "a"), 1, 1000)); // repeat: dropped
      assertThatThrownBy(() -> a.appendExemplar(0, l, new Exemplar(Labels.of("trace_id", "b"), 1, 999)))
          .isInstanceOf(StorageException.class).hasMessageContaining("out of order exemplar");
      assertThatThrownBy(() -> a.appendExemplar(0, l, new Exemplar(Labels.of("trace_id", "x".repeat(121)), 1, 2000)))
          .isInstanceOf(StorageException.class).hasMessageContaining("exemplar label set is too long: 129");
      a.appendExemplar(0, l, new Exemplar(Labels.of("trace_id", "x".repeat(120)), 2, 2000)); // 128: fine
      a.commit();
      QueueStats st = rs.queues().get(0);
      RemoteStorageTest.await("two exemplars", Duration.ofSeconds(20), () -> st.exemplarsSent() == 2);
      assertThat(st.exemplarsIn()).isEqualTo(2);
    }
    assertThat(backend.exemplars().get(series("rpc_seconds_bucket", 1))).containsExactly(
        "1000=1.0 {trace_id=\"a\"}", "2000=2.0 {trace_id=\"" + "x".repeat(120) + "\"}");
  }

  @Test
  void changedMetadataReplacesTheOldInTheNextRound() throws Exception {
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), V2, false,
        FAST_METADATA)), RemoteStorageTest.FAST)) {
      Labels l = Labels.of("__name__", "temperature", "job", "m");
      Appender a = rs.appender();
      a.updateMetadata(0, l, new Metadata(MetricType.GAUGE, "old help", "celsius"));
      a.append(0, l, 1000, 20);
      a.commit();
      RemoteStorageTest.await("old", Duration.ofSeconds(20), () -> !backend.metadata().isEmpty());
      Appender b = rs.appender();
      b.updateMetadata(0, l, new Metadata(MetricType.GAUGE, "new help", "celsius"));
      b.append(0, l, 2000, 21);
      b.commit();
      RemoteStorageTest.await("new", Duration.ofSeconds(20), () -> backend.metadata().size() == 2);
    }
    assertThat(backend.metadata()).containsExactly(
        new MetricMetadata("temperature", MetricType.GAUGE, "old help", "celsius"),
        new MetricMetadata("temperature", MetricType.GAUGE, "new help", "celsius"));
  }
}
