package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalysisTest {
  @TempDir
  Path dir;

  @Test
  void countsBlocksHeadAndCardinality() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withBlockRangeMs(1000))) {
      for (int t = 0; t < 3000; t += 15) {
        Appender a = db.appender();
        for (int pod = 0; pod < 10; pod++) {
          a.append(0, Labels.of("__name__", "cpu", "pod", "p" + pod), t, t);
        }
        a.append(0, Labels.of("__name__", "up", "pod", "p0"), t, 1);
        a.commit();
      }
      db.cutBlocks();
      Analysis an = Analysis.of(db, 2);
      assertThat(an.blocks()).hasSize(2);
      Analysis.BlockSummary b = an.blocks().get(0);
      assertThat(b.series()).isEqualTo(11);
      assertThat(b.samples()).isEqualTo(11 * 67);
      assertThat(b.bytesPerSample()).isPositive();
      assertThat(an.headSeries()).isEqualTo(11);
      assertThat(an.topMetrics()).containsExactly(new Analysis.Count("cpu", 10),
          new Analysis.Count("up", 1));
      assertThat(an.topLabels()).containsExactly(new Analysis.Count("pod", 10),
          new Analysis.Count("__name__", 2));
      assertThat(an.series()).isEqualTo(11);
      assertThat(an.labelNames()).isEqualTo(2);
      assertThat(an.postings()).isEqualTo(12);
      assertThat(an.postingEntries()).isEqualTo(22);
      assertThat(an.topLabelPairs()).containsExactly(new Analysis.Count("__name__=cpu", 10),
          new Analysis.Count("pod=p0", 2));
      assertThat(an.totalSamples()).isEqualTo(11 * 200);
    }
  }

  /**
   * Two series over the whole range [0, 3990] and three that each live 990 ms of it: each of
   * those leaves 3000 ms uncovered, 9000 ms together = 2.26 ranges, counted as 2 (promtool's
   * truncation) for the pairs and names they share; alone, one leaves 0.75 ranges: none.
   */
  @Test
  void churnCountsTheRangeShortLivedSeriesLeaveUncovered() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      for (int t = 0; t < 4000; t += 10) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "up", "job", "stable", "i", "0"), t, 1);
        a.append(0, Labels.of("__name__", "up", "job", "stable", "i", "1"), t, 1);
        if (t < 3000) { // series i lives [1000 i, 1000 i + 990]
          a.append(0, Labels.of("__name__", "batch", "job", "batch", "i",
              Integer.toString(t / 1000)), t, 1);
        }
        a.commit();
      }
      Analysis an = Analysis.of(db, 5);
      assertThat(an.topChurnPairs()).containsExactly(new Analysis.Count("__name__=batch", 2),
          new Analysis.Count("job=batch", 2));
      assertThat(an.topChurnLabels()).containsExactly(new Analysis.Count("__name__", 2),
          new Analysis.Count("i", 2), new Analysis.Count("job", 2));
    }
  }
}
