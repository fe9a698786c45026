package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.ValueKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Tsdb#updateLimits}: the out-of-order window and the exemplar capacity of an open
 * database change at once (as Prometheus's {@code DB.ApplyConfig}, which Mimir's ingester calls
 * when a tenant's limits change), without reopening it.
 */
class TsdbLimitsUpdateTest {
  private static final Labels A = Labels.of("__name__", "m", "pod", "a");
  private static final Labels B = Labels.of("__name__", "m", "pod", "b");
  private static final List<List<Matcher>> ALL =
      List.of(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));

  @TempDir
  Path dir;

  private static void append(Tsdb db, Labels l, long t, double v) {
    Appender a = db.appender();
    try {
      a.append(0, l, t, v);
    } catch (RuntimeException e) {
      a.rollback();
      throw e;
    }
    a.commit();
  }

  private static long samples(Tsdb db) {
    long n = 0;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, SelectHints.range(0, 0), ALL.get(0));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          n++;
        }
      }
    }
    return n;
  }

  private static List<Long> exemplarTimes(Tsdb db, Labels series) {
    List<Long> out = new ArrayList<>();
    for (ExemplarSeries s : db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL)) {
      if (s.seriesLabels().equals(series)) {
        for (Exemplar e : s.exemplars()) {
          out.add(e.timestamp());
        }
      }
    }
    return out;
  }

  @Test
  void aWiderWindowAcceptsTheNextLateSampleAndANarrowerOneRefusesIt() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      append(db, A, 100_000, 1);
      assertThatThrownBy(() -> append(db, A, 90_000, 2)).isInstanceOf(StorageException.class)
          .hasMessageContaining("out of order sample")
          .hasMessageContaining("out-of-order window is 0");

      TsdbOptions now = db.updateLimits(60_000, db.options().head().maxExemplars());
      assertThat(now.head().outOfOrderWindowMs()).isEqualTo(60_000);
      assertThat(db.options()).isEqualTo(now);
      assertThat(db.head().outOfOrderWindowMs()).isEqualTo(60_000);
      append(db, A, 90_000, 2); // the same sample, now inside the window
      assertThatThrownBy(() -> append(db, A, 30_000, 3)).isInstanceOf(StorageException.class)
          .hasMessageContaining("older than the out-of-order window of 60000 ms");

      db.updateLimits(5_000, db.options().head().maxExemplars());
      assertThatThrownBy(() -> append(db, A, 94_000, 4)).isInstanceOf(StorageException.class)
          .hasMessageContaining("older than the out-of-order window of 5000 ms");
      append(db, A, 96_000, 4);

      db.updateLimits(0, db.options().head().maxExemplars());
      assertThatThrownBy(() -> append(db, A, 99_000, 5)).isInstanceOf(StorageException.class)
          .hasMessageContaining("out-of-order window is 0");
      append(db, A, 101_000, 6); // in order is always fine
      assertThat(TsdbTest.all(db)).containsExactly(A + ": 90000=4000000000000000 "
          + "96000=4010000000000000 100000=3ff0000000000000 101000=4018000000000000");
    }
    // Samples accepted under a wider window are replayed whatever the window at reopening.
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(samples(db)).isEqualTo(4);
    }
  }

  @Test
  void aLateSampleAcceptedBeforeTheWindowClosedIsDroppedAtCommitAndCounted() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      db.updateLimits(60_000, 10);
      append(db, A, 100_000, 1);
      Appender a = db.appender();
      a.append(0, A, 90_000, 2); // inside the window now
      a.append(0, A, 101_000, 3);
      db.updateLimits(0, 10);
      a.commit(); // checked again under the commit lock, with the window in force then
      assertThat(db.head().droppedAtCommit()).isEqualTo(1);
      assertThat(TsdbTest.all(db)).containsExactly(
          A + ": 100000=3ff0000000000000 101000=4008000000000000");
    }
  }

  @Test
  void anInvalidWindowChangesNothing() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      TsdbOptions before = db.options();
      long halfRange = TsdbOptions.DEFAULT_BLOCK_RANGE_MS / 2;
      assertThatThrownBy(() -> db.updateLimits(halfRange + 1, 5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exceeds half the block range");
      assertThatThrownBy(() -> db.updateLimits(-1, 5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("negative out-of-order window");
      assertThatThrownBy(() -> db.updateLimits(0, -5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxExemplars -5");
      assertThat(db.options()).isEqualTo(before);
      assertThat(db.head().outOfOrderWindowMs()).isZero();
      assertThat(db.head().exemplars().capacity()).isEqualTo(before.head().maxExemplars());
      db.updateLimits(halfRange, 5); // the widest allowed
      assertThat(db.head().outOfOrderWindowMs()).isEqualTo(halfRange);
    }
  }

  @Test
  void aClosedDatabaseRefusesAChange() {
    Tsdb db = Tsdb.open(dir, TsdbOptions.defaults());
    db.close();
    assertThatThrownBy(() -> db.updateLimits(1000, 5)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void theExemplarCapacityShrinksGrowsAndDisablesKeepingTheNewest() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender a = db.appender();
      for (long t = 1; t <= 6; t++) {
        Labels l = t % 2 == 0 ? A : B;
        long ref = a.append(0, l, t, t);
        a.appendExemplar(ref, l, new Exemplar(Labels.of("trace_id", "t" + t), t, t));
      }
      a.commit();
      assertThat(exemplarTimes(db, A)).containsExactly(2L, 4L, 6L);

      db.updateLimits(0, 3);
      assertThat(db.options().head().maxExemplars()).isEqualTo(3);
      assertThat(exemplarTimes(db, A)).containsExactly(4L, 6L);
      assertThat(exemplarTimes(db, B)).containsExactly(5L);

      db.updateLimits(0, 10);
      Appender b = db.appender();
      long ref = b.append(0, B, 7, 7);
      b.appendExemplar(ref, B, new Exemplar(Labels.of("trace_id", "t7"), 7, 7));
      b.commit();
      assertThat(exemplarTimes(db, A)).containsExactly(4L, 6L);
      assertThat(exemplarTimes(db, B)).containsExactly(5L, 7L);

      db.updateLimits(0, 0);
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
      Appender c = db.appender();
      ref = c.append(0, B, 8, 8);
      c.appendExemplar(ref, B, new Exemplar(Labels.of("trace_id", "t8"), 8, 8)); // dropped
      c.commit();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
      assertThat(db.head().exemplars().size()).isZero();

      db.updateLimits(0, 2);
      Appender d = db.appender();
      ref = d.append(0, B, 9, 9);
      d.appendExemplar(ref, B, new Exemplar(Labels.of("trace_id", "t9"), 9, 9));
      d.commit();
      assertThat(exemplarTimes(db, B)).containsExactly(9L);
    }
  }

  /**
   * Appenders writing in-order and late samples while another thread flips the window between
   * 0 and 10 s: in-order samples are never refused, nothing throws but the refusals of late
   * samples, and every sample accepted and not dropped at commit is stored.
   */
  @Test
  void appendsDuringWindowChangesBreakNothing() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      int writers = 3;
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long[] accepted = new long[writers];
      long[] lateAccepted = new long[writers];
      long[] lateRefused = new long[writers];
      CountDownLatch started = new CountDownLatch(writers + 1);
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int me = w;
        Labels l = Labels.of("__name__", "m", "writer", Integer.toString(w));
        threads.add(Thread.ofPlatform().start(() -> {
          started.countDown();
          try {
            for (long t = 1_000; !stop.get() || t < 200_000; t += 1_000) {
              Appender a = db.appender();
              a.append(0, l, t, t);
              accepted[me]++;
              try {
                a.append(0, l, t - 1_500, -t); // behind: accepted only inside the window
                accepted[me]++;
                lateAccepted[me]++;
              } catch (StorageException e) {
                if (!e.getMessage().contains("out of order sample")) {
                  throw e;
                }
                lateRefused[me]++;
              }
              a.commit();
            }
          } catch (Throwable e) {
            failure.compareAndSet(null, e);
          }
        }));
      }
      threads.add(Thread.ofPlatform().start(() -> {
        started.countDown();
        try {
          for (int i = 0; !stop.get(); i++) {
            db.updateLimits(i % 2 == 0 ? 10_000 : 0, 1 + (i % 5) * 10);
            Thread.sleep(0, 200_000);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
      started.await();
      Thread.sleep(700);
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
      }
      if (failure.get() != null) {
        throw new AssertionError(failure.get());
      }
      long total = 0;
      long late = 0;
      long refused = 0;
      for (int w = 0; w < writers; w++) {
        total += accepted[w];
        late += lateAccepted[w];
        refused += lateRefused[w];
      }
      assertThat(late).as("late samples accepted while the window was open").isPositive();
      assertThat(refused).as("late samples refused while it was closed").isPositive();
      assertThat(samples(db)).isEqualTo(total - db.head().droppedAtCommit());
      // Every writer's in-order samples are all there, with no gap.
      for (String line : TsdbTest.all(db)) {
        long last = 0;
        for (String sample : line.substring(line.indexOf(':') + 2).split(" ")) {
          long t = Long.parseLong(sample.substring(0, sample.indexOf('=')));
          if (t % 1_000 == 0) {
            assertThat(t).as(line).isEqualTo(last + 1_000);
            last = t;
          }
        }
        assertThat(last).isGreaterThanOrEqualTo(199_000);
      }
    }
  }
}
