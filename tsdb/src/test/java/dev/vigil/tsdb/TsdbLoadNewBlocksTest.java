package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks written beside an open database ({@link Backfill#runBeside}) and taken up live. */
class TsdbLoadNewBlocksTest {
  private static final long HOUR = 3_600_000L;

  @TempDir
  Path dir;

  /** One sample a minute of one series over [from, to) hours. */
  private static Backfill.Source minutes(String name, long fromHour, long toHour) {
    return sink -> {
      for (long t = fromHour * HOUR; t < toHour * HOUR; t += 60_000) {
        sink.accept(Labels.of("__name__", name), t, t / 60_000.0);
      }
    };
  }

  private static void append(Tsdb db, String name, long t) {
    Appender app = db.appender();
    app.append(0, Labels.of("__name__", name), t, 1);
    app.commit();
  }

  @Test
  void aBackfillBesideTheOpenDatabaseIsTakenUpOnce() {
    Path db = dir.resolve("db");
    try (Tsdb live = Tsdb.open(db, TsdbOptions.defaults())) {
      append(live, "live", 10 * HOUR);
      Backfill.Result r = Backfill.runBeside(db, TsdbOptions.defaults(), minutes("old", 0, 4),
          0, 4 * HOUR - 60_000, 2 * HOUR);
      assertThat(r.blocks()).hasSize(2);
      assertThat(r.samples()).isEqualTo(240);
      assertThat(TsdbTest.all(live)).hasSize(1); // not yet
      assertThat(live.loadNewBlocks()).isEqualTo(2);
      assertThat(live.loadNewBlocks()).isZero();
      assertThat(live.blocks()).hasSize(2);
      assertThat(Analysis.of(live, 3).totalSamples()).isEqualTo(241);
      append(live, "live", 10 * HOUR + 1000); // the head goes on
    }
    try (Tsdb reopened = Tsdb.open(db, TsdbOptions.defaults())) {
      assertThat(Analysis.of(reopened, 3).totalSamples()).isEqualTo(242);
    }
  }

  @Test
  void aBackfillReachingIntoTheHeadIsRefusedBeforeWriting() {
    Path db = dir.resolve("db");
    try (Tsdb live = Tsdb.open(db, TsdbOptions.defaults())) {
      append(live, "live", 3 * HOUR);
      assertThatThrownBy(() -> Backfill.runBeside(db, TsdbOptions.defaults(),
          minutes("old", 0, 4), 0, 4 * HOUR - 60_000, 2 * HOUR))
          .isInstanceOf(StorageException.class).hasMessageContaining("reach into the head");
      assertThat(db.resolve("blocks")).isEmptyDirectory();
    }
  }

  @Test
  void aBlockReachingIntoTheHeadIsLeftWhereItIs() throws IOException {
    Path other = dir.resolve("other");
    String ulid;
    try (Tsdb empty = Tsdb.open(other, TsdbOptions.defaults())) {
      ulid = Backfill.run(empty, minutes("old", 2, 4), 2 * HOUR, 4 * HOUR - 60_000, 2 * HOUR)
          .blocks().getFirst().ulid();
    }
    Path db = dir.resolve("db");
    try (Tsdb live = Tsdb.open(db, TsdbOptions.defaults())) {
      append(live, "live", 3 * HOUR);
      Files.move(other.resolve("blocks").resolve(ulid), db.resolve("blocks").resolve(ulid));
      assertThat(live.loadNewBlocks()).isZero();
      assertThat(live.loadNewBlocks()).isZero();
      assertThat(live.blocks()).isEmpty();
      assertThat(db.resolve("blocks").resolve(ulid)).isDirectory();
      append(live, "other", 3 * HOUR - 1); // the head still takes what the block would hide
      assertThat(Analysis.of(live, 3).totalSamples()).isEqualTo(2);
    }
  }

  @Test
  void aBlockIsTakenUpOnlyOnceRenamedAndThenBoundsTheHead() throws IOException {
    Path other = dir.resolve("other");
    String ulid;
    try (Tsdb empty = Tsdb.open(other, TsdbOptions.defaults())) {
      ulid = Backfill.run(empty, minutes("old", 0, 2), 0, 2 * HOUR - 60_000, 2 * HOUR)
          .blocks().getFirst().ulid();
    }
    Path db = dir.resolve("db");
    try (Tsdb live = Tsdb.open(db, TsdbOptions.defaults())) {
      Path writing = db.resolve("blocks").resolve(ulid + ".tmp");
      Files.move(other.resolve("blocks").resolve(ulid), writing);
      assertThat(live.loadNewBlocks()).isZero(); // still being written
      Files.move(writing, db.resolve("blocks").resolve(ulid));
      assertThat(live.loadNewBlocks()).isEqualTo(1);
      // An empty head takes the block too; from then on it refuses what a reopen would hide.
      assertThatThrownBy(() -> append(live, "late", 2 * HOUR - 120_000))
          .isInstanceOf(StorageException.class).hasMessageContaining("out of bounds");
      append(live, "late", 2 * HOUR);
      assertThat(Analysis.of(live, 3).totalSamples()).isEqualTo(121);
    }
  }

  @Test
  void blocksDroppedByCompactionDoNotComeBack() {
    Path db = dir.resolve("db");
    try (Tsdb live = Tsdb.open(db, TsdbOptions.defaults())) {
      append(live, "live", 20 * HOUR);
      Backfill.runBeside(db, TsdbOptions.defaults(), minutes("old", 0, 8), 0, 8 * HOUR - 60_000,
          2 * HOUR);
      assertThat(live.loadNewBlocks()).isEqualTo(4);
      assertThat(live.compact()).hasSize(1); // [0, 6 h) from three blocks
      assertThat(live.loadNewBlocks()).isZero();
      assertThat(live.blocks()).hasSize(2);
      assertThat(Analysis.of(live, 3).totalSamples()).isEqualTo(481);
    }
  }
}
