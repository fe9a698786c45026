package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL checkpoint a block cut writes while commits go on: it captures the head when the WAL
 * is rotated and writes the samples afterwards, so a reopened database must hold every
 * acknowledged sample exactly once, whether it was committed before, during or after the
 * checkpoint.
 */
class TsdbCheckpointTest {
  private static final long HOUR = 3_600_000;
  private static final int SERIES = 1500;

  @TempDir
  Path dir;

  private static Labels series(int i) {
    return Labels.of("__name__", "cp", "i", Integer.toString(i));
  }

  @Test
  void commitsDuringACheckpointReplayExactlyOnce() throws Exception {
    TsdbOptions opts = TsdbOptions.defaults()
        .withHead(new HeadOptions(30 * 60_000, 120, HeadOptions.DEFAULT_MAX_EXEMPLARS));
    // Per series: every acknowledged (t, v); exemplars of series 0 by timestamp.
    Map<Integer, TreeMap<Long, Double>> want = new ConcurrentHashMap<>();
    TreeMap<Long, Double> wantExemplars = new TreeMap<>();
    long outOfOrder;
    AtomicLong committedWhileCutting = new AtomicLong();
    try (Tsdb db = Tsdb.open(dir, opts)) {
      long[] refs = new long[SERIES];
      for (long t = 0; t < 4 * HOUR; t += 60_000) {
        commit(db, refs, t, -1, want, wantExemplars);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicBoolean cutting = new AtomicBoolean();
      AtomicLong ooo = new AtomicLong();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      Thread writer = Thread.ofPlatform().start(() -> {
        try {
          // In order just past the head's newest sample, and every third round one sample
          // about 10 minutes behind it (inside the out-of-order window) for a rotating series.
          for (long k = 1; !stop.get(); k++) {
            int late = k % 3 == 0 ? (int) (k % SERIES) : -1;
            commit(db, refs, 4 * HOUR + k, late, want, wantExemplars);
            if (late >= 0) {
              ooo.incrementAndGet();
            }
            if (cutting.get()) {
              committedWhileCutting.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          failed.set(e);
        }
      });
      Thread.sleep(100);
      cutting.set(true);
      assertThat(db.cutBlocks()).hasSize(1);
      cutting.set(false);
      Thread.sleep(100);
      stop.set(true);
      writer.join();
      assertThat(failed.get()).isNull();
      outOfOrder = ooo.get();
    }
    assertThat(committedWhileCutting.get()).as("commits while the cut ran").isPositive();

    try (Tsdb db = Tsdb.open(dir, opts)) {
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet set = q.select(true, SelectHints.range(0, 0),
            List.of(Matcher.equal("__name__", "cp")));
        int seen = 0;
        while (set.next()) {
          int i = Integer.parseInt(set.at().labels().get("i"));
          TreeMap<Long, Double> got = new TreeMap<>();
          SampleIterator it = set.at().iterator(null);
          for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
            assertThat(got.put(it.atT(), it.atF())).as("series %d at %d twice", i, it.atT())
                .isNull();
          }
          assertThat(got).as("series " + i).isEqualTo(want.get(i));
          seen++;
        }
        assertThat(seen).isEqualTo(SERIES);
      }
      // Each out-of-order sample is in the head once: one logged twice (in the checkpoint and
      // in the WAL after it) would sit in its series' out-of-order buffer twice, hidden from
      // queries by the merge.
      AtomicLong buffered = new AtomicLong();
      try (Head.SnapshotCapture capture = db.head().beginSnapshotCapture()) {
        capture.takeAll(s -> buffered.addAndGet(s.oooT().length));
      }
      assertThat(buffered.get()).as("out-of-order samples in the head").isEqualTo(outOfOrder);
      List<Exemplar> exemplars = db.selectExemplars(2 * HOUR, Long.MAX_VALUE,
          List.of(List.of(Matcher.equal("i", "0")))).get(0).exemplars();
      assertThat(exemplars).extracting(Exemplar::timestamp)
          .containsExactlyElementsOf(wantExemplars.tailMap(2 * HOUR).keySet());
    }
  }

  /**
   * One sample at {@code t} for every series (and an exemplar for series 0), plus, when {@code
   * late >= 0}, a sample for series {@code late} between 3:50 and 3:51 that no other sample of
   * it has (not a whole minute, unlike the rounds before 4:00); records what was acknowledged.
   */
  private static void commit(Tsdb db, long[] refs, long t, int late,
      Map<Integer, TreeMap<Long, Double>> want, TreeMap<Long, Double> wantExemplars) {
    Appender a = db.appender();
    for (int i = 0; i < SERIES; i++) {
      refs[i] = a.append(refs[i], series(i), t, t * 0.001 + i);
    }
    a.appendExemplar(refs[0], series(0), new Exemplar(Labels.of("trace_id", "t" + t), t, t));
    long lateT = 4 * HOUR - 600_000 + 1 + t % 59_998;
    if (late >= 0) {
      a.append(refs[late], series(late), lateT, -lateT);
    }
    a.commit();
    for (int i = 0; i < SERIES; i++) {
      want.computeIfAbsent(i, k -> new TreeMap<>()).put(t, t * 0.001 + i);
    }
    if (late >= 0) {
      want.get(late).put(lateT, (double) -lateT);
    }
    synchronized (wantExemplars) {
      wantExemplars.put(t, (double) t);
    }
  }
}
