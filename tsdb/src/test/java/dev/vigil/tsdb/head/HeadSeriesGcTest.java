package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadSeriesGcTest {
  private static final Labels OLD = Labels.of("__name__", "gone", "pod", "p1");
  private static final Labels LIVE = Labels.of("__name__", "kept", "pod", "p2");

  private static Head head() {
    return new Head(HeadOptions.defaults().withOutOfOrderWindowMs(0), CommitLog.NONE);
  }

  @Test
  void seriesWithoutSamplesLeaveLabelMapIdTableAndPostings() {
    Head h = head();
    Appender a = h.appender();
    long oldRef = a.append(0, OLD, 1000, 1);
    a.append(0, LIVE, 1000, 1);
    a.commit();
    for (int t = 2000; t <= 130_000; t += 1000) { // LIVE gets a second chunk after the cut
      a = h.appender();
      a.append(0, LIVE, t, t);
      a.commit();
    }
    h.truncateBefore(125_000); // OLD has nothing left; LIVE keeps its second chunk
    assertThat(h.removedSeries()).isEqualTo(1);
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(h.byId(oldRef)).isNull();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(q.labelValues("pod", List.of())).containsExactly("p2");
      assertThat(q.labelNames(List.of())).containsExactly("__name__", "pod");
    }
    assertThat(h.postings.select(List.of(Matcher.equal("__name__", "gone"))).isEmpty()).isTrue();

    // A cached stale ref falls back to the labels: a new series with a new ref.
    a = h.appender();
    long newRef = a.append(oldRef, OLD, 200_000, 7);
    a.commit();
    assertThat(newRef).isNotEqualTo(oldRef);
    assertThat(HeadTest.all(h)).filteredOn(d -> d.contains("gone")).singleElement()
        .satisfies(d -> assertThat(d).contains(" 200000=").doesNotContain(" 1000="));
  }

  @Test
  void anAppenderHoldingACollectedSeriesCommitsToTheLiveOne() {
    Head h = head();
    Appender a = h.appender();
    a.append(0, OLD, 1000, 1);
    a.commit();
    Appender pending = h.appender();
    long ref = pending.append(0, OLD, 50_000, 2); // resolved to the old series, not committed
    h.truncateBefore(10_000); // the series has no sample left: collected
    assertThat(h.removedSeries()).isEqualTo(1);
    pending.commit();
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(h.byId(ref)).isNull();
    List<String> dump = HeadTest.all(h);
    assertThat(dump).hasSize(1);
    assertThat(dump.get(0)).contains(" 50000=").doesNotContain(" 1000=");
  }

  @Test
  void aSeriesRecordsBatchReplaysAsItsSeriesOneByOne() {
    Head h = head();
    // A batch as a series record brings it: OLD twice (an alias), then a conflict on ref 3.
    h.replaySeries(new long[] {3, 5, 9, 0}, List.of(OLD, LIVE, OLD));
    assertThat(h.numSeries()).isEqualTo(2);
    assertThat(h.byId(9)).isSameAs(h.byId(3));
    assertThat(h.byId(5).labels).isEqualTo(LIVE);
    assertThat(h.replayFloats(new long[] {3, 9, 5}, new long[] {1000, 2000, 1000},
        new double[] {1, 2, 3}, 3)).as("unknown refs").isZero();
    assertThatThrownBy(() -> h.replaySeries(new long[] {11, 3}, List.of(
        Labels.of("__name__", "new"), Labels.of("__name__", "other"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("series ref 3 logged for {__name__=\"other\"}");
    assertThat(h.byId(11)).as("the series before the conflict").isNotNull();
    assertThatThrownBy(() -> h.replaySeries(new long[] {0}, List.of(OLD)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("series ref 0 out of range");
  }

  @Test
  void replayUnderTwoRefsAliasesOneSeries() {
    Head h = head();
    h.replaySeries(3, OLD);
    h.replaySample(3, 1000, 1, null);
    h.replaySeries(9, OLD); // re-created after a collection, before the checkpoint
    assertThat(h.replaySample(9, 2000, 2, null)).isTrue();
    assertThat(h.byId(9)).isSameAs(h.byId(3));
    List<Long> visited = new ArrayList<>();
    h.forEachSeries(Long.MIN_VALUE, (r, l, it) -> visited.add(r));
    assertThat(visited).containsExactly(3L);
    // New series never take an aliased ref; collecting the series clears both refs.
    Appender a = h.appender();
    long fresh = a.append(0, LIVE, 3000, 1);
    a.commit();
    assertThat(fresh).isGreaterThan(9);
    h.truncateBefore(2500);
    assertThat(h.byId(3)).isNull();
    assertThat(h.byId(9)).isNull();
  }
  /**
   * Commits go on while the head is truncated (a page of series at a time): a sample committed
   * meanwhile to a series the pass has already visited, older than everything the pass left,
   * still counts in the head's min time, which queries use to decide whether to read the head.
   */
  @Test
  void samplesCommittedDuringTruncationCountInTheMinTime() throws Exception {
    for (int round = 0; round < 20; round++) {
      Head h = new Head(HeadOptions.defaults().withOutOfOrderWindowMs(36_000_000L),
          CommitLog.NONE);
      Appender a = h.appender();
      for (int i = 0; i < 50; i++) { // first ids: the first page the pass visits
        a.append(0, Labels.of("__name__", "late", "i", "" + i), 5_000_000, 1);
      }
      for (int i = 0; i < 12_000; i++) { // three pages of series the truncation collects
        a.append(0, Labels.of("__name__", "old", "i", "" + i), 100_000, 1);
      }
      a.commit();
      java.util.concurrent.atomic.AtomicBoolean stop =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicLong oldest =
          new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
      // Each commit older than the one before (out of order, inside the window): one landing
      // after the pass visited its series is older than anything the pass saw.
      Thread writer = Thread.ofPlatform().start(() -> {
        for (int k = 0; !stop.get() && k < 700_000; k++) {
          Appender w = h.appender();
          long t = 1_000_000 - k;
          w.append(0, Labels.of("__name__", "late", "i", "" + (k % 50)), t, 2);
          w.commit();
          oldest.set(t);
        }
      });
      while (oldest.get() == Long.MAX_VALUE) {
        Thread.onSpinWait();
      }
      h.truncateBefore(200_000);
      stop.set(true);
      writer.join();
      assertThat(h.numSeries()).isEqualTo(50);
      assertThat(h.minTime()).as("round %d: min time", round)
          .isLessThanOrEqualTo(oldest.get());
    }
  }
}
