package dev.vigil.tsdb.exemplar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Exemplars outliving their series in the head ({@link CircularExemplarStorage#detach}) and
 * continued by a series re-created with the same labels ({@link CircularExemplarStorage#attach}).
 */
class CircularExemplarStorageDetachTest {
  private static final Labels A = Labels.of("__name__", "req", "pod", "a");
  private static final Labels B = Labels.of("__name__", "req", "pod", "b");
  private static final List<List<Matcher>> ALL =
      List.of(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));

  private static Exemplar ex(long t) {
    return new Exemplar(Labels.of("trace_id", "t" + t), t, t);
  }

  private static void add(CircularExemplarStorage s, int id, long t) {
    assertThat(s.add(id, t, t, ex(t).labels())).isEqualTo(Verdict.OK);
  }

  private static List<Long> times(CircularExemplarStorage s, int id) {
    List<Exemplar> out = new ArrayList<>();
    s.select(id, Long.MIN_VALUE, Long.MAX_VALUE, out);
    return out.stream().map(Exemplar::timestamp).toList();
  }

  private static List<ExemplarSeries> detached(CircularExemplarStorage s, long minT, long maxT,
      List<List<Matcher>> sets) {
    List<ExemplarSeries> out = new ArrayList<>();
    assertThat(s.selectDetached(minT, maxT, sets, out)).isEqualTo(out.size());
    return out;
  }

  @Test
  void aDetachedSeriesIsFoundByItsLabelsOnly() {
    CircularExemplarStorage s = new CircularExemplarStorage(10);
    add(s, 1, 10);
    add(s, 2, 15);
    add(s, 1, 20);
    long moves = s.moves();
    s.detach(1, A);
    assertThat(s.moves()).isEqualTo(moves + 1);
    assertThat(times(s, 1)).isEmpty();
    assertThat(s.has(1)).isFalse();
    assertThat(s.seriesCount()).isEqualTo(2);
    assertThat(s.detachedSeriesCount()).isEqualTo(1);
    assertThat(s.size()).isEqualTo(3);

    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL))
        .containsExactly(new ExemplarSeries(A, List.of(ex(10), ex(20))));
    assertThat(detached(s, 11, 25, List.of(List.of(Matcher.equal("pod", "a")))))
        .containsExactly(new ExemplarSeries(A, List.of(ex(20))));
    // No set matches, or the range misses the chain, or it falls between two exemplars.
    assertThat(detached(s, 0, 100, List.of(List.of(Matcher.equal("pod", "b"))))).isEmpty();
    assertThat(detached(s, 21, 100, ALL)).isEmpty();
    assertThat(detached(s, 11, 19, ALL)).isEmpty();
    assertThat(detached(s, 0, 100, List.of())).isEmpty();
    // One of the sets suffices; an absent label matches as "" (as for head series).
    assertThat(detached(s, 0, 100, List.of(List.of(Matcher.equal("pod", "z")),
        List.of(Matcher.equal("job", ""), Matcher.of(MatchType.NOT_EQUAL, "pod", "b")))))
        .extracting(ExemplarSeries::seriesLabels).containsExactly(A);
    // Series 2 is untouched.
    assertThat(times(s, 2)).containsExactly(15L);
  }

  @Test
  void aSeriesWithoutExemplarsLeavesNothingBehind() {
    CircularExemplarStorage s = new CircularExemplarStorage(10);
    add(s, 2, 1);
    long moves = s.moves();
    s.detach(1, A);
    assertThat(s.detachedSeriesCount()).isZero();
    assertThat(s.moves()).isEqualTo(moves);
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
    s.attach(3, A); // nothing to take over
    assertThat(s.check(3, 0, 0, Labels.EMPTY)).isEqualTo(Verdict.OK);
  }

  @Test
  void aRecreatedSeriesContinuesTheChainWithTheSameOrderingRules() {
    CircularExemplarStorage s = new CircularExemplarStorage(10);
    add(s, 1, 10);
    add(s, 1, 20);
    s.detach(1, A);
    s.attach(7, B); // another label set: no effect
    assertThat(s.detachedSeriesCount()).isEqualTo(1);
    long moves = s.moves();
    s.attach(8, A);
    assertThat(s.moves()).isEqualTo(moves + 1);
    assertThat(s.detachedSeriesCount()).isZero();
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
    assertThat(times(s, 8)).containsExactly(10L, 20L);
    assertThat(s.has(8)).isTrue();
    assertThat(s.check(8, 19, 19, ex(19).labels())).isEqualTo(Verdict.OUT_OF_ORDER);
    assertThat(s.add(8, 19, 19, ex(19).labels())).isEqualTo(Verdict.OUT_OF_ORDER);
    assertThat(s.add(8, 20, 20, ex(20).labels())).isEqualTo(Verdict.DUPLICATE);
    add(s, 8, 30);
    assertThat(times(s, 8)).containsExactly(10L, 20L, 30L);
    assertThat(s.seriesCount()).isEqualTo(1);

    // Collected again, and re-created a third time: still one chain.
    s.detach(8, A);
    assertThat(times(s, 8)).isEmpty();
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL))
        .containsExactly(new ExemplarSeries(A, List.of(ex(10), ex(20), ex(30))));
    s.attach(9, A);
    add(s, 9, 40);
    assertThat(times(s, 9)).containsExactly(10L, 20L, 30L, 40L);
    assertThat(times(s, 8)).isEmpty(); // a dead id resolves to nothing
    assertThat(times(s, 1)).isEmpty();
    assertThat(s.size()).isEqualTo(4);
  }

  @Test
  void overwritingTheLastExemplarOfADetachedSeriesRemovesItsEntry() {
    CircularExemplarStorage s = new CircularExemplarStorage(3);
    add(s, 1, 1);
    add(s, 1, 2);
    s.detach(1, A);
    add(s, 2, 3);
    add(s, 2, 4); // overwrites A's t=1
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL))
        .containsExactly(new ExemplarSeries(A, List.of(ex(2))));
    add(s, 2, 5); // overwrites A's last
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
    assertThat(s.detachedSeriesCount()).isZero();
    assertThat(s.seriesCount()).isEqualTo(1);
    // A series re-created with A's labels starts afresh: nothing to be out of order against.
    s.attach(3, A);
    assertThat(s.add(3, 0, 0, Labels.EMPTY)).isEqualTo(Verdict.OK);
    assertThat(times(s, 3)).containsExactly(0L);
  }

  @Test
  void aRecreatedSeriesWhoseOnlyExemplarIsOverwrittenByItsOwnAddKeepsGoing() {
    CircularExemplarStorage s = new CircularExemplarStorage(1);
    add(s, 1, 5);
    s.detach(1, A);
    s.attach(2, A);
    assertThat(s.add(2, 4, 4, Labels.EMPTY)).isEqualTo(Verdict.OUT_OF_ORDER);
    add(s, 2, 6); // replaces its own t=5
    assertThat(times(s, 2)).containsExactly(6L);
    assertThat(s.seriesCount()).isEqualTo(1);
    assertThat(s.size()).isEqualTo(1);
  }

  @Test
  void resizeKeepsDetachedChainsThatFitAndForgetsTheOthers() {
    CircularExemplarStorage s = new CircularExemplarStorage(10);
    add(s, 1, 1);
    add(s, 2, 2);
    add(s, 2, 3);
    s.detach(1, A);
    s.detach(2, B);
    assertThat(s.detachedSeriesCount()).isEqualTo(2);
    assertThat(s.resize(2)).isEqualTo(2); // A's only exemplar is the oldest: dropped
    assertThat(s.detachedSeriesCount()).isEqualTo(1);
    assertThat(s.seriesCount()).isEqualTo(1);
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL))
        .containsExactly(new ExemplarSeries(B, List.of(ex(2), ex(3))));
    s.attach(5, B);
    assertThat(s.add(5, 2, 2, Labels.EMPTY)).isEqualTo(Verdict.OUT_OF_ORDER);
    add(s, 5, 4); // full: overwrites B's t=2
    assertThat(times(s, 5)).containsExactly(3L, 4L);
    s.detach(5, B);
    assertThat(s.resize(0)).isZero();
    assertThat(s.detachedSeriesCount()).isZero();
    assertThat(detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL)).isEmpty();
  }

  /**
   * Random adds, collections, re-creations and resizes against a model: per label set, the
   * exemplars among the last {@code capacity} added, wherever its series is (head or gone).
   */
  @Test
  void churningSeriesMatchAModel() {
    int sets = 6;
    Labels[] names = new Labels[sets];
    for (int i = 0; i < sets; i++) {
      names[i] = Labels.of("__name__", "m", "i", Integer.toString(i));
    }
    for (long seed = 1; seed <= 30; seed++) {
      Random r = new Random(seed);
      int capacity = 1 + r.nextInt(30);
      CircularExemplarStorage s = new CircularExemplarStorage(capacity);
      ArrayDeque<long[]> window = new ArrayDeque<>(); // {set, t}
      int[] liveId = new int[sets]; // 0: not in the head
      int nextId = 1;
      long[] clock = new long[sets];
      for (int step = 0; step < 600; step++) {
        int i = r.nextInt(sets);
        int op = r.nextInt(20);
        if (op == 0 && liveId[i] != 0) {
          s.detach(liveId[i], names[i]);
          liveId[i] = 0;
          continue;
        }
        if (op == 1) {
          capacity = r.nextInt(40);
          s.resize(capacity);
          while (window.size() > capacity) {
            window.removeFirst();
          }
          continue;
        }
        if (liveId[i] == 0) {
          liveId[i] = nextId++;
          s.attach(liveId[i], names[i]);
        }
        long t = clock[i] + r.nextInt(3) - (r.nextInt(8) == 0 ? 4 : 0);
        Verdict v = s.add(liveId[i], t, step, Labels.of("step", Integer.toString(step)));
        if (capacity == 0) {
          assertThat(v).isEqualTo(Verdict.DISABLED);
          continue;
        }
        long newest = Long.MIN_VALUE;
        for (long[] e : window) {
          if (e[0] == i) {
            newest = e[1];
          }
        }
        String where = "seed " + seed + " step " + step;
        assertThat(v).as(where).isEqualTo(t < newest ? Verdict.OUT_OF_ORDER : Verdict.OK);
        if (v == Verdict.OK) {
          clock[i] = t;
          window.addLast(new long[] {i, t});
          if (window.size() > capacity) {
            window.removeFirst();
          }
        }
        if (step % 20 == 0) {
          check(s, names, liveId, window, where);
        }
      }
      check(s, names, liveId, window, "seed " + seed);
    }
  }

  private static void check(CircularExemplarStorage s, Labels[] names, int[] liveId,
      ArrayDeque<long[]> window, String where) {
    Map<Labels, List<Long>> want = new HashMap<>();
    for (long[] e : window) {
      want.computeIfAbsent(names[(int) e[0]], k -> new ArrayList<>()).add(e[1]);
    }
    Map<Labels, List<Long>> got = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      if (liveId[i] != 0 && s.has(liveId[i])) {
        got.put(names[i], times(s, liveId[i]));
      }
    }
    int gone = 0;
    for (ExemplarSeries e : detached(s, Long.MIN_VALUE, Long.MAX_VALUE, ALL)) {
      int i = Integer.parseInt(e.seriesLabels().get("i"));
      assertThat(liveId[i]).as(where + ": " + e.seriesLabels() + " detached but live")
          .isZero();
      assertThat(got.put(e.seriesLabels(), e.exemplars().stream()
          .map(Exemplar::timestamp).toList())).as(where).isNull();
      gone++;
    }
    assertThat(got).as(where).isEqualTo(want);
    assertThat(s.size()).as(where).isEqualTo(window.size());
    assertThat(s.seriesCount()).as(where).isEqualTo(want.size());
    assertThat(s.detachedSeriesCount()).as(where).isEqualTo(gone);
  }
}
