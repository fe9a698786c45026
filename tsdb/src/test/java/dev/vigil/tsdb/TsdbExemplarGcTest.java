package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage;
import dev.vigil.tsdb.head.HeadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exemplars outlive their series in the head (as in Prometheus, whose exemplar index is keyed by
 * label set): a series garbage-collected at a block cut keeps its exemplars queryable until the
 * ring overwrites them, and a series re-created with the same labels continues them.
 */
class TsdbExemplarGcTest {
  private static final Labels A = Labels.of("__name__", "req_total", "pod", "a");
  private static final Labels B = Labels.of("__name__", "req_total", "pod", "b");
  private static final List<List<Matcher>> POD_B = List.of(List.of(Matcher.equal("pod", "b")));
  private static final List<List<Matcher>> ALL =
      List.of(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));

  @TempDir
  Path dir;

  private static Exemplar ex(String trace, long t) {
    return new Exemplar(Labels.of("trace_id", trace), t, t);
  }

  private static List<Exemplar> bExemplars(long from, long to) {
    List<Exemplar> out = new ArrayList<>();
    for (long t = from; t <= to; t += 100) {
      out.add(ex("b" + t, t));
    }
    return out;
  }

  /**
   * A gets a sample every 100 ms up to 2900 (with an exemplar when {@code exemplarsOfA}), B only
   * below 900, always with an exemplar: the first cut ([0, 1000)) collects B.
   */
  private static void fill(Tsdb db, boolean exemplarsOfA) {
    for (long t = 0; t < 3000; t += 100) {
      Appender a = db.appender();
      long ref = a.append(0, A, t, t);
      if (exemplarsOfA) {
        a.appendExemplar(ref, A, ex("a" + t, t));
      }
      if (t < 900) {
        long b = a.append(0, B, t, t);
        a.appendExemplar(b, B, ex("b" + t, t));
      }
      a.commit();
    }
  }

  private static TsdbOptions options(int maxExemplars) {
    return TsdbOptions.defaults().withBlockRangeMs(1000)
        .withHead(HeadOptions.defaults().withMaxExemplars(maxExemplars));
  }

  @Test
  void exemplarsOfASeriesCollectedAtACutStayQueryableByMatchers() {
    try (Tsdb db = Tsdb.open(dir, options(1000))) {
      fill(db, true);
      assertThat(db.cutBlocks()).isNotEmpty();
      assertThat(db.head().removedSeries()).isEqualTo(1);
      assertThat(db.head().numSeries()).isEqualTo(1);
      CircularExemplarStorage ring = db.head().exemplars();
      assertThat(ring.detachedSeriesCount()).isEqualTo(1);
      assertThat(ring.seriesCount()).isEqualTo(2);

      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B))
          .containsExactly(new ExemplarSeries(B, bExemplars(0, 800)));
      // Both, sorted by series labels, the time range applied to each.
      List<ExemplarSeries> both = db.selectExemplars(150, 450,
          List.of(List.of(Matcher.of(MatchType.REGEX, "pod", "a|b"))));
      assertThat(both).extracting(ExemplarSeries::seriesLabels).containsExactly(A, B);
      assertThat(both.get(1).exemplars()).containsExactlyElementsOf(bExemplars(200, 400));
      assertThat(both.get(0).exemplars()).extracting(Exemplar::timestamp)
          .containsExactly(200L, 300L, 400L);
      // Any of several sets; none matching; a range after B's exemplars.
      assertThat(db.selectExemplars(0, 5000, List.of(List.of(Matcher.equal("pod", "zz")),
          List.of(Matcher.equal("__name__", "req_total"), Matcher.of(MatchType.NOT_EQUAL,
              "pod", "a"))))).extracting(ExemplarSeries::seriesLabels).containsExactly(B);
      assertThat(db.selectExemplars(0, 5000, List.of(List.of(Matcher.equal("pod", "c")))))
          .isEmpty();
      assertThat(db.selectExemplars(900, 5000, POD_B)).isEmpty();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL)).hasSize(2);
    }
  }

  @Test
  void aSeriesRecreatedAfterCollectionContinuesItsExemplarsUnderTheSameRules() {
    try (Tsdb db = Tsdb.open(dir, options(1000))) {
      fill(db, false);
      Appender pending = db.appender(); // holds the old series across the cut
      long oldRef = pending.append(0, B, 2950, 1);
      db.cutBlocks();
      assertThat(db.head().removedSeries()).isEqualTo(1);
      assertThat(db.head().exemplars().detachedSeriesCount()).isEqualTo(1);

      Appender a = db.appender();
      long ref = a.append(0, B, 3000, 1); // a new head series, a new ref
      assertThat(ref).isNotEqualTo(oldRef);
      assertThat(db.head().exemplars().detachedSeriesCount()).isZero();
      assertThatThrownBy(() -> a.appendExemplar(ref, B, ex("late", 799)))
          .hasMessageContaining("out of order exemplar");
      assertThat(a.appendExemplar(ref, B, ex("b800", 800))).isEqualTo(ref); // a retry: ignored
      a.appendExemplar(ref, B, ex("b3000", 3000));
      a.commit();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B)).containsExactly(
          new ExemplarSeries(B, append(bExemplars(0, 800), ex("b3000", 3000))));
      assertThat(db.head().exemplarsOf(ref, 0)).hasSize(10);

      // The appender still holding the collected series commits to the live one, in order.
      assertThatThrownBy(() -> pending.appendExemplar(oldRef, B, ex("old", 700)))
          .hasMessageContaining("out of order exemplar");
      pending.appendExemplar(oldRef, B, ex("b3100", 3100));
      pending.commit();
      assertThat(db.selectExemplars(3000, Long.MAX_VALUE, POD_B)).containsExactly(
          new ExemplarSeries(B, List.of(ex("b3000", 3000), ex("b3100", 3100))));
      assertThat(db.head().exemplars().seriesCount()).isEqualTo(1);
    }
  }

  @Test
  void overwritingTheLastExemplarsOfACollectedSeriesRemovesItsIndexEntry() {
    try (Tsdb db = Tsdb.open(dir, options(10))) {
      fill(db, false); // nine exemplars, all B's
      db.cutBlocks();
      CircularExemplarStorage ring = db.head().exemplars();
      assertThat(ring.size()).isEqualTo(9);
      for (long t = 3000; t < 4000; t += 100) {
        Appender a = db.appender();
        long ref = a.append(0, A, t, t);
        a.appendExemplar(ref, A, ex("a" + t, t));
        a.commit();
        int left = (int) Math.min(9, 10 - (t - 3000) / 100 - 1);
        assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B))
            .as("after a%d", t).containsExactlyElementsOf(left == 0 ? List.of()
                : List.of(new ExemplarSeries(B, bExemplars(800 - 100L * (left - 1), 800))));
      }
      assertThat(ring.detachedSeriesCount()).isZero();
      assertThat(ring.seriesCount()).isEqualTo(1);
      assertThat(ring.size()).isEqualTo(10);
      // Nothing of B is left to be out of order against.
      Appender a = db.appender();
      long ref = a.append(0, B, 4000, 1);
      a.appendExemplar(ref, B, ex("b1", 1));
      a.commit();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B))
          .containsExactly(new ExemplarSeries(B, List.of(ex("b1", 1))));
    }
  }

  /**
   * Documented behaviour: exemplars of a series that left the head live in memory only. The
   * checkpoint written at the cut keeps the exemplars of the series it keeps (from the cut on),
   * as Prometheus's, so after a restart they are gone, and a series re-created after the cut
   * comes back with what it logged since.
   */
  @Test
  void exemplarsOfCollectedSeriesDoNotSurviveACheckpointAndRestart() {
    TsdbOptions o = options(1000);
    try (Tsdb db = Tsdb.open(dir, o)) {
      fill(db, true);
      db.cutBlocks();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B)).hasSize(1);
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(db.replayStats().unknownRefs()).isZero();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B)).isEmpty();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL))
          .extracting(ExemplarSeries::seriesLabels).containsExactly(A);
      assertThat(db.head().exemplars().detachedSeriesCount()).isZero();
      // B comes back: a series without exemplars, free of the lost ones' order.
      Appender a = db.appender();
      long ref = a.append(0, B, 3000, 1);
      a.appendExemplar(ref, B, ex("b5", 5));
      a.appendExemplar(ref, B, ex("b3000", 3000));
      a.commit();
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B)).containsExactly(
          new ExemplarSeries(B, List.of(ex("b5", 5), ex("b3000", 3000))));
    }
  }

  @Test
  void aSeriesRecreatedAfterTheCutKeepsOnlyWhatItLoggedSinceAcrossARestart() {
    TsdbOptions o = options(1000);
    try (Tsdb db = Tsdb.open(dir, o)) {
      fill(db, false);
      db.cutBlocks();
      Appender a = db.appender();
      long ref = a.append(0, B, 3000, 1);
      a.appendExemplar(ref, B, ex("b3000", 3000));
      a.commit();
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B).get(0).exemplars())
          .hasSize(10);
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, POD_B))
          .containsExactly(new ExemplarSeries(B, List.of(ex("b3000", 3000))));
    }
  }

  private static List<Exemplar> append(List<Exemplar> l, Exemplar e) {
    List<Exemplar> out = new ArrayList<>(l);
    out.add(e);
    return out;
  }
}
