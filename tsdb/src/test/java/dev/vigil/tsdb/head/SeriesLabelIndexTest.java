package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head's lookup by labels: hash collisions, growth, removal by series GC. */
class SeriesLabelIndexTest {
  private static Head head() {
    return new Head(HeadOptions.defaults().withOutOfOrderWindowMs(0), CommitLog.NONE);
  }

  @Test
  void collidingHashCodesStayDistinctSeries() {
    // "Aa" and "BB" have the same String.hashCode, so these label sets share Labels.hashCode.
    Labels a = Labels.of("job", "Aa");
    Labels b = Labels.of("job", "BB");
    assertThat(a.hashCode()).isEqualTo(b.hashCode());
    Head h = head();
    MemSeries sa = h.getOrCreate(a);
    MemSeries sb = h.getOrCreate(b);
    assertThat(sa.id).isNotEqualTo(sb.id);
    assertThat(h.getOrCreate(Labels.of(new String("job"), new String("Aa")))).isSameAs(sa);
    assertThat(h.getOrCreate(Labels.of("job", "BB"))).isSameAs(sb);
    assertThat(h.numSeries()).isEqualTo(2);
  }

  @Test
  void manySeriesSurviveGrowthAndResolveToTheirIds() {
    Head h = head();
    List<MemSeries> created = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      created.add(h.getOrCreate(Labels.of("__name__", "m", "i", Integer.toString(i))));
    }
    assertThat(h.numSeries()).isEqualTo(20_000);
    for (int i = 0; i < 20_000; i++) {
      assertThat(h.getOrCreate(Labels.of("__name__", "m", "i", Integer.toString(i))))
          .isSameAs(created.get(i));
    }
  }

  @Test
  void collectedSeriesIsRecreatedUnderANewId() {
    Head h = head();
    Labels old = Labels.of("job", "Aa");
    Labels live = Labels.of("job", "BB"); // same hash code as old
    Appender app = h.appender();
    long oldRef = app.append(0, old, 1_000, 1);
    long liveRef = app.append(0, live, 1_000, 1);
    app.commit();
    app = h.appender();
    app.append(liveRef, live, 200_000, 2);
    app.commit();
    h.truncateBefore(100_000); // old has nothing left and is collected
    assertThat(h.numSeries()).isEqualTo(1);
    assertThat(h.getOrCreate(live).id).isEqualTo((int) liveRef);
    MemSeries again = h.getOrCreate(old);
    assertThat(again.id).isNotEqualTo((int) oldRef).isNotEqualTo((int) liveRef);
    assertThat(h.getOrCreate(Labels.of("job", "Aa"))).isSameAs(again);
    assertThat(h.numSeries()).isEqualTo(2);
  }
}
