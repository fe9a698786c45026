package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers, readers, block cuts, compaction and retention all at once: every acknowledged sample
 * must be readable afterwards (and after a reopen), none twice, none invented.
 */
class TsdbConcurrencyTest {
  @TempDir
  Path dir;

  private static final int WRITERS = 3;
  private static final int SERIES_PER_WRITER = 20;
  private static final int ROUNDS = 600;

  @Test
  void appendsQueriesAndMaintenanceInterleaveSafely() throws Exception {
    TsdbOptions opts = TsdbOptions.defaults().withBlockRangeMs(1000);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // Writers stay within 20 rounds (200 ms of sample time) of each other, as scrapers sharing
    // a wall clock do; a writer lagging by more than half a block range would (rightly) get
    // "out of bounds" once a block is cut past its timestamps.
    CyclicBarrier step = new CyclicBarrier(WRITERS);
    try (Tsdb db = Tsdb.open(dir, opts)) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        threads.add(Thread.ofPlatform().start(() -> {
          try {
            long[] refs = new long[SERIES_PER_WRITER];
            for (int r = 0; r < ROUNDS; r++) {
              Appender a = db.appender();
              for (int s = 0; s < SERIES_PER_WRITER; s++) {
                refs[s] = a.append(refs[s], labels(id, s), r * 10L, r);
              }
              a.commit();
              if (r % 20 == 19) {
                step.await();
              }
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          }
        }));
      }
      Thread maintenance = Thread.ofPlatform().start(() -> {
        try {
          while (threads.stream().anyMatch(Thread::isAlive)) {
            db.cutBlocks();
            db.compact();
            try (Querier q = db.querier(0, Long.MAX_VALUE)) {
              checkSeries(q, false);
            }
            Thread.sleep(5);
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      for (Thread t : threads) {
        t.join();
      }
      maintenance.join();
      assertThat(failure.get()).isNull();
      db.cutBlocks();
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
      assertThat(db.head().droppedAtCommit()).isZero();
      try (Querier q = db.querier(0, Long.MAX_VALUE)) {
        checkSeries(q, true);
      }
    }
    try (Tsdb db = Tsdb.open(dir, opts); Querier q = db.querier(0, Long.MAX_VALUE)) {
      checkSeries(q, true);
    }
  }

  private static Labels labels(int writer, int s) {
    return Labels.of("__name__", "c", "w", Integer.toString(writer), "s", Integer.toString(s));
  }

  /** Each series holds samples 0, 10, 20, ... with value t/10, no gaps; all when complete. */
  private static void checkSeries(Querier q, boolean complete) {
    SeriesSet set = q.select(true, SelectHints.range(0, 0), List.of(Matcher.equal("__name__", "c")));
    int n = 0;
    while (set.next()) {
      SampleIterator it = set.at().iterator(null);
      int i = 0;
      for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next(), i++) {
        if (it.atT() != i * 10L || it.atF() != i) {
          throw new AssertionError(set.at().labels() + ": sample " + i + " is (" + it.atT() + ", "
              + it.atF() + ")");
        }
      }
      if (complete && i != ROUNDS) {
        throw new AssertionError(set.at().labels() + " has " + i + " samples, expected " + ROUNDS);
      }
      n++;
    }
    if (complete) {
      assertThat(n).isEqualTo(WRITERS * SERIES_PER_WRITER);
    }
  }
}
