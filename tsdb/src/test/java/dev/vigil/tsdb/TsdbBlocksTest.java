package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbBlocksTest {
  @TempDir
  Path dir;

  private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRangeMs(1000);

  private static void load(Tsdb db, InMemoryStorage ref, int from, int to) {
    for (int t = from; t < to; t += 100) {
      Appender a = db.appender();
      Appender r = ref.appender();
      for (int s = 0; s < 5; s++) {
        for (int k = t; k < t + 100; k += 10) {
          Labels l = Labels.of("__name__", "m", "s", Integer.toString(s));
          a.append(0, l, k, k * 10 + s);
          r.append(0, l, k, k * 10 + s);
        }
      }
      a.commit();
      r.commit();
    }
  }

  private static List<String> all(dev.vigil.model.storage.Queryable q) {
    try (var querier = q.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return dev.vigil.tsdb.contract.QueryableContract.dump(querier.select(true,
          dev.vigil.model.storage.SelectHints.range(0, 0),
          List.of(dev.vigil.model.labels.Matcher.equal("__name__", "m"))));
    }
  }

  @Test
  void cutsAlignedBlocksTruncatesHeadAndCheckpointsWal() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 5000);
      List<BlockMeta> cut = db.cutBlocks();
      assertThat(cut).extracting(BlockMeta::minTime).containsExactly(0L, 1000L, 2000L, 3000L);
      assertThat(cut).extracting(BlockMeta::maxTime).containsExactly(1000L, 2000L, 3000L, 4000L);
      assertThat(cut.get(0).numSamples()).isEqualTo(5 * 100);
      assertThat(db.head().minTime()).isGreaterThanOrEqualTo(3000L);
      assertThat(all(db)).isEqualTo(all(ref));
      assertThatThrownBy(() -> db.appender().append(0, Labels.of("__name__", "m", "s", "new"), 3999, 1))
          .isInstanceOf(StorageException.class).hasMessageContaining("out of bounds");
      load(db, ref, 5000, 5500);
      assertThat(all(db)).isEqualTo(all(ref));
    }
    Path wal = dir.resolve("wal");
    try (Stream<Path> files = Files.list(wal)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("checkpoint.")))
          .hasSize(1);
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.blocks()).hasSize(4);
      // Replay reads the checkpoint (samples from 4000 on, plus what the head kept) and the
      // segments after it, not the whole history.
      assertThat(db.replayStats().samples()).isLessThan(5 * 5500 / 10);
      assertThat(all(db)).isEqualTo(all(ref));
      assertThat(db.cutBlocks()).as("head spans 1.5 ranges at most").isEmpty();
      load(db, ref, 5500, 6000);
      assertThat(db.cutBlocks()).extracting(BlockMeta::minTime).containsExactly(4000L);
      assertThat(all(db)).isEqualTo(all(ref));
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(all(db)).isEqualTo(all(ref));
      assertThat(WalReader.segments(wal)).isNotEmpty();
    }
  }

  /**
   * After a cut the head keeps whole chunks that straddle its end, so it still holds samples of
   * the cut range. Once retention drops the block, those must not show again: not from the head
   * while open, and not after a restart that replays the WAL (the checkpoint records where the
   * cut ended; the head chunks are loaded back whole).
   */
  @Test
  void samplesOfARangeRetentionDroppedDoNotComeBackFromTheHead() {
    Labels l = Labels.of("__name__", "m", "s", "0");
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      for (int t = 0; t < 3000; t += 10) {
        Appender a = db.appender();
        a.append(0, l, t, t);
        a.commit();
      }
      // 120-sample chunks: [0, 1190], [1200, 2390], [2400, 2990]; the second straddles 2000.
      assertThat(db.cutBlocks()).hasSize(2);
      assertThat(db.applyRetention(0, 1)).isEqualTo(2);
      assertThat(all(db)).containsExactly(expectedFrom(l, 2000, 3000));
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isZero();
      assertThat(all(db)).containsExactly(expectedFrom(l, 2000, 3000));
      Appender a = db.appender();
      assertThatThrownBy(() -> a.append(0, l, 1995, 1)).isInstanceOf(StorageException.class)
          .hasMessageContaining("out of bounds");
      a.rollback();
    }
  }

  private static String expectedFrom(Labels l, int from, int to) {
    InMemoryStorage ref = new InMemoryStorage();
    Appender r = ref.appender();
    for (int t = from; t < to; t += 10) {
      r.append(0, l, t, t);
    }
    r.commit();
    return all(ref).get(0);
  }

  @Test
  void compactionMergesCompleteWindowsAndRetentionDropsOldBlocks() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 8000);
      assertThat(db.cutBlocks()).hasSize(7); // [0,1000) … [6000,7000)
      // A query running across the compaction keeps reading the blocks it started with.
      try (var running = db.querier(0, 8000)) {
        List<BlockMeta> merged = db.compact();
        assertThat(merged).extracting(BlockMeta::minTime).containsExactly(0L, 3000L);
        assertThat(merged).extracting(BlockMeta::maxTime).containsExactly(3000L, 6000L);
        assertThat(merged).extracting(BlockMeta::level).containsExactly(2, 2);
        assertThat(dev.vigil.tsdb.contract.QueryableContract.dump(running.select(true,
            dev.vigil.model.storage.SelectHints.range(0, 0),
            List.of(dev.vigil.model.labels.Matcher.equal("__name__", "m"))))).isEqualTo(all(ref));
      }
      // [6000,7000) stays: its 3000 ms window is not complete yet.
      assertThat(db.blocks()).extracting(bl -> bl.meta().minTime()).containsExactly(0L, 3000L, 6000L);
      assertThat(all(db)).isEqualTo(all(ref));
    }
    try (Stream<Path> b = Files.list(dir.resolve("blocks"))) {
      assertThat(b.count()).as("sources deleted").isEqualTo(3);
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(all(db)).isEqualTo(all(ref));
      // Newest sample is at 7990: blocks ending at or before 7990 - 4000 go.
      assertThat(db.applyRetention(4000, 0)).isEqualTo(1);
      assertThat(db.blocks()).extracting(bl -> bl.meta().minTime()).containsExactly(3000L, 6000L);
      assertThat(db.applyRetention(0, 1)).as("size limit below one block").isEqualTo(2);
      assertThat(db.blocks()).isEmpty();
      try (var q = db.querier(0, 5999)) {
        assertThat(q.labelValues("s", List.of())).isEmpty();
      }
    }
  }

  @Test
  void leftoversOfACrashedCutAreSetAsideAndDataIsIntact() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 3000);
      db.cutBlocks();
    }
    // A block directory that never got its meta.json, a half-written one, a stale checkpoint.
    Files.createDirectories(dir.resolve("blocks").resolve("01HALF.tmp").resolve("chunks"));
    Files.createDirectories(dir.resolve("blocks").resolve("01NOMETA"));
    Files.createDirectories(dir.resolve("wal").resolve("checkpoint.00000099.tmp"));
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(all(db)).isEqualTo(all(ref));
      assertThat(db.blocks()).hasSize(2);
    }
    try (Stream<Path> q = Files.list(dir.resolve("quarantine"))) {
      assertThat(q.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("01HALF.tmp", "01NOMETA");
    }
    assertThat(Files.exists(dir.resolve("wal").resolve("checkpoint.00000099.tmp"))).isFalse();
  }
}
