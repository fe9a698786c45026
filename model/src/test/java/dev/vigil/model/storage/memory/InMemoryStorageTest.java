package dev.vigil.model.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryStorageTest {
  @Test
  void appendsOutOfOrderReplacesDuplicatesAndSelectsByRange() {
    InMemoryStorage s = new InMemoryStorage();
    Appender a = s.appender();
    Labels x = Labels.of("__name__", "x", "job", "a");
    a.append(0, x, 30, 3);
    a.append(0, x, 10, 1);
    a.append(0, x, 20, 2);
    a.append(0, x, 20, 22);
    a.append(0, Labels.of("__name__", "y"), 10, 5);
    assertThat(s.seriesCount()).isZero();
    a.commit();
    try (Querier q = s.querier(15, 30)) {
      SeriesSet set = q.select(true, SelectHints.range(15, 30),
          List.of(Matcher.of(MatchType.EQUAL, "__name__", "x")));
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
      assertThat(it.atT()).isEqualTo(20);
      assertThat(it.atF()).isEqualTo(22);
      assertThat(it.seek(25)).isEqualTo(ValueKind.FLOAT);
      assertThat(it.atT()).isEqualTo(30);
      assertThat(it.next()).isEqualTo(ValueKind.NONE);
      assertThat(set.next()).isFalse();
      assertThat(q.labelNames(List.of())).containsExactly("__name__", "job");
      assertThat(q.labelValues("__name__", List.of())).containsExactly("x");
    }
  }

  @Test
  void rollbackDiscards() {
    InMemoryStorage s = new InMemoryStorage();
    Appender a = s.appender();
    a.append(0, Labels.of("a", "b"), 1, 1);
    a.rollback();
    a.commit();
    assertThat(s.seriesCount()).isZero();
  }

  @Test
  void keepsStartTimestampsAndReportsZeroWhereUnknown() {
    InMemoryStorage s = new InMemoryStorage();
    Appender a = s.appender();
    Labels x = Labels.of("__name__", "x");
    a.append(0, x, 10, 1);
    a.appendWithStart(0, x, 25, 30, 3);
    a.appendWithStart(0, x, 15, 20, 2); // inserted before 30: its ST must move with it
    a.commit();
    try (Querier q = s.querier(0, 100)) {
      SeriesSet set = q.select(true, SelectHints.range(0, 100), List.of());
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      long[] expected = {0, 15, 25};
      for (long st : expected) {
        assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
        assertThat(it.atST()).isEqualTo(st);
      }
    }
  }

  @Test
  void appenderWithoutStartTimestampsDropsThem() {
    InMemoryStorage backing = new InMemoryStorage();
    Appender inner = backing.appender();
    Appender plain = new Appender() {
      @Override
      public long append(long ref, Labels l, long t, double v) {
        return inner.append(ref, l, t, v);
      }

      @Override
      public long appendHistogram(long ref, Labels l, long t,
          dev.vigil.model.histogram.FloatHistogram h) {
        return inner.appendHistogram(ref, l, t, h);
      }

      @Override
      public void commit() {
        inner.commit();
      }

      @Override
      public void rollback() {
        inner.rollback();
      }
    };
    plain.appendWithStart(0, Labels.of("__name__", "x"), 5, 10, 1);
    plain.commit();
    try (Querier q = backing.querier(0, 100)) {
      SeriesSet set = q.select(true, SelectHints.range(0, 100), List.of());
      assertThat(set.next()).isTrue();
      SampleIterator it = set.at().iterator(null);
      assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
      assertThat(it.atT()).isEqualTo(10);
      assertThat(it.atST()).isZero();
    }
  }
}
