package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing a database while a block cut runs waits for the cut instead of pulling files from it. */
class TsdbCloseDuringCutTest {
  private static final long HOUR = 3_600_000;
  private static final int SERIES = 3000;

  @TempDir
  Path dir;

  @Test
  void closeWaitsForARunningCutAndNothingIsLost() throws Exception {
    TsdbOptions opts = TsdbOptions.defaults();
    Tsdb db = Tsdb.open(dir, opts);
    long[] refs = new long[SERIES];
    int rounds = 0;
    for (long t = 0; t < 4 * HOUR; t += 30_000, rounds++) {
      Appender a = db.appender();
      for (int i = 0; i < SERIES; i++) {
        refs[i] = a.append(refs[i], Labels.of("__name__", "c", "i", Integer.toString(i)), t, t + i);
      }
      a.commit();
    }
    AtomicReference<Throwable> cutFailed = new AtomicReference<>();
    Thread cut = Thread.ofPlatform().start(() -> {
      try {
        db.cutBlocks();
      } catch (Throwable e) {
        cutFailed.set(e);
      }
    });
    Thread.sleep(50); // into the cut: writing the block or the checkpoint
    db.close();
    cut.join();
    assertThat(cutFailed.get()).as("the cut, closed under").isNull();

    try (Tsdb again = Tsdb.open(dir, opts);
        Querier q = again.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(again.blocks()).hasSize(1);
      SeriesSet set = q.select(false, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "c")));
      int seen = 0;
      while (set.next()) {
        int n = 0;
        SampleIterator it = set.at().iterator(null);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          n++;
        }
        assertThat(n).as(set.at().labels().toString()).isEqualTo(rounds);
        seen++;
      }
      assertThat(seen).isEqualTo(SERIES);
    }
  }
}
