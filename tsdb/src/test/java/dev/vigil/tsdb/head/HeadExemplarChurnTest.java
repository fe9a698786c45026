package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Queries running while series are collected and re-created see each series' exemplars exactly
 * once: never missed while they move between the head's ids and the ring's detached set, never
 * reported twice.
 */
class HeadExemplarChurnTest {
  private static final int SERIES = 4;
  private static final List<List<Matcher>> ALL =
      List.of(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));

  @Test
  void queriesDuringCollectionAndRecreationSeeEverySeriesOnce() throws Exception {
    Head h = new Head(HeadOptions.defaults().withOutOfOrderWindowMs(0), CommitLog.NONE);
    Labels[] series = new Labels[SERIES];
    for (int i = 0; i < SERIES; i++) {
      series[i] = Labels.of("__name__", "churn", "i", Integer.toString(i));
    }
    // Every series has an exemplar before the readers start.
    Appender first = h.appender();
    for (Labels l : series) {
      long ref = first.append(0, l, 0, 0);
      first.appendExemplar(ref, l, new Exemplar(Labels.of("trace_id", "0"), 0, 0));
    }
    first.commit();

    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long[] queries = new long[1];
    Thread reader = Thread.ofPlatform().start(() -> {
      try {
        while (!stop.get()) {
          List<ExemplarSeries> got = h.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL);
          Set<Labels> seen = new HashSet<>();
          for (ExemplarSeries s : got) {
            if (!seen.add(s.seriesLabels())) {
              throw new AssertionError("reported twice: " + s.seriesLabels());
            }
            List<Exemplar> ex = s.exemplars();
            for (int i = 1; i < ex.size(); i++) {
              if (ex.get(i).timestamp() <= ex.get(i - 1).timestamp()) {
                throw new AssertionError(s.seriesLabels() + " out of order: " + ex);
              }
            }
          }
          if (seen.size() != SERIES) {
            throw new AssertionError("missed a series, got only " + seen);
          }
          queries[0]++;
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    });
    long removedBefore = h.removedSeries();
    long t = 1;
    for (int round = 0; round < 3000 && failure.get() == null; round++, t += 10) {
      // Each round re-creates every series with one sample and one exemplar, then collects
      // them all: every series left the head without a sample after the cut.
      Appender a = h.appender();
      for (Labels l : series) {
        long ref = a.append(0, l, t, t);
        a.appendExemplar(ref, l, new Exemplar(Labels.of("trace_id", Long.toString(t)), t, t));
      }
      a.commit();
      h.truncateBefore(t + 1);
    }
    stop.set(true);
    reader.join(30_000);
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    assertThat(h.removedSeries() - removedBefore).isGreaterThanOrEqualTo(SERIES * 100L);
    assertThat(queries[0]).isPositive();
    assertThat(h.exemplars().detachedSeriesCount()).isEqualTo(SERIES);
    assertThat(h.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL)).hasSize(SERIES)
        .allSatisfy(s -> assertThat(s.exemplars()).hasSize((int) Math.min(
            HeadOptions.DEFAULT_MAX_EXEMPLARS / SERIES, 3001)));
  }
}
