package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.config.RemoteWriteConfig.QueueConfig;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteStorageTest {
  @TempDir
  Path dir;

  FakeBackend backend;

  static final RemoteStorageOptions FAST = RemoteStorageOptions.defaults()
      .withWal(WalOptions.defaults().withFsync(FsyncPolicy.INTERVAL).withSegmentSize(64 << 10))
      .withIntervals(Duration.ofMillis(50), Duration.ofHours(1), Duration.ofMillis(200))
      .withCloseTimeout(Duration.ofSeconds(5));

  static final QueueConfig QUICK = new QueueConfig(1_000, 4, 1, 100, Duration.ofMillis(20),
      Duration.ofMillis(10), Duration.ofMillis(100), true, Duration.ZERO);

  @BeforeEach
  void start() throws IOException {
    backend = new FakeBackend();
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  static RemoteWriteConfig config(String url, String message, QueueConfig q) {
    return new RemoteWriteConfig(url, "", Duration.ofSeconds(5), Map.of("X-Scope-OrgID", "tenant-1"),
        message, false, true, HttpClientConfig.DEFAULT, List.of(), q);
  }

  RemoteWriteConfig config(QueueConfig q) {
    return config(backend.url(), "prometheus.WriteRequest", q);
  }

  static Labels series(int s) {
    return Labels.of("__name__", "test_metric", "series", Integer.toString(s), "job", "remote");
  }

  /**
   * Appends one commit per step t in [from, to) holding one sample per series, value t * 10 + s;
   * records them in {@code expected}.
   */
  static void appendSteps(RemoteStorage rs, int nSeries, long from, long to,
      Map<Labels, List<String>> expected) {
    long[] refs = new long[nSeries];
    for (long t = from; t < to; t++) {
      Appender a = rs.appender();
      for (int s = 0; s < nSeries; s++) {
        double v = t * 10.0 + s;
        refs[s] = a.append(refs[s], series(s), t, v);
        expected.computeIfAbsent(series(s), k -> new ArrayList<>()).add(t + "=" + v);
      }
      a.commit();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier cond) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  static long total(Map<Labels, List<String>> m) {
    long n = 0;
    for (List<String> l : m.values()) {
      n += l.size();
    }
    return n;
  }

  @ParameterizedTest
  @ValueSource(strings = {"prometheus.WriteRequest", "io.prometheus.write.v2.Request"})
  void deliversFloatsAndHistogramsInOrderWithTheProtocolHeaders(String message) throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 1, 0.001, 2, 12, 33.5,
        List.of(new Span(0, 2)), new double[] {4, 6}, List.of(), new double[0], null);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(), message, QUICK)), FAST)) {
      appendSteps(rs, 20, 1000, 1100, expected);
      Appender a = rs.appender();
      Labels hl = Labels.of("__name__", "latency_seconds", "job", "remote");
      a.appendHistogram(0, hl, 5000, h);
      a.commit();
      expected.put(hl, List.of("5000=" + h));
      QueueStats st = rs.queues().get(0);
      await("all samples", Duration.ofSeconds(20), () -> st.samplesSent() >= total(expected));
      assertThat(st.samplesSent()).isEqualTo(total(expected));
      assertThat(st.samplesFailed()).isZero();
      assertThat(st.pendingSamples()).isZero();
      assertThat(st.highestSentTimestamp()).isEqualTo(5000);
    }
    assertThat(backend.stored()).isEqualTo(expected);
    FakeBackend.Received r = backend.log().get(0);
    assertThat(r.headers()).containsEntry("content-encoding", "snappy")
        .containsEntry("x-scope-orgid", "tenant-1")
        .containsEntry("x-prometheus-remote-write-version",
            message.equals("prometheus.WriteRequest") ? "0.1.0" : "2.0.0")
        .containsEntry("content-type", message.equals("prometheus.WriteRequest")
            ? "application/x-protobuf" : "application/x-protobuf;proto=io.prometheus.write.v2.Request");
  }

  @Test
  void anOutageLosesNothingAndKeepsPerSeriesOrder() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    backend.respond(n -> FakeBackend.Answer.status(503));
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      appendSteps(rs, 50, 0, 200, expected); // 10,000 samples, 10x a shard's capacity
      QueueStats st = rs.queues().get(0);
      await("retries", Duration.ofSeconds(10), () -> st.samplesRetried() > 0);
      assertThat(backend.storedSamples()).isZero();
      Thread.sleep(300); // still down while more is appended
      appendSteps(rs, 50, 200, 300, expected);
      backend.respond(n -> FakeBackend.Answer.OK);
      await("everything after the outage", Duration.ofSeconds(30),
          () -> st.samplesSent() >= total(expected));
      assertThat(st.samplesSent()).isEqualTo(total(expected));
      assertThat(st.samplesFailed()).isZero();
      assertThat(st.droppedTotal()).isZero();
      assertThat(st.requestsFailed()).isPositive();
    }
    // Exactly the appended samples: none lost, none twice, each series in timestamp order.
    assertThat(backend.stored()).isEqualTo(expected);
  }

  @Test
  void aBackendThatIsGoneThenBackOnTheSamePortGetsEverythingOnce() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    int port = backend.port();
    FakeBackend second;
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      QueueStats st = rs.queues().get(0);
      appendSteps(rs, 20, 0, 20, expected);
      await("first part", Duration.ofSeconds(10), () -> st.samplesSent() == 400);
      backend.close(); // connection refused from now on
      appendSteps(rs, 20, 20, 60, expected);
      await("failed attempts", Duration.ofSeconds(10), () -> st.samplesRetried() > 0);
      second = new FakeBackend(port);
      try {
        await("the rest", Duration.ofSeconds(30), () -> st.samplesSent() == total(expected));
        assertThat(st.lastError()).contains("POST " + backend.url());
      } finally {
        second.close();
      }
    }
    // What the two lives of the receiver stored, end to end, is exactly what was appended.
    Map<Labels, List<String>> got = new LinkedHashMap<>(backend.stored());
    second.stored().forEach((k, v) -> got.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void retryAfterOf429IsHonoured() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    backend.respond(n -> n == 0 ? new FakeBackend.Answer(429, "1", 0) : FakeBackend.Answer.OK);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      appendSteps(rs, 1, 0, 1, expected);
      await("delivery", Duration.ofSeconds(10), () -> backend.storedSamples() == 1);
    }
    List<FakeBackend.Received> log = backend.log();
    assertThat(log.get(0).status()).isEqualTo(429);
    // max_backoff is 100 ms: only Retry-After explains a gap of a second.
    assertThat(log.get(1).atNanos() - log.get(0).atNanos()).isGreaterThan(900_000_000L);
    assertThat(backend.stored()).isEqualTo(expected);
  }

  @Test
  void otherClientErrorsDropTheBatchWithACountedReason() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    backend.respond(n -> n < 3 ? FakeBackend.Answer.status(400) : FakeBackend.Answer.OK);
    QueueConfig oneShard = new QueueConfig(1_000, 1, 1, 10, Duration.ofMillis(20),
        Duration.ofMillis(10), Duration.ofMillis(100), true, Duration.ZERO);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(oneShard)), FAST)) {
      appendSteps(rs, 10, 0, 10, expected); // 10 batches of 10 samples
      QueueStats st = rs.queues().get(0);
      await("all settled", Duration.ofSeconds(10), () -> st.samplesSent() + st.samplesFailed() == 100);
      assertThat(st.dropped("http_400")).isEqualTo(30);
      assertThat(st.samplesFailed()).isEqualTo(30);
      assertThat(st.samplesRetried()).isZero();
      assertThat(st.droppedByReason()).containsOnlyKeys("http_400");
      assertThat(st.lastError()).contains("400");
      await("position saved past the dropped batches", Duration.ofSeconds(5),
          () -> st.pendingSamples() == 0 && st.savedPosition().equals(st.readPosition()));
    }
    assertThat(backend.storedSamples()).isEqualTo(70);
    assertThat(backend.requests()).isEqualTo(10); // nothing retried
  }

  @Test
  void aRestartResumesFromTheSavedPosition() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    backend.respond(n -> FakeBackend.Answer.status(500));
    RemoteStorageOptions quickClose = FAST.withCloseTimeout(Duration.ofMillis(200));
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), quickClose)) {
      appendSteps(rs, 10, 0, 50, expected);
      await("a failed attempt", Duration.ofSeconds(10), () -> rs.queues().get(0).samplesRetried() > 0);
    }
    assertThat(backend.storedSamples()).isZero();
    backend.respond(n -> FakeBackend.Answer.OK);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      await("the backlog of the first run", Duration.ofSeconds(20),
          () -> backend.storedSamples() >= total(expected));
      appendSteps(rs, 10, 50, 60, expected);
      await("new samples", Duration.ofSeconds(20), () -> backend.storedSamples() >= total(expected));
    }
    int before = backend.requests();
    // A third run with everything sent and the position saved on close sends nothing again.
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      Thread.sleep(300);
      assertThat(rs.queues().get(0).samplesIn()).isZero();
    }
    assertThat(backend.requests()).isEqualTo(before);
    assertThat(backend.stored()).isEqualTo(expected);
  }

  @Test
  void aTornWalTailIsQuarantinedAndEverythingBeforeItDelivered() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    backend.respond(n -> FakeBackend.Answer.status(503));
    RemoteStorageOptions quickClose = FAST.withCloseTimeout(Duration.ofMillis(100));
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), quickClose)) {
      appendSteps(rs, 10, 0, 20, expected);
    }
    Path wal = dir.resolve("wal");
    int[] segs = WalReader.segments(wal);
    Path last = wal.resolve(String.format("%08d", segs[segs.length - 1]));
    // A torn batch: a record header promising more bytes than the file has.
    Files.write(last, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 9, 9}, java.nio.file.StandardOpenOption.APPEND);
    backend.respond(n -> FakeBackend.Answer.OK);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      await("the intact prefix", Duration.ofSeconds(20), () -> backend.storedSamples() >= total(expected));
      appendSteps(rs, 10, 20, 25, expected);
      await("new samples", Duration.ofSeconds(20), () -> backend.storedSamples() >= total(expected));
    }
    assertThat(backend.stored()).isEqualTo(expected);
    try (Stream<Path> q = Files.list(wal.resolve("quarantine"))) {
      assertThat(q.count()).isEqualTo(1);
    }
  }

  @Test
  void truncationKeepsSeriesOfLaterSegmentsResolvable() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    RemoteStorageOptions small = FAST.withWal(FAST.wal().withSegmentSize(4096));
    Path wal = dir.resolve("wal");
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), small)) {
      appendSteps(rs, 30, 0, 100, expected); // many 4 KiB segments
      await("first batch", Duration.ofSeconds(20), () -> backend.storedSamples() >= total(expected));
      int segmentsBefore = WalReader.segments(wal).length;
      int cut = rs.truncateSent();
      assertThat(cut).isPositive();
      assertThat(WalReader.segments(wal).length).isLessThan(segmentsBefore);
      assertThat(WalReader.segments(wal)[0]).isEqualTo(cut + 1);
      try (Stream<Path> s = Files.list(wal)) {
        assertThat(s.map(p -> p.getFileName().toString())).contains(String.format("checkpoint.%08d", cut));
      }
      // Series created in truncated segments, used again after the cut.
      appendSteps(rs, 30, 100, 120, expected);
      await("after truncation", Duration.ofSeconds(20), () -> backend.storedSamples() >= total(expected));
      assertThat(rs.queues().get(0).dropped(QueueStats.DROP_UNKNOWN_SERIES)).isZero();
    }
    // A restart reads the series from the checkpoint.
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), small)) {
      assertThat(rs.walSeries()).isEqualTo(30);
      appendSteps(rs, 30, 120, 130, expected);
      await("after restart", Duration.ofSeconds(20), () -> backend.storedSamples() >= total(expected));
      assertThat(rs.queues().get(0).dropped(QueueStats.DROP_UNKNOWN_SERIES)).isZero();
    }
    assertThat(backend.stored()).isEqualTo(expected);
  }

  @Test
  void aSeriesSeenAgainAfterTruncationWhileTheQueueLagsStillResolves() throws Exception {
    // One slow lane: the watcher blocks on a full shard, behind the WAL writer.
    QueueConfig narrow = new QueueConfig(10, 1, 1, 10, Duration.ofMillis(10),
        Duration.ofMillis(10), Duration.ofMillis(50), true, Duration.ZERO);
    RemoteStorageOptions small = FAST.withWal(FAST.wal().withSegmentSize(4096));
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    Labels rare = Labels.of("__name__", "rare", "job", "remote");
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(narrow)), small)) {
      Appender a = rs.appender();
      a.append(0, rare, 1, 1);
      a.commit();
      expected.put(rare, new ArrayList<>(List.of("1=1.0")));
      appendSteps(rs, 20, 0, 60, expected); // several segments without `rare`
      QueueStats st = rs.queues().get(0);
      await("phase 1 sent", Duration.ofSeconds(20), () -> st.samplesSent() >= total(expected));
      backend.respond(n -> new FakeBackend.Answer(204, null, 100));
      appendSteps(rs, 20, 60, 70, expected); // 200 samples at 10 per 100 ms: the watcher lags
      a = rs.appender();
      a.append(0, rare, 100, 2); // `rare` again, after the segments that will be truncated
      a.commit();
      expected.get(rare).add("100=2.0");
      assertThat(rs.truncateSent()).as("truncated while the queue lags").isPositive();
      backend.respond(n -> FakeBackend.Answer.OK);
      await("all sent", Duration.ofSeconds(30), () -> st.samplesSent() + st.droppedTotal() >= total(expected));
      assertThat(st.dropped(QueueStats.DROP_UNKNOWN_SERIES)).isZero();
    }
    assertThat(backend.stored()).isEqualTo(expected);
  }

  @Test
  void aLowVolumeSenderRotatesSoSentDataIsTruncated() throws Exception {
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    Path wal = dir.resolve("wal");
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)), FAST)) {
      appendSteps(rs, 3, 0, 3, expected); // far below a segment
      QueueStats st = rs.queues().get(0);
      await("sent", Duration.ofSeconds(10), () -> st.samplesSent() == 9);
      int first = WalReader.segments(wal)[0];
      assertThat(rs.truncateSent()).as("nothing to cut yet, but a rotation").isEqualTo(-1);
      assertThat(WalReader.segments(wal)).containsExactly(first, first + 1);
      await("the queue passed the rotated segment", Duration.ofSeconds(10),
          () -> st.savedPosition().equals((first + 1) + ":0"));
      assertThat(rs.truncateSent()).isEqualTo(first);
      assertThat(WalReader.segments(wal)).containsExactly(first + 1);
      assertThat(rs.truncateSent()).as("an empty segment is not rotated again").isEqualTo(-1);
      assertThat(WalReader.segments(wal)).containsExactly(first + 1);
      appendSteps(rs, 3, 3, 5, expected);
      await("more", Duration.ofSeconds(10), () -> st.samplesSent() == 15);
    }
    assertThat(backend.stored()).isEqualTo(expected);
  }

  @Test
  void shardsScaleUpWithBacklog() throws Exception {
    // Each request takes 40 ms; one shard moves at most 50 samples per 40 ms.
    backend.respond(n -> new FakeBackend.Answer(200, null, 40));
    QueueConfig q = new QueueConfig(500, 8, 1, 50, Duration.ofMillis(20),
        Duration.ofMillis(10), Duration.ofMillis(100), true, Duration.ZERO);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(q)), FAST)) {
      QueueStats st = rs.queues().get(0);
      assertThat(st.shards()).isEqualTo(1);
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      long[] refs = new long[100];
      while (st.reshards() == 0 && System.nanoTime() < end) {
        long now = System.currentTimeMillis(); // lag is measured on sample timestamps
        Appender a = rs.appender();
        for (int s = 0; s < 100; s++) {
          refs[s] = a.append(refs[s], series(s), now, s);
        }
        a.commit();
        Thread.sleep(5);
      }
      assertThat(st.reshards()).as(st.toString()).isPositive();
      assertThat(st.shards()).isGreaterThan(1).isLessThanOrEqualTo(8);
    }
  }

  @Test
  void writeRelabelConfigsAndHistogramSwitchDropWithReasons() throws Exception {
    String yaml = """
        remote_write:
          - url: %s
            name: filtered
            send_native_histograms: false
            write_relabel_configs:
              - source_labels: [series]
                regex: "[0-4]"
                action: keep
            queue_config: {max_samples_per_send: 10, batch_send_deadline: 20ms, min_backoff: 10ms, max_backoff: 100ms, capacity: 100}
        """.formatted(backend.url());
    List<RemoteWriteConfig> cfg = ConfigLoader.load(yaml).remoteWrite();
    assertThat(cfg.get(0).queueConfig().maxSamplesPerSend()).isEqualTo(10);
    Map<Labels, List<String>> all = new LinkedHashMap<>();
    try (RemoteStorage rs = RemoteStorage.open(dir, cfg, FAST)) {
      appendSteps(rs, 10, 0, 10, all);
      Appender a = rs.appender();
      a.appendHistogram(0, series(1), 100, new FloatHistogram(CounterResetHint.GAUGE, 0, 0, 1, 1, 1,
          List.of(), new double[0], List.of(), new double[0], null));
      a.commit();
      QueueStats st = rs.queues().get(0);
      assertThat(st.name()).isEqualTo("filtered");
      await("kept series", Duration.ofSeconds(10), () -> backend.storedSamples() == 50);
      await("drops counted", Duration.ofSeconds(10), () -> st.droppedTotal() == 51);
      assertThat(st.dropped(QueueStats.DROP_RELABELED)).isEqualTo(50);
      assertThat(st.dropped(QueueStats.DROP_NATIVE_HISTOGRAMS_DISABLED)).isEqualTo(1);
    }
    assertThat(backend.stored().keySet()).containsExactlyInAnyOrder(
        series(0), series(1), series(2), series(3), series(4));
  }

  @Test
  void sampleAgeLimitDropsOldSamplesAndAuthorizationIsSent() throws Exception {
    QueueConfig aged = new QueueConfig(1_000, 1, 1, 100, Duration.ofMillis(20),
        Duration.ofMillis(10), Duration.ofMillis(100), true, Duration.ofHours(1));
    HttpClientConfig bearer = new HttpClientConfig(null,
        new HttpClientConfig.Authorization("Bearer", "s3cret", ""), HttpClientConfig.TlsConfig.DEFAULT,
        "", true, true, Map.of());
    RemoteWriteConfig c = new RemoteWriteConfig(backend.url(), "aged", Duration.ofSeconds(5), Map.of(),
        "prometheus.WriteRequest", false, true, bearer, List.of(), aged);
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(c), FAST)) {
      long now = System.currentTimeMillis();
      Appender a = rs.appender();
      a.append(0, series(1), now - Duration.ofHours(2).toMillis(), 1);
      a.append(0, series(2), now, 2);
      a.commit();
      QueueStats st = rs.queues().get(0);
      await("one sent, one dropped", Duration.ofSeconds(10),
          () -> st.samplesSent() == 1 && st.dropped(QueueStats.DROP_TOO_OLD) == 1);
    }
    assertThat(backend.stored()).containsOnlyKeys(series(2));
    assertThat(backend.log().get(0).headers()).containsEntry("authorization", "Bearer s3cret");
  }

  @Test
  void closeDoesNotWaitForAnUnresponsiveEndpoint() throws Exception {
    backend.respond(n -> new FakeBackend.Answer(200, null, 20_000));
    RemoteStorage rs = RemoteStorage.open(dir, List.of(config(QUICK)),
        FAST.withCloseTimeout(Duration.ofMillis(200)));
    Map<Labels, List<String>> expected = new LinkedHashMap<>();
    appendSteps(rs, 5, 0, 5, expected);
    await("a request in flight", Duration.ofSeconds(10), () -> backend.requests() > 0);
    long t0 = System.nanoTime();
    rs.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
    assertThat(rs.queues().get(0).samplesSent()).isZero();
  }

  /**
   * With start-timestamp zero samples on (Prometheus's agent with
   * created-timestamp-zero-ingestion), a new or reset counter's start is sent as a zero sample
   * before it; an ongoing counter's repeated start, a start not before its sample and an unknown
   * one (0) send nothing more. Off, starts are dropped.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void startTimestampsAreSentAsZeroSamplesWhenAsked(boolean on) throws Exception {
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 1, 0.001, 2, 12, 33.5,
        List.of(new Span(0, 2)), new double[] {4, 6}, List.of(), new double[0], null);
    Labels hl = Labels.of("__name__", "latency_seconds", "job", "remote");
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(config(backend.url(),
        "io.prometheus.write.v2.Request", QUICK)), FAST.withStartTimestampZeroSamples(on))) {
      assertThat(rs.ingestsStartTimestamps()).isEqualTo(on);
      Appender a = rs.appender();
      a.appendWithStart(0, series(1), 1000, 5000, 3); // new: zero at 1000
      a.appendWithStart(0, series(2), 6000, 6000, 1); // start not before the sample
      a.appendWithStart(0, series(3), 0, 5000, 2); // unknown
      a.appendHistogramWithStart(0, hl, 2000, 5000, h);
      a.commit();
      Appender b = rs.appender();
      b.appendWithStart(0, series(1), 1000, 6000, 4); // ongoing: its start repeats
      b.appendWithStart(0, series(1), 1000, 7000, 5);
      b.commit();
      Appender c = rs.appender();
      c.appendWithStart(0, series(1), 7500, 8000, 1); // reset: zero at 7500
      c.commit();
      long expected = on ? 10 : 7;
      QueueStats st = rs.queues().get(0);
      await("all samples", Duration.ofSeconds(20), () -> st.samplesSent() >= expected);
      assertThat(st.samplesSent()).isEqualTo(expected);
    }
    Map<Labels, List<String>> stored = backend.stored();
    assertThat(stored.get(series(1))).isEqualTo(on
        ? List.of("1000=0.0", "5000=3.0", "6000=4.0", "7000=5.0", "7500=0.0", "8000=1.0")
        : List.of("5000=3.0", "6000=4.0", "7000=5.0", "8000=1.0"));
    assertThat(stored.get(series(2))).isEqualTo(List.of("6000=1.0"));
    assertThat(stored.get(series(3))).isEqualTo(List.of("5000=2.0"));
    assertThat(stored.get(hl)).isEqualTo(on
        ? List.of("2000=" + h.emptyStart(), "5000=" + h) : List.of("5000=" + h));
  }

  @Test
  void outOfOrderAndDuplicateSamplesAreRefusedAtAppend() {
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(), FAST)) {
      Appender a = rs.appender();
      a.append(0, series(1), 100, 1);
      a.commit();
      Appender b = rs.appender();
      assertThatThrownBy(() -> b.append(0, series(1), 99, 1))
          .isInstanceOf(StorageException.class).hasMessageContaining("out of order");
      assertThatThrownBy(() -> b.append(0, series(1), 100, 1))
          .isInstanceOf(StorageException.class).hasMessageContaining("duplicate");
      b.append(0, series(1), 101, 1);
      b.commit();
    }
  }

  @Test
  void unusableEntriesAreRefusedAtOpenAndReleaseTheDirectory() {
    assertThatThrownBy(() -> RemoteStorage.open(dir, List.of(config("ftp://x/push", "prometheus.WriteRequest", QUICK)), FAST))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"ftp://x/push\" must be an absolute http");
    assertThatThrownBy(() -> RemoteStorage.open(dir, List.of(config("http://a b/", "prometheus.WriteRequest", QUICK)), FAST))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a URL");
    assertThatThrownBy(() -> RemoteStorage.open(dir, List.of(config(QUICK), config(QUICK)), FAST))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("share the queue name");
    // The failed opens released the lock.
    RemoteStorage.open(dir, List.of(config(QUICK)), FAST).close();
  }

  @Test
  void aSecondProcessCannotOpenTheSameDirectory() {
    try (RemoteStorage rs = RemoteStorage.open(dir, List.of(), FAST)) {
      // Same JVM: the channel lock is held, so the second open fails the same way.
      assertThatThrownBy(() -> RemoteStorage.open(dir, List.of(), FAST))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("is in use by another process");
    }
  }
}
