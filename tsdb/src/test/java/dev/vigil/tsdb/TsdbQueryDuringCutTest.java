package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries across a block cut: whatever a querier reads, it reads in full, whether it opened,
 * selected or iterated before, during or after the cut.
 */
class TsdbQueryDuringCutTest {
  @TempDir
  Path dir;

  private static int count(Querier q, long from, long to) {
    SeriesSet set = q.select(false, SelectHints.range(from, to),
        List.of(Matcher.equal("__name__", "m")));
    int n = 0;
    while (set.next()) {
      SampleIterator it = set.at().iterator(null);
      for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
        if (it.atT() >= from && it.atT() <= to) {
          n++;
        }
      }
    }
    return n;
  }

  /** Queries in a loop on another thread while cuts run, with a pause between open and select. */
  @Test
  void queriesRunningThroughACutSeeEverySample() throws Exception {
    for (int round = 0; round < 20; round++) {
      Path d = dir.resolve("r" + round);
      TsdbOptions opts = TsdbOptions.defaults().withBlockRangeMs(1000);
      try (Tsdb db = Tsdb.open(d, opts)) {
        for (int t = 0; t < 3000; t += 10) {
          Appender a = db.appender();
          for (int s = 0; s < 50; s++) {
            a.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t);
          }
          a.commit();
        }
        int want = 50 * 100; // [0, 1000)
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger bad = new AtomicInteger();
        AtomicInteger queries = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
          while (!stop.get()) {
            try (Querier q = db.querier(0, 999)) {
              Thread.sleep(0, 200_000);
              int got = count(q, 0, 999);
              queries.incrementAndGet();
              if (got != want) {
                bad.compareAndSet(0, got == 0 ? -1 : got);
              }
            } catch (InterruptedException e) {
              return;
            }
          }
        });
        Thread.sleep(5);
        db.cutBlocks();
        Thread.sleep(5);
        stop.set(true);
        reader.join();
        assertThat(bad.get()).as("round " + round + ", " + queries.get() + " queries").isZero();
      }
    }
  }

  private static Tsdb loaded(Path d) {
    Tsdb db = Tsdb.open(d, TsdbOptions.defaults().withBlockRangeMs(1000));
    for (int t = 0; t < 3000; t += 10) {
      Appender a = db.appender();
      for (int s = 0; s < 50; s++) {
        a.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t);
      }
      a.commit();
    }
    return db;
  }

  /** Series selected before a cut and read while it runs have every sample. */
  @Test
  void aSelectMadeBeforeACutIsReadWholeWhileItRuns() throws Exception {
    try (Tsdb db = loaded(dir.resolve("a"))) {
      CompletableFuture<Integer> cut;
      try (Querier q = db.querier(0, 2999)) {
        SeriesSet set = q.select(false, SelectHints.range(0, 2999),
            List.of(Matcher.equal("__name__", "m")));
        cut = CompletableFuture.supplyAsync(() -> db.cutBlocks().size());
        awaitFirstBlock(db);
        int n = 0;
        while (set.next()) {
          SampleIterator it = set.at().iterator(null);
          for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
            n++;
          }
        }
        assertThat(n).isEqualTo(50 * 300);
      }
      assertThat(cut.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    }
  }

  private static void awaitFirstBlock(Tsdb db) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (db.blocks().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(db.blocks()).isNotEmpty();
  }

  /**
   * A querier opened before a cut may select after the cut's block is in and the head reads
   * from its end on: the cut waits for it to close before it truncates the head, so it still
   * finds the cut range (before, it missed 6000 of 15000 samples).
   */
  @Test
  void aQuerierOpenedBeforeACutSelectsEverythingAfterIt() throws Exception {
    try (Tsdb db = loaded(dir.resolve("b"))) {
      Querier q = db.querier(0, 2999);
      CompletableFuture<Integer> cut = CompletableFuture.supplyAsync(() -> db.cutBlocks().size());
      // The first block is written and queryable, then the cut waits for this querier.
      awaitFirstBlock(db);
      Thread.sleep(50);
      assertThat(cut).isNotDone();
      assertThat(count(q, 0, 2999)).isEqualTo(50 * 300);
      q.close();
      q.close(); // a second close must not let a later cut skip a reader
      assertThat(cut.get(10, TimeUnit.SECONDS)).isEqualTo(2);
      try (Querier after = db.querier(0, 2999)) {
        assertThat(count(after, 0, 2999)).isEqualTo(50 * 300);
      }
    }
  }

  /**
   * Appends (in order, and out of order for one series), cuts, compactions and head snapshots
   * on their own threads while a third checks every query against what was committed before it
   * opened: each series has exactly its samples up to then, no gap, no repeat.
   */
  @Test
  void queriesSeeEverythingCommittedBeforeThemWhileAppendsCutsAndCompactionsRun()
      throws Exception {
    int series = 20;
    TsdbOptions opts = TsdbOptions.defaults().withBlockRangeMs(1000);
    opts = opts.withHead(opts.head().withOutOfOrderWindowMs(100));
    try (Tsdb db = Tsdb.open(dir.resolve("c"), opts)) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong committed = new AtomicLong(-1);
      AtomicInteger failures = new AtomicInteger();
      StringBuilder firstFailure = new StringBuilder();
      AtomicInteger checks = new AtomicInteger();
      Thread writer = Thread.ofPlatform().start(() -> {
        for (long t = 0; !stop.get(); t += 10) {
          Appender a = db.appender();
          for (int s = 0; s < series; s++) {
            a.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t);
          }
          // One series also gets a late sample per round, 15 ms behind: out of order, in the
          // window, after any cut's end (cuts end at least half a range behind the newest).
          Labels late = Labels.of("__name__", "late");
          a.append(0, late, t, t);
          if (t >= 20) {
            a.append(0, late, t - 15, t - 15);
          }
          a.commit();
          committed.set(t);
        }
      });
      Thread maintenance = Thread.ofPlatform().start(() -> {
        Random r = new Random(1);
        while (!stop.get()) {
          switch (r.nextInt(3)) {
            case 0 -> db.cutBlocks();
            case 1 -> db.compact();
            default -> db.writeHeadSnapshot();
          }
          LockSupport.parkNanos(r.nextInt(2_000_000));
        }
      });
      Thread reader = Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          long upTo = committed.get();
          if (upTo < 0) {
            continue;
          }
          try (Querier q = db.querier(0, upTo)) {
            SeriesSet set = q.select(true, SelectHints.range(0, upTo),
                List.of(Matcher.equal("__name__", "m")));
            int seen = 0;
            while (set.next()) {
              seen++;
              SampleIterator it = set.at().iterator(null);
              long want = 0;
              for (ValueKind k = it.next(); k != ValueKind.NONE && it.atT() <= upTo;
                  k = it.next()) {
                if (it.atT() != want) {
                  break;
                }
                want += 10;
              }
              if (want != upTo + 10) {
                if (failures.getAndIncrement() == 0) {
                  firstFailure.append(set.at().labels()).append(" up to ").append(upTo)
                      .append(": complete up to ").append(want - 10);
                }
              }
            }
            if (seen != series && failures.getAndIncrement() == 0) {
              firstFailure.append(seen).append(" series up to ").append(upTo);
            }
            // The late series: every multiple of 10 up to upTo, and the late samples (t - 15
            // of each round t) of the rounds committed by then; late samples of later rounds
            // (committed since upTo was read) may show too.
            SeriesSet lateSet = q.select(true, SelectHints.range(0, upTo),
                List.of(Matcher.equal("__name__", "late")));
            long next = 0; // the next required timestamp
            String wrong = null;
            if (lateSet.next()) {
              SampleIterator it = lateSet.at().iterator(null);
              for (ValueKind k = it.next(); k != ValueKind.NONE && it.atT() <= upTo;
                  k = it.next()) {
                long t = it.atT();
                boolean required = t % 10 == 0 || (t % 10 == 5 && t >= 5 && t <= upTo - 15);
                boolean allowed = required || (t % 10 == 5 && t > upTo - 15);
                if (!allowed || (required && t != next)) {
                  wrong = "at " + t + ", expected " + next;
                  break;
                }
                if (required) {
                  next = t % 10 == 0 && t + 5 <= upTo - 15 && t + 5 >= 5 ? t + 5 : t + 10;
                  if (t % 10 == 5) {
                    next = t + 5;
                  }
                }
              }
            }
            if (wrong == null && next <= upTo) {
              wrong = "missing " + next;
            }
            if (wrong != null && failures.getAndIncrement() == 0) {
              firstFailure.append("late series up to ").append(upTo).append(": ").append(wrong);
            }
            checks.incrementAndGet();
          }
        }
      });
      Thread.sleep(3000);
      stop.set(true);
      writer.join();
      maintenance.join();
      reader.join();
      assertThat(db.blocks()).as("cuts happened").isNotEmpty();
      assertThat(checks.get()).isGreaterThan(20);
      assertThat(failures.get()).as(firstFailure.toString()).isZero();
    }
  }
}
