package dev.vigil.tsdb.exemplar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link CircularExemplarStorage#resize}: a tenant's exemplar limit changed while its database
 * is open. Prometheus's {@code Resize} keeps the newest exemplars (in the order they were added)
 * that fit; 0 drops them all.
 */
class CircularExemplarStorageResizeTest {
  /** One stored exemplar as the model keeps it: series id and the exemplar. */
  private record Entry(int id, Exemplar e) {}

  private static Exemplar ex(long t) {
    return new Exemplar(Labels.of("trace_id", "t" + t), t, t);
  }

  private static List<Long> times(CircularExemplarStorage s, int id) {
    List<Exemplar> out = new ArrayList<>();
    s.select(id, Long.MIN_VALUE, Long.MAX_VALUE, out);
    List<Long> ts = new ArrayList<>();
    for (Exemplar e : out) {
      ts.add(e.timestamp());
    }
    return ts;
  }

  private static void add(CircularExemplarStorage s, int id, long t) {
    assertThat(s.add(id, t, t, Labels.of("trace_id", "t" + t))).isEqualTo(Verdict.OK);
  }

  @Test
  void shrinkingAWrappedRingKeepsTheNewestInAddingOrder() {
    CircularExemplarStorage s = new CircularExemplarStorage(5);
    // Seven adds into five slots: the ring has wrapped, its oldest (t=3) sits at slot 2.
    for (long t = 1; t <= 7; t++) {
      add(s, (int) (t % 2) + 1, t);
    }
    assertThat(times(s, 1)).containsExactly(4L, 6L);
    assertThat(times(s, 2)).containsExactly(3L, 5L, 7L);

    assertThat(s.resize(3)).isEqualTo(3);
    assertThat(s.capacity()).isEqualTo(3);
    assertThat(s.size()).isEqualTo(3);
    assertThat(times(s, 1)).containsExactly(6L);
    assertThat(times(s, 2)).containsExactly(5L, 7L);
    assertThat(s.seriesCount()).isEqualTo(2);
    // Full at the new size: the next add overwrites the oldest kept one (t=5).
    add(s, 1, 8);
    assertThat(times(s, 2)).containsExactly(7L);
    assertThat(times(s, 1)).containsExactly(6L, 8L);
    add(s, 1, 9);
    add(s, 1, 10);
    assertThat(times(s, 2)).isEmpty();
    assertThat(s.has(2)).isFalse();
    assertThat(s.seriesCount()).isEqualTo(1);
    assertThat(times(s, 1)).containsExactly(8L, 9L, 10L);
  }

  @Test
  void shrinkingBelowWhatASeriesHasDropsThatSeriesFromTheIndex() {
    CircularExemplarStorage s = new CircularExemplarStorage(10);
    add(s, 1, 1);
    add(s, 1, 2);
    add(s, 2, 3);
    add(s, 3, 4);
    assertThat(s.resize(2)).isEqualTo(2);
    assertThat(s.has(1)).isFalse();
    assertThat(times(s, 1)).isEmpty();
    assertThat(times(s, 2)).containsExactly(3L);
    assertThat(times(s, 3)).containsExactly(4L);
    assertThat(s.seriesCount()).isEqualTo(2);
    // Series 1 starts over: nothing of it is left to be out of order against.
    assertThat(s.check(1, 0, 0, Labels.EMPTY)).isEqualTo(Verdict.OK);
  }

  @Test
  void growingKeepsEverythingAndFillsTheNewRoomBeforeOverwriting() {
    CircularExemplarStorage s = new CircularExemplarStorage(3);
    for (long t = 1; t <= 5; t++) {
      add(s, 1, t); // wraps: 3, 4, 5 kept
    }
    assertThat(s.resize(6)).isEqualTo(3);
    assertThat(times(s, 1)).containsExactly(3L, 4L, 5L);
    add(s, 1, 6);
    add(s, 2, 7);
    add(s, 1, 8);
    assertThat(s.size()).isEqualTo(6);
    assertThat(times(s, 1)).containsExactly(3L, 4L, 5L, 6L, 8L);
    add(s, 2, 9); // full: the oldest of all (t=3) goes
    assertThat(times(s, 1)).containsExactly(4L, 5L, 6L, 8L);
    assertThat(times(s, 2)).containsExactly(7L, 9L);
  }

  @Test
  void growingPastTheFirstAllocationKeepsAddingInOrder() {
    // 64 slots are allocated first; the ring grows them as exemplars arrive.
    CircularExemplarStorage s = new CircularExemplarStorage(100);
    for (long t = 1; t <= 64; t++) {
      add(s, 1, t);
    }
    assertThat(s.resize(1000)).isEqualTo(64);
    for (long t = 65; t <= 1200; t++) {
      add(s, 1, t);
    }
    assertThat(s.size()).isEqualTo(1000);
    List<Long> kept = times(s, 1);
    assertThat(kept).hasSize(1000);
    assertThat(kept.get(0)).isEqualTo(201L);
    assertThat(kept.get(999)).isEqualTo(1200L);
  }

  @Test
  void zeroDisablesAndDropsAllAndAGrowAfterwardsStartsEmpty() {
    CircularExemplarStorage s = new CircularExemplarStorage(4);
    add(s, 1, 1);
    add(s, 2, 2);
    assertThat(s.resize(0)).isZero();
    assertThat(s.capacity()).isZero();
    assertThat(s.size()).isZero();
    assertThat(s.seriesCount()).isZero();
    assertThat(s.has(1)).isFalse();
    assertThat(times(s, 1)).isEmpty();
    assertThat(s.add(1, 3, 3, Labels.EMPTY)).isEqualTo(Verdict.DISABLED);
    assertThat(s.check(1, 3, 3, Labels.EMPTY)).isEqualTo(Verdict.DISABLED);

    assertThat(s.resize(2)).isZero();
    add(s, 1, 4);
    add(s, 2, 5);
    add(s, 2, 6);
    assertThat(times(s, 1)).isEmpty();
    assertThat(times(s, 2)).containsExactly(5L, 6L);
  }

  @Test
  void aStorageCreatedDisabledCanBeEnabled() {
    CircularExemplarStorage s = new CircularExemplarStorage(0);
    assertThat(s.add(1, 1, 1, Labels.EMPTY)).isEqualTo(Verdict.DISABLED);
    assertThat(s.resize(2)).isZero();
    add(s, 1, 1);
    add(s, 1, 2);
    add(s, 1, 3);
    assertThat(times(s, 1)).containsExactly(2L, 3L);
  }

  @Test
  void theSameSizeChangesNothingAndANegativeOneIsRefused() {
    CircularExemplarStorage s = new CircularExemplarStorage(3);
    add(s, 1, 1);
    assertThat(s.resize(3)).isEqualTo(1);
    assertThat(times(s, 1)).containsExactly(1L);
    assertThatThrownBy(() -> s.resize(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exemplar capacity -1 must be >= 0");
    assertThat(s.capacity()).isEqualTo(3);
  }

  /** Random adds and resizes against a model: a deque of the exemplars in adding order. */
  @Test
  void randomAddsAndResizesMatchAModel() {
    for (long seed = 1; seed <= 40; seed++) {
      Random r = new Random(seed);
      int capacity = r.nextInt(20);
      CircularExemplarStorage s = new CircularExemplarStorage(capacity);
      ArrayDeque<Entry> model = new ArrayDeque<>();
      long[] newest = new long[9];
      for (int step = 0; step < 400; step++) {
        if (r.nextInt(25) == 0) {
          capacity = r.nextInt(r.nextBoolean() ? 5 : 150);
          int expectKept = Math.min(model.size(), capacity);
          assertThat(s.resize(capacity)).as("seed %d step %d", seed, step).isEqualTo(expectKept);
          while (model.size() > capacity) {
            model.removeFirst();
          }
          continue;
        }
        int id = 1 + r.nextInt(8);
        long t = newest[id] + r.nextInt(3);
        Exemplar e = new Exemplar(Labels.of("trace_id", Integer.toString(step)), step, t);
        Verdict v = s.add(id, t, e.value(), e.labels());
        if (capacity == 0) {
          assertThat(v).isEqualTo(Verdict.DISABLED);
          continue;
        }
        boolean seriesHasOne = false;
        for (Entry m : model) {
          seriesHasOne |= m.id() == id;
        }
        long last = seriesHasOne ? newestOf(model, id) : Long.MIN_VALUE;
        assertThat(v).as("seed %d step %d", seed, step)
            .isEqualTo(t < last ? Verdict.OUT_OF_ORDER : Verdict.OK);
        if (v == Verdict.OK) {
          newest[id] = t;
          model.addLast(new Entry(id, e));
          if (model.size() > capacity) {
            model.removeFirst();
          }
        }
        if (step % 10 == 0) {
          assertMatches(s, model, seed, step);
        }
      }
      assertMatches(s, model, seed, -1);
    }
  }

  private static long newestOf(ArrayDeque<Entry> model, int id) {
    for (Iterator<Entry> it = model.descendingIterator(); it.hasNext(); ) {
      Entry m = it.next();
      if (m.id() == id) {
        return m.e().timestamp();
      }
    }
    throw new AssertionError("no exemplar of series " + id);
  }

  private static void assertMatches(CircularExemplarStorage s, ArrayDeque<Entry> model, long seed,
      int step) {
    assertThat(s.size()).as("size, seed %d step %d", seed, step).isEqualTo(model.size());
    int series = 0;
    for (int id = 1; id <= 8; id++) {
      List<Exemplar> expected = new ArrayList<>();
      for (Entry m : model) {
        if (m.id() == id) {
          expected.add(m.e());
        }
      }
      List<Exemplar> got = new ArrayList<>();
      s.select(id, Long.MIN_VALUE, Long.MAX_VALUE, got);
      assertThat(got).as("series %d, seed %d step %d", id, seed, step)
          .containsExactlyElementsOf(expected);
      assertThat(s.has(id)).isEqualTo(!expected.isEmpty());
      series += expected.isEmpty() ? 0 : 1;
    }
    assertThat(s.seriesCount()).isEqualTo(series);
  }

  /** Writers and readers keep going while another thread resizes, down to 0 and back. */
  @Test
  void resizingWhileOthersAddAndReadBreaksNothing() throws Exception {
    CircularExemplarStorage s = new CircularExemplarStorage(50);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch started = new CountDownLatch(3);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int id = w + 1;
      threads.add(Thread.ofPlatform().start(() -> {
        started.countDown();
        try {
          List<Exemplar> out = new ArrayList<>();
          for (long t = 1; !stop.get(); t++) {
            Verdict v = s.add(id, t, t, Labels.EMPTY);
            if (v != Verdict.OK && v != Verdict.DISABLED) {
              throw new AssertionError("series " + id + " t " + t + ": " + v);
            }
            out.clear();
            s.select(id, Long.MIN_VALUE, Long.MAX_VALUE, out);
            for (int i = 1; i < out.size(); i++) {
              if (out.get(i).timestamp() <= out.get(i - 1).timestamp()) {
                throw new AssertionError("series " + id + " out of order: " + out);
              }
            }
            if (out.size() > 200) {
              throw new AssertionError("more exemplars than any capacity set: " + out.size());
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    threads.add(Thread.ofPlatform().start(() -> {
      started.countDown();
      try {
        Random r = new Random(7);
        while (!stop.get()) {
          s.resize(r.nextInt(8) == 0 ? 0 : 1 + r.nextInt(200));
          if (s.size() > s.capacity()) {
            throw new AssertionError("size " + s.size() + " over capacity " + s.capacity());
          }
          Thread.onSpinWait();
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }));
    started.await();
    Thread.sleep(500);
    stop.set(true);
    for (Thread t : threads) {
      t.join(10_000);
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    s.resize(10);
    assertThat(s.size()).isLessThanOrEqualTo(10);
  }
}
