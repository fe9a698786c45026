package dev.vigil.tsdb.exemplar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CircularExemplarStorageTest {
  private static Labels trace(String id) {
    return Labels.of("trace_id", id);
  }

  private static List<Exemplar> all(CircularExemplarStorage s, int id) {
    List<Exemplar> out = new ArrayList<>();
    s.select(id, Long.MIN_VALUE, Long.MAX_VALUE, out);
    return out;
  }

  @Test
  void keepsEachSeriesOldestFirstAndSelectsByTime() {
    CircularExemplarStorage s = new CircularExemplarStorage(10);
    assertThat(s.add(1, 10, 1, trace("a"))).isEqualTo(Verdict.OK);
    assertThat(s.add(2, 11, 2, trace("b"))).isEqualTo(Verdict.OK);
    assertThat(s.add(1, 20, 3, trace("c"))).isEqualTo(Verdict.OK);
    assertThat(s.add(1, 30, 4, trace("d"))).isEqualTo(Verdict.OK);
    assertThat(all(s, 1)).containsExactly(new Exemplar(trace("a"), 1, 10),
        new Exemplar(trace("c"), 3, 20), new Exemplar(trace("d"), 4, 30));
    List<Exemplar> mid = new ArrayList<>();
    assertThat(s.select(1, 15, 25, mid)).isEqualTo(1);
    assertThat(mid).containsExactly(new Exemplar(trace("c"), 3, 20));
    assertThat(all(s, 2)).containsExactly(new Exemplar(trace("b"), 2, 11));
    assertThat(all(s, 3)).isEmpty();
    assertThat(s.size()).isEqualTo(4);
    assertThat(s.seriesCount()).isEqualTo(2);
    assertThat(s.newestTimestamp()).isEqualTo(30);
  }

  @Test
  void duplicatesAreDroppedAndOlderExemplarsRefused() {
    CircularExemplarStorage s = new CircularExemplarStorage(4);
    s.add(7, 100, 1.5, trace("a"));
    assertThat(s.check(7, 100, 1.5, trace("a"))).isEqualTo(Verdict.DUPLICATE);
    assertThat(s.add(7, 100, 1.5, trace("a"))).isEqualTo(Verdict.DUPLICATE);
    assertThat(s.add(7, 99, 1.5, trace("a"))).isEqualTo(Verdict.OUT_OF_ORDER);
    // Same time, other value or labels: a new exemplar (native histogram buckets do this).
    assertThat(s.add(7, 100, 2.5, trace("a"))).isEqualTo(Verdict.OK);
    assertThat(s.add(7, 100, 2.5, trace("b"))).isEqualTo(Verdict.OK);
    assertThat(all(s, 7)).hasSize(3);
    // -0.0 and 0.0 differ bit for bit, as Prometheus compares them.
    s.add(8, 5, 0.0, Labels.EMPTY);
    assertThat(s.check(8, 5, -0.0, Labels.EMPTY)).isEqualTo(Verdict.OK);
  }

  @Test
  void wrapsOverwritingTheOldestOfAllSeries() {
    CircularExemplarStorage s = new CircularExemplarStorage(3);
    s.add(1, 1, 1, trace("1"));
    s.add(2, 2, 2, trace("2"));
    s.add(1, 3, 3, trace("3"));
    s.add(3, 4, 4, trace("4")); // overwrites series 1's first
    assertThat(all(s, 1)).extracting(Exemplar::timestamp).containsExactly(3L);
    s.add(3, 5, 5, trace("5")); // overwrites series 2's only exemplar
    assertThat(all(s, 2)).isEmpty();
    assertThat(s.has(2)).isFalse();
    assertThat(s.seriesCount()).isEqualTo(2);
    s.add(3, 6, 6, trace("6")); // overwrites series 1's last
    assertThat(all(s, 1)).isEmpty();
    assertThat(all(s, 3)).extracting(Exemplar::timestamp).containsExactly(4L, 5L, 6L);
    assertThat(s.size()).isEqualTo(3);
    // A series that lost all its exemplars starts afresh, with no order constraint.
    assertThat(s.add(2, 1, 0, trace("x"))).isEqualTo(Verdict.OK);
  }

  /** Against a model: per series, the newest exemplars among the last `capacity` added. */
  @Test
  void matchesAModelUnderRandomLoad() {
    Random r = new Random(3);
    for (int cap : new int[] {1, 2, 7, 64, 65, 300}) {
      CircularExemplarStorage s = new CircularExemplarStorage(cap);
      ArrayDeque<long[]> window = new ArrayDeque<>(); // {id, t}
      Map<Integer, Long> newest = new HashMap<>();
      for (int i = 0; i < 5000; i++) {
        int id = 1 + r.nextInt(r.nextBoolean() ? 5 : 9000);
        long t = newest.getOrDefault(id, 0L) + r.nextInt(3) - (r.nextInt(10) == 0 ? 5 : 0);
        Verdict v = s.add(id, t, i, trace(Integer.toString(i)));
        boolean present = window.stream().anyMatch(e -> e[0] == id);
        long last = newest.getOrDefault(id, Long.MIN_VALUE);
        if (present && t < last) {
          assertThat(v).isEqualTo(Verdict.OUT_OF_ORDER);
          continue;
        }
        assertThat(v).isEqualTo(Verdict.OK);
        window.addLast(new long[] {id, t});
        newest.put(id, t);
        if (window.size() > cap) {
          window.removeFirst();
        }
      }
      Map<Integer, List<Long>> want = new HashMap<>();
      for (long[] e : window) {
        want.computeIfAbsent((int) e[0], k -> new ArrayList<>()).add(e[1]);
      }
      assertThat(s.size()).isEqualTo(window.size());
      assertThat(s.seriesCount()).isEqualTo(want.size());
      for (var e : want.entrySet()) {
        assertThat(all(s, e.getKey())).extracting(Exemplar::timestamp)
            .as("series " + e.getKey()).isEqualTo(e.getValue());
      }
    }
  }

  @Test
  void capacityZeroStoresNothing() {
    CircularExemplarStorage s = new CircularExemplarStorage(0);
    assertThat(s.add(1, 1, 1, trace("a"))).isEqualTo(Verdict.DISABLED);
    assertThat(s.check(1, 1, 1, trace("a"))).isEqualTo(Verdict.DISABLED);
    assertThat(all(s, 1)).isEmpty();
    assertThat(s.size()).isZero();
    assertThatThrownBy(() -> new CircularExemplarStorage(-1))
        .hasMessageContaining("exemplar capacity -1");
  }

  @Test
  void labelLengthCountsUtf8CharactersOfNamesAndValues() {
    String v = "é".repeat(128 - "trace_id".length());
    assertThat(CircularExemplarStorage.labelsTooLong(Labels.of("trace_id", v))).isFalse();
    assertThat(CircularExemplarStorage.labelsTooLong(Labels.of("trace_id", v + "x"))).isTrue();
    // Code points, not UTF-16 units: 4-byte characters count once.
    String emoji = "\uD83D\uDE00".repeat(128 - 1);
    assertThat(CircularExemplarStorage.labelsTooLong(Labels.of("a", emoji))).isFalse();
  }

  @Test
  void queriesRunConcurrentlyWithAppendsAndSeeOrderedConsistentChains() throws Exception {
    CircularExemplarStorage s = new CircularExemplarStorage(1000);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] readers = new Thread[2];
    for (int k = 0; k < readers.length; k++) {
      readers[k] = new Thread(() -> {
        List<Exemplar> out = new ArrayList<>();
        try {
          while (!stop.get()) {
            for (int id = 1; id <= 20; id++) {
              out.clear();
              s.select(id, Long.MIN_VALUE, Long.MAX_VALUE, out);
              for (int i = 1; i < out.size(); i++) {
                if (out.get(i).timestamp() <= out.get(i - 1).timestamp()) {
                  throw new AssertionError("series " + id + " out of order: " + out);
                }
                if (!out.get(i).labels().get("series").equals(Integer.toString(id))) {
                  throw new AssertionError("series " + id + " got " + out.get(i));
                }
              }
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      readers[k].start();
    }
    Thread[] writers = new Thread[2];
    for (int w = 0; w < writers.length; w++) {
      int first = w * 10 + 1;
      writers[w] = new Thread(() -> {
        for (int t = 1; t <= 20_000; t++) {
          int id = first + t % 10;
          s.add(id, t, t, Labels.of("series", Integer.toString(id)));
        }
      });
      writers[w].start();
    }
    for (Thread t : writers) {
      t.join();
    }
    stop.set(true);
    for (Thread t : readers) {
      t.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(s.size()).isEqualTo(1000);
    int total = 0;
    for (int id = 1; id <= 20; id++) {
      total += all(s, id).size();
    }
    assertThat(total).isEqualTo(1000);
  }
}
