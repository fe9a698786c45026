package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.contract.QueryableContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HeadTest {
  private static final Labels A = Labels.of("__name__", "a", "job", "x");
  private static final Labels B = Labels.of("__name__", "b", "job", "x");

  private static Head head() {
    return new Head(HeadOptions.defaults(), CommitLog.NONE);
  }

  static List<String> all(Head h) {
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(dev.vigil.model.labels.MatchType.REGEX, "__name__", ".+"))));
    }
  }

  @Test
  void rejectsOutOfOrderAndConflictingDuplicatesWithClearMessages() {
    Head h = head();
    Appender a = h.appender();
    a.append(0, A, 100, 1);
    a.commit();
    Appender b = h.appender();
    assertThatThrownBy(() -> b.append(0, A, 50, 1)).isInstanceOf(StorageException.class)
        .hasMessageContaining("out of order sample").hasMessageContaining("timestamp 50")
        .hasMessageContaining("newest timestamp 100").hasMessageContaining(A.toString());
    assertThatThrownBy(() -> b.append(0, A, 100, 2)).isInstanceOf(StorageException.class)
        .hasMessageContaining("duplicate sample for timestamp");
    b.append(0, A, 100, 1); // an exact retry is accepted and ignored
    b.append(0, A, 101, 1);
    assertThatThrownBy(() -> b.append(0, A, 101, 3)).isInstanceOf(StorageException.class)
        .hasMessageContaining("duplicate sample for timestamp").hasMessageContaining("timestamp 101");
    b.commit();
    assertThat(all(h)).containsExactly(A + ": 100=3ff0000000000000 101=3ff0000000000000");
  }

  /**
   * With an out-of-order window, another value at a series' newest timestamp is still refused
   * (as Prometheus refuses it): before, the appender took it and the commit dropped it, so the
   * sender got an acknowledgement for a value that was never stored.
   */
  @Test
  void anotherValueAtTheNewestTimestampIsRefusedWithAnOutOfOrderWindowToo() {
    Head h = new Head(HeadOptions.defaults().withOutOfOrderWindowMs(1000), CommitLog.NONE);
    Appender a = h.appender();
    a.append(0, A, 100, 1);
    a.append(0, B, 200, 1);
    a.commit();
    Appender b = h.appender();
    assertThatThrownBy(() -> b.append(0, A, 100, 2)).isInstanceOf(StorageException.class)
        .hasMessageContaining("duplicate sample for timestamp")
        .hasMessageContaining("another value at timestamp 100").hasMessageContaining(A.toString());
    b.append(0, A, 100, 1); // an exact retry is still accepted and ignored
    b.append(0, A, 99, 5); // and a sample behind the newest goes out of order
    b.commit();
    assertThat(all(h)).containsExactly(
        A + ": 99=4014000000000000 100=3ff0000000000000", B + ": 200=3ff0000000000000");
  }

  /**
   * An out-of-order sample onto a timestamp the series holds (in its chunks or among its
   * out-of-order samples) leaves the sample there as it is, as Prometheus keeps the first: the
   * same value is taken and ignored, another value refused. Before, the appender took it and
   * the read hid it (in-order data) or it replaced the earlier out-of-order value.
   */
  @Test
  void outOfOrderSamplesDoNotReplaceOnesTheSeriesHolds() {
    Head h = new Head(new HeadOptions(10_000, 4), CommitLog.NONE);
    Appender a = h.appender();
    for (long t = 100; t <= 1000; t += 100) {
      a.append(0, A, t, t); // 100..400 and 500..800 in closed chunks, 900 and 1000 open
    }
    a.commit();
    Appender b = h.appender();
    b.append(0, A, 250, 1);
    b.commit();
    Appender c = h.appender();
    for (long t : new long[] {200, 700, 900, 250}) {
      assertThatThrownBy(() -> c.append(0, A, t, -1)).as("t=" + t)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("duplicate sample for timestamp")
          .hasMessageContaining("another value at timestamp " + t);
      c.append(0, A, t, t == 250 ? 1 : t); // the same sample again: taken, nothing changes
    }
    c.append(0, A, 650, 2);
    c.commit();
    assertThat(all(h)).containsExactly(A + ": 100=4059000000000000 200=4069000000000000"
        + " 250=3ff0000000000000 300=4072c00000000000 400=4079000000000000"
        + " 500=407f400000000000 600=4082c00000000000 650=4000000000000000"
        + " 700=4085e00000000000 800=4089000000000000 900=408c200000000000"
        + " 1000=408f400000000000");
  }

  /** Two appenders racing to one out-of-order timestamp: the first commit's value stays. */
  @Test
  void ofTwoRacingOutOfOrderCommitsAtOneTimestampTheFirstStays() {
    Head h = new Head(new HeadOptions(10_000, 120), CommitLog.NONE);
    Appender a = h.appender();
    a.append(0, A, 1000, 0);
    a.commit();
    Appender first = h.appender();
    Appender second = h.appender();
    first.append(0, A, 500, 1);
    second.append(0, A, 500, 2);
    first.commit();
    second.commit();
    assertThat(all(h)).containsExactly(A + ": 500=3ff0000000000000 1000=0");
    assertThat(h.droppedAtCommit()).isEqualTo(1);
  }

  @Test
  void uncommittedAndRolledBackSamplesAreInvisible() {
    Head h = head();
    Appender a = h.appender();
    long ref = a.append(0, A, 1, 1);
    assertThat(all(h)).isEmpty();
    a.rollback();
    assertThat(all(h)).isEmpty();
    Appender b = h.appender();
    assertThat(b.append(ref, A, 2, 2)).isEqualTo(ref);
    assertThat(b.append(ref, Labels.EMPTY, 3, 3)).as("ref skips the label lookup").isEqualTo(ref);
    b.commit();
    assertThat(all(h)).containsExactly(A + ": 2=4000000000000000 3=4008000000000000");
    assertThatThrownBy(b::commit).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void outOfOrderWindowAcceptsRecentSamplesAndMergesThem() {
    Head h = new Head(HeadOptions.defaults().withOutOfOrderWindowMs(1000), CommitLog.NONE);
    Appender a = h.appender();
    for (int t = 1000; t <= 5000; t += 1000) {
      a.append(0, A, t, t);
    }
    a.commit();
    Appender b = h.appender();
    b.append(0, A, 4500, 45);
    b.append(0, A, 4200, 42);
    assertThatThrownBy(() -> b.append(0, A, 3999, 1)).isInstanceOf(StorageException.class)
        .hasMessageContaining("out-of-order window of 1000 ms");
    b.commit();
    try (Querier q = h.querier(4100, 4600)) {
      SeriesSet s = q.select(true, SelectHints.range(0, 0), List.of(Matcher.equal("job", "x")));
      assertThat(QueryableContract.dump(s))
          .containsExactly(A + ": 4200=4045000000000000 4500=4046800000000000");
    }
    assertThat(all(h).get(0)).contains("4000=40af400000000000 4200=4045000000000000 "
        + "4500=4046800000000000 5000=40b3880000000000");
  }

  @Test
  void seriesSwitchBetweenFloatsAndHistogramsAcrossChunks() {
    Head h = head();
    Appender a = h.appender();
    for (int t = 0; t < 300; t++) {
      if (t % 100 < 50) {
        a.append(0, A, t, t);
      } else {
        a.appendHistogram(0, A, t, QueryableContract.histogramForTest(t));
      }
    }
    a.commit();
    try (Querier q = h.querier(0, 1000)) {
      SeriesSet s = q.select(true, SelectHints.range(0, 0), List.of(Matcher.equal("__name__", "a")));
      assertThat(s.next()).isTrue();
      SampleIterator it = s.at().iterator(null);
      for (int t = 0; t < 300; t++) {
        ValueKind k = it.next();
        assertThat(it.atT()).isEqualTo(t);
        assertThat(k).isEqualTo(t % 100 < 50 ? ValueKind.FLOAT : ValueKind.HISTOGRAM);
      }
      assertThat(it.next()).isEqualTo(ValueKind.NONE);
      assertThat(it.seek(10)).isEqualTo(ValueKind.NONE);
      SampleIterator again = s.at().iterator(null);
      assertThat(again.seek(175)).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(again.atT()).isEqualTo(175);
      assertThat(again.seek(199)).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(again.next()).isEqualTo(ValueKind.FLOAT);
      assertThat(again.atT()).isEqualTo(200);
    }
  }

  @Test
  void concurrentAppendersAndQueriersSeeConsistentData() throws Exception {
    Head h = head();
    int writers = 4;
    int perWriter = 20_000;
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int id = w;
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
          for (int i = 0; i < perWriter; i += 100) {
            Appender a = h.appender();
            for (int j = i; j < i + 100; j++) {
              // Own series in order, plus a shared series whose races must be resolved safely.
              a.append(0, Labels.of("__name__", "w", "writer", Integer.toString(id),
                  "s", Integer.toString(j % 10)), j, j);
            }
            a.commit();
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }));
    }
    threads.add(Thread.ofPlatform().start(() -> {
      try {
        start.await();
        for (int i = 0; i < 200; i++) {
          try (Querier q = h.querier(0, Long.MAX_VALUE)) {
            SeriesSet s = q.select(true, SelectHints.range(0, 0), List.of(Matcher.equal("__name__", "w")));
            while (s.next()) {
              SampleIterator it = s.at().iterator(null);
              long prev = -1;
              for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
                if (it.atT() <= prev || it.atF() != it.atT()) {
                  throw new AssertionError("bad sample " + it.atT() + " after " + prev);
                }
                prev = it.atT();
              }
            }
          }
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }));
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(h.numSeries()).isEqualTo(writers * 10);
    try (Querier q = h.querier(0, Long.MAX_VALUE)) {
      SeriesSet s = q.select(true, SelectHints.range(0, 0), List.of(Matcher.equal("__name__", "w")));
      int samples = 0;
      while (s.next()) {
        SampleIterator it = s.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          samples++;
        }
      }
      assertThat(samples).isEqualTo(writers * perWriter);
    }
  }

  @Test
  void appendsByRefAreCheckedAgainstCommittedDataAtAppendTimeIncludingAfterReplay() {
    Head h = head();
    Appender a = h.appender();
    long ref = a.append(0, A, 100, 1);
    a.commit();
    Appender b = h.appender();
    assertThatThrownBy(() -> b.append(ref, A, 99, 1)).isInstanceOf(StorageException.class)
        .hasMessageContaining("out of order sample").hasMessageContaining("newest timestamp 100")
        .hasMessageContaining(A.toString());
    assertThat(b.append(ref, A, 100, 1)).as("exact retry by ref").isEqualTo(ref);
    assertThatThrownBy(() -> b.append(ref, A, 100, 2)).hasMessageContaining("duplicate sample");
    b.append(ref, A, 200, 2);
    assertThatThrownBy(() -> b.append(ref, A, 150, 2)).hasMessageContaining("newest timestamp 200");
    b.commit();

    // A head rebuilt from a log: both replay paths keep the appenders' check exact.
    Head r = head();
    r.replaySeries(7, A);
    r.replaySeries(9, B);
    r.replayFloats(new long[] {7, 7}, new long[] {100, 300}, new double[] {1, 2}, 2);
    r.replaySample(9, 50, 1, null);
    Appender c = r.appender();
    assertThatThrownBy(() -> c.append(7, A, 299, 1)).hasMessageContaining("newest timestamp 300");
    assertThatThrownBy(() -> c.append(0, A, 299, 1)).hasMessageContaining("newest timestamp 300");
    assertThatThrownBy(() -> c.append(9, B, 49, 1)).hasMessageContaining("newest timestamp 50");
    assertThat(c.append(7, A, 301, 3)).isEqualTo(7);
    c.commit();
    assertThat(all(r)).containsExactly(
        A + ": 100=3ff0000000000000 300=4000000000000000 301=4008000000000000",
        B + ": 50=3ff0000000000000");
  }

  @Test
  void oneCommitAppliesLongRunsOfSeriesUnderOneStripeInOrderWhileQueriesRun() throws Exception {
    Head h = head();
    int series = 3000;
    Labels[] ls = new Labels[series];
    long[] refs = new long[series];
    for (int i = 0; i < series; i++) {
      ls[i] = Labels.of("__name__", "m", "i", Integer.toString(i));
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try {
        while (done.getCount() > 0) {
          // Each series has samples 1..k at t = 1000 * j: a snapshot must be a gapless prefix.
          for (String line : all(h)) {
            String[] parts = line.substring(line.indexOf(": ") + 2).split(" ");
            for (int j = 0; j < parts.length; j++) {
              assertThat(parts[j]).startsWith((1000L * (j + 1)) + "=");
            }
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    reader.start();
    try {
      for (int round = 1; round <= 150; round++) {
        Appender a = h.appender();
        for (int i = 0; i < series; i++) {
          refs[i] = a.append(refs[i], ls[i], 1000L * round, round + i);
        }
        a.commit();
      }
    } finally {
      done.countDown();
      reader.join();
    }
    assertThat(failure.get()).isNull();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, SelectHints.range(0, 0), List.of(Matcher.equal("__name__", "m")));
      int n = 0;
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        int k = 0;
        while (it.next() == ValueKind.FLOAT) {
          k++;
          assertThat(it.atT()).isEqualTo(1000L * k);
        }
        assertThat(k).isEqualTo(150);
        n++;
      }
      assertThat(n).isEqualTo(series);
    }
  }

  @Test
  void floatAndHistogramRunsCloseAndReopenTheSeriesOwnChunkLikeTheReference() {
    // 3 samples per chunk: the float chunk the series encodes itself fills, closes and restarts
    // often, and alternates with histogram chunks; queries during and after see every sample.
    Head h = new Head(new HeadOptions(0, 3), CommitLog.NONE);
    dev.vigil.model.storage.memory.InMemoryStorage ref =
        new dev.vigil.model.storage.memory.InMemoryStorage();
    Appender a = h.appender();
    Appender r = ref.appender();
    for (int t = 1; t <= 60; t++) {
      Labels l = t % 3 == 0 ? B : A;
      if ((t / 7) % 2 == 1) {
        var hist = dev.vigil.tsdb.contract.QueryableContract.histogramForTest(t);
        a.appendHistogram(0, l, t * 1000L, hist);
        r.appendHistogram(0, l, t * 1000L, hist);
      } else {
        a.append(0, l, t * 1000L, t * 0.5);
        r.append(0, l, t * 1000L, t * 0.5);
      }
      if (t % 5 == 0) {
        a.commit();
        r.commit();
        assertThat(all(h)).as("after t=" + t).isEqualTo(all(ref));
        a = h.appender();
        r = ref.appender();
      }
    }
    a.commit();
    r.commit();
    assertThat(all(h)).isEqualTo(all(ref));
  }

  private static List<String> all(dev.vigil.model.storage.Queryable q) {
    try (Querier querier = q.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(querier.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(dev.vigil.model.labels.MatchType.REGEX, "__name__", ".+"))));
    }
  }

  private static void createSeries(Head h, int from, int to) {
    Appender a = h.appender();
    for (int i = from; i < to; i++) {
      a.append(0, Labels.of("__name__", "m", "i", Integer.toString(i)), 1000, i);
    }
    a.commit();
  }

  /**
   * A capture's arrays are allocated before the commit lock, for the series so far and some
   * more: series created after that and before the capture point (here in the capture point's
   * own action, on the thread holding the lock) are captured all the same.
   */
  @Test
  void capturesTakeSeriesCreatedRightBeforeTheirPoint() {
    Head h = head();
    createSeries(h, 0, 100);
    List<String> captured = new ArrayList<>();
    try (Head.SnapshotCapture c = h.beginSnapshotCapture(() -> createSeries(h, 100, 5000))) {
      assertThat(c.idLimit()).isEqualTo(5001);
      c.takeAll(s -> captured.add(s.labels().get("i")));
    }
    assertThat(captured).hasSize(5000).startsWith("0", "1").endsWith("4999");
    List<String> checkpointed = new ArrayList<>();
    try (Head.CheckpointCapture c = h.beginCheckpointCapture(Long.MIN_VALUE,
        () -> createSeries(h, 5000, 12_000))) {
      c.forEach((ref, labels, inOrder, inChunkFiles, outOfOrder, deleted, exemplars, metadata) ->
          checkpointed.add(labels.get("i")));
    }
    assertThat(checkpointed).hasSize(12_000).endsWith("11999");
  }
}
