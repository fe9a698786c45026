package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Churned series leave the head (and the WAL checkpoint) at a block cut, not the database. */
class TsdbSeriesGcTest {
  @TempDir
  Path dir;

  private static long count(Tsdb db, String name) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet s = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.equal("__name__", name)));
      long n = 0;
      while (s.next()) {
        n++;
      }
      return n;
    }
  }

  @Test
  void churnedSeriesAreCollectedAtCutAndStayQueryableFromBlocks() {
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1000);
    try (Tsdb db = Tsdb.open(dir, o)) {
      for (int t = 0; t < 3000; t += 10) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "up", "pod", "stable"), t, 1);
        if (t < 900) { // pods p0..p9 live only in the first block range
          a.append(0, Labels.of("__name__", "churn", "pod", "p" + (t / 100)), t, t);
        }
        a.commit();
      }
      assertThat(db.head().numSeries()).isEqualTo(10);
      db.cutBlocks();
      assertThat(db.head().numSeries()).isEqualTo(1);
      assertThat(db.head().removedSeries()).isEqualTo(9);
      assertThat(count(db, "churn")).isEqualTo(9);
      Appender a = db.appender(); // a churned pod comes back: a new head series
      a.append(0, Labels.of("__name__", "churn", "pod", "p0"), 3000, 5);
      a.commit();
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(db.replayStats().unknownRefs()).isZero();
      assertThat(db.head().numSeries()).isEqualTo(2);
      assertThat(count(db, "churn")).isEqualTo(9);
      assertThat(count(db, "up")).isEqualTo(1);
    }
  }
}
