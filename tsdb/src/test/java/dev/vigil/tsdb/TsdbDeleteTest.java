package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.DeletedIntervalsIterator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbDeleteTest {
  @TempDir
  Path dir;

  private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRangeMs(1000);

  private static List<Long> times(Tsdb db, String s) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      List<String> d = QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("s", s))));
      List<Long> out = new ArrayList<>();
      for (String series : d) {
        for (String sample : series.substring(series.indexOf(':') + 1).trim().split(" ")) {
          if (!sample.isEmpty()) {
            out.add(Long.parseLong(sample.substring(0, sample.indexOf('='))));
          }
        }
      }
      return out;
    }
  }

  private static List<Long> expected(long from, long to, long delFrom, long delTo) {
    List<Long> out = new ArrayList<>();
    for (long t = from; t < to; t += 100) {
      if (t < delFrom || t > delTo) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void deletesAcrossHeadAndBlocksSurviveRestartAndCompactionRemovesThem() throws IOException {
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      for (int t = 0; t < 3000; t += 100) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "m", "s", "1"), t, t);
        a.append(0, Labels.of("__name__", "m", "s", "2"), t, t);
        a.commit();
      }
      assertThat(db.cutBlocks()).hasSize(2); // [0,1000) [1000,2000); head from 2000
      assertThatThrownBy(() -> db.delete(0, 1, List.of())).isInstanceOf(IllegalArgumentException.class);
      // 1500..2500 spans block [1000,2000) and the head.
      assertThat(db.delete(1500, 2500, List.of(Matcher.equal("s", "1")))).isEqualTo(2);
      assertThat(times(db, "1")).isEqualTo(expected(0, 3000, 1500, 2500));
      assertThat(times(db, "2")).isEqualTo(expected(0, 3000, 1, 0));
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(times(db, "1")).as("after replay").isEqualTo(expected(0, 3000, 1500, 2500));
      List<BlockMeta> rewritten = db.compact();
      assertThat(rewritten).extracting(BlockMeta::minTime).containsExactly(1000L);
      assertThat(rewritten.get(0).numSamples()).isEqualTo(10 + 5);
      assertThat(times(db, "1")).isEqualTo(expected(0, 3000, 1500, 2500));
      // Cutting the head writes blocks without the deleted head samples.
      for (int t = 3000; t < 5000; t += 100) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "m", "s", "1"), t, t);
        a.commit();
      }
      db.cutBlocks();
      assertThat(times(db, "1")).isEqualTo(expected(0, 5000, 1500, 2500));
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(times(db, "1")).isEqualTo(expected(0, 5000, 1500, 2500));
    }
  }

  /**
   * A tombstone over samples the head keeps after a cut must reach the cut's WAL checkpoint:
   * the checkpoint carries those samples (deleted ones included) and the segments that held the
   * tombstone record are gone, so a restart that replays the WAL would bring them back.
   */
  @Test
  void aHeadTombstoneSurvivesTheCheckpointOfALaterCut() {
    try (Tsdb db = Tsdb.open(dir, OPTS.withSnapshotOnShutdown(false))) {
      for (int t = 0; t < 3000; t += 100) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "m", "s", "1"), t, t);
        a.commit();
      }
      db.delete(2200, 2500, List.of(Matcher.equal("s", "1")));
      assertThat(db.cutBlocks()).hasSize(2); // [0,1000) [1000,2000); the head keeps [2000, 3000)
      assertThat(times(db, "1")).isEqualTo(expected(0, 3000, 2200, 2500));
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isZero();
      assertThat(times(db, "1")).isEqualTo(expected(0, 3000, 2200, 2500));
    }
  }

  @Test
  void damagedTombstonesQuarantineTheBlockInsteadOfResurrectingData() throws IOException {
    Path blockDir;
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      for (int t = 0; t < 3000; t += 100) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "m", "s", "1"), t, t);
        a.commit();
      }
      db.cutBlocks();
      db.delete(0, 500, List.of(Matcher.equal("s", "1")));
      blockDir = db.blocks().get(0).dir();
    }
    Path ts = blockDir.resolve("tombstones");
    byte[] b = Files.readAllBytes(ts);
    b[6] ^= 1;
    Files.write(ts, b);
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.blocks()).hasSize(1);
      assertThat(times(db, "1")).doesNotContain(0L, 500L);
    }
    assertThat(Files.exists(dir.resolve("quarantine").resolve(blockDir.getFileName()))).isTrue();
  }

  @Test
  void intervalsMergeAndIteratorsSkipThem() {
    long[] iv = new long[0];
    iv = DeletedIntervalsIterator.add(iv, 10, 20);
    iv = DeletedIntervalsIterator.add(iv, 40, 50);
    iv = DeletedIntervalsIterator.add(iv, 0, 2);
    assertThat(iv).containsExactly(0, 2, 10, 20, 40, 50);
    iv = DeletedIntervalsIterator.add(iv, 15, 45);
    assertThat(iv).containsExactly(0, 2, 10, 50);
    iv = DeletedIntervalsIterator.add(iv, 51, Long.MAX_VALUE);
    assertThat(iv).containsExactly(0, 2, 10, Long.MAX_VALUE);
  }
}
