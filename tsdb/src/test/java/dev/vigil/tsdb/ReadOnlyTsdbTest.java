package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadOnlyTsdbTest {
  @TempDir
  Path dir;

  /** Every file under the database with its size and modification time. */
  private Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
            : Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  /** Six series of one-minute samples over [fromMin, toMin) minutes. */
  private static void write(Tsdb db, int fromMin, int toMin) {
    for (long m = fromMin; m < toMin; m++) {
      Appender app = db.appender();
      for (int pod = 0; pod < 5; pod++) {
        app.append(0, Labels.of("__name__", "cpu", "pod", "p" + pod), m * 60_000, m * pod);
      }
      app.append(0, Labels.of("__name__", "up"), m * 60_000, 1);
      app.commit();
    }
  }

  @Test
  void seesWhatTheOpenDatabaseHoldsAndTouchesNothing() throws IOException {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      // A block, a WAL checkpoint, full chunks in chunks_head, a head snapshot, WAL after it.
      write(db, 0, 240);
      assertThat(db.cutBlocks()).hasSize(1);
      write(db, 240, 400);
      assertThat(db.writeHeadSnapshot()).isEqualTo(6);
      write(db, 400, 430);
      Map<String, String> before = files();
      assertThat(before.keySet()).anyMatch(f -> f.startsWith("wal/checkpoint."))
          .anyMatch(f -> f.startsWith("chunks_head/")).contains("head.snapshot");

      try (ReadOnlyTsdb ro = ReadOnlyTsdb.open(dir, TsdbOptions.defaults())) {
        assertThat(ro.blocks()).hasSize(1);
        assertThat(ro.skippedBlocks()).isEmpty();
        assertThat(ro.replayStats().corruption()).isNull();
        assertThat(TsdbTest.all(ro)).isEqualTo(TsdbTest.all(db)).hasSize(6);
        assertThat(Analysis.of(ro, 5)).isEqualTo(Analysis.of(db, 5));
        assertThat(Analysis.of(ro, 5).totalSamples()).isEqualTo(6 * 430);
      }
      assertThat(files()).isEqualTo(before);
      write(db, 430, 431); // the server goes on
    }
  }

  @Test
  void damageIsReportedNotRepaired() throws IOException {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      write(db, 0, 240);
      assertThat(db.cutBlocks()).hasSize(1);
      write(db, 240, 250);
    }
    Path blocks = dir.resolve("blocks");
    Files.createDirectories(blocks.resolve("01HALF.tmp").resolve("chunks"));
    Files.createDirectories(blocks.resolve("01NOMETA").resolve("chunks"));
    Files.createDirectories(dir.resolve("wal").resolve("checkpoint.00000099.tmp"));
    int[] segs = WalReader.segments(dir.resolve("wal"));
    Path last = dir.resolve("wal").resolve(String.format("%08d", segs[segs.length - 1]));
    // A record being written: its length promises more bytes than follow.
    Files.write(last, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
    Map<String, String> before = files();

    try (ReadOnlyTsdb ro = ReadOnlyTsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(ro.skippedBlocks()).hasSize(2)
          .anyMatch(s -> s.startsWith("01HALF.tmp: incomplete block"))
          .anyMatch(s -> s.startsWith("01NOMETA: "));
      assertThat(ro.replayStats().corruption()).contains("exceeds");
      assertThat(Analysis.of(ro, 5).totalSamples()).isEqualTo(6 * 250);
    }
    assertThat(files()).isEqualTo(before);
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(Analysis.of(db, 5).totalSamples()).isEqualTo(6 * 250);
    }
  }

  @Test
  void whatABlockHoldsIsNotCountedAgainFromTheWal() throws IOException {
    Path walCopy = dir.resolveSibling(dir.getFileName() + "-wal");
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      write(db, 0, 240);
    }
    copyTree(dir.resolve("wal"), walCopy);
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.cutBlocks()).hasSize(1);
    }
    // As after a crash between writing the block and checkpointing the WAL.
    FileTrees.delete(dir.resolve("wal"));
    Files.move(walCopy, dir.resolve("wal"));
    Analysis ro;
    try (ReadOnlyTsdb db = ReadOnlyTsdb.open(dir, TsdbOptions.defaults())) {
      ro = Analysis.of(db, 5);
    }
    assertThat(ro.blocks()).hasSize(1);
    assertThat(ro.headSamples()).isEqualTo(6 * 120);
    assertThat(ro.totalSamples()).isEqualTo(6 * 240);
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(Analysis.of(db, 5)).isEqualTo(ro);
    }
  }

  @Test
  void aDirectoryWithoutADatabaseIsAnError() throws IOException {
    Files.createDirectories(dir.resolve("other"));
    assertThatThrownBy(() -> ReadOnlyTsdb.open(dir, TsdbOptions.defaults()))
        .isInstanceOf(StorageException.class).hasMessageContaining("no database in " + dir);
    assertThat(files().keySet()).containsExactly("", "other");
  }
}
