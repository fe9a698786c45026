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
}
