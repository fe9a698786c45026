package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalWriter;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full head chunks in {@code chunks_head/}: they survive restarts (taken over without decoding
 * their WAL samples again), damage to them loses nothing (the WAL has it all), out-of-order
 * samples and deletes stay right across checkpoints, and cutting the head into blocks deletes
 * the files no longer needed.
 */
class TsdbHeadChunksTest {
  @TempDir
  Path dir;

  /** 10 samples per chunk and 8 KiB files: many full chunks and files from little data. */
  private static final TsdbOptions OPTS = TsdbOptions.defaults()
      .withHead(new HeadOptions(0, 10)).withHeadChunkFileSize(8192).withBlockRangeMs(10_000)
      .withWal(TsdbOptions.defaults().wal().withFsync(FsyncPolicy.INTERVAL));

  private static List<String> all(Queryable q) {
    try (var querier = q.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(querier.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "m"))));
    }
  }

  private static Labels series(int s) {
    return Labels.of("__name__", "m", "s", Integer.toString(s));
  }

  /** Samples at t in [from, to) step 10 for 20 series, one commit per step, into both stores. */
  private static void load(Tsdb db, InMemoryStorage ref, int from, int to) {
    for (int t = from; t < to; t += 10) {
      Appender a = db.appender();
      Appender r = ref.appender();
      for (int s = 0; s < 20; s++) {
        a.append(0, series(s), t, t * 0.5 + s);
        r.append(0, series(s), t, t * 0.5 + s);
      }
      a.commit();
      r.commit();
    }
  }

  private long headChunkFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("chunks_head"))) {
      return s.count();
    }
  }

  @Test
  void fullChunksAreTakenOverAtRestartAndOnlyNewerWalSamplesReplayed() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 2000); // 200 samples per series: 19 full chunks + 1 open
      assertThat(all(db)).isEqualTo(all(ref));
    }
    assertThat(headChunkFiles()).isGreaterThan(1);
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().headChunks()).isEqualTo(20 * 19);
      assertThat(db.replayStats().headChunkCorruption()).isNull();
      assertThat(db.replayStats().samples()).isEqualTo(20 * 200);
      assertThat(all(db)).isEqualTo(all(ref));
      // Appends continue after chunks that came from the files; an exact retry of the last
      // sample is accepted silently (its value is read back from the files' chunk when needed).
      load(db, ref, 2000, 2500);
      assertThat(all(db)).isEqualTo(all(ref));
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().headChunks()).isEqualTo(20 * 24);
      assertThat(all(db)).isEqualTo(all(ref));
    }
  }

  @Test
  void aSampleOfAnUnknownRefFrom2To30IsCountedWhileChunksAreTakenOver() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 2000);
    }
    // One record: series 1 (s=0) twice, so it is replayed sample by sample, and a ref no
    // series has, past 2^30, where a series id doubled overflows an int.
    long huge = (1L << 30) + 5;
    try (WalWriter w = WalWriter.open(dir.resolve("wal"), OPTS.wal())) {
      ByteSink b = new ByteSink(64);
      int mark = WalWriter.beginRecord(b);
      RecordEncoder e = new RecordEncoder();
      e.floatsV2Start();
      e.floatV2(1, 2000, 1000.0);
      e.floatV2(1, 2010, 1005.0);
      e.floatV2(huge, 2000, 1);
      e.floatsV2End(b);
      WalWriter.endRecord(b, mark, new CRC32C());
      w.sync(w.write(b));
    }
    for (int t : new int[] {2000, 2010}) {
      Appender a = ref.appender();
      a.append(0, series(0), t, t * 0.5);
      a.commit();
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().headChunks()).isEqualTo(20 * 19);
      assertThat(db.replayStats().unknownRefs()).isEqualTo(1);
      assertThat(all(db)).isEqualTo(all(ref));
    }
  }

  @Test
  void anExactRetryOfASampleOnlyInAFileChunkIsStillAnIdempotentNoOp() throws IOException {
    Path lastSegment;
    long sizeAfterFirst;
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      Appender a = db.appender();
      for (int t = 0; t < 100; t++) {
        a.append(0, series(1), t, t + 0.25);
      }
      a.commit();
      try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
        lastSegment = s.filter(p -> p.getFileName().toString().matches("\\d{8}")).sorted()
            .reduce((x, y) -> y).orElseThrow();
      }
      sizeAfterFirst = Files.size(lastSegment);
      Appender b = db.appender();
      b.append(0, series(1), 100, 100.25); // closes the chunk [90, 99] into the file
      b.commit();
    }
    // Lose the second commit from the WAL: the newest sample replayed is then the last one of
    // a chunk taken over from chunks_head, never decoded at start.
    try (var ch = java.nio.channels.FileChannel.open(lastSegment,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(sizeAfterFirst);
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().headChunks()).isEqualTo(10);
      Appender a = db.appender();
      a.append(0, series(1), 99, 99.25); // an exact retry: accepted, nothing changes
      a.commit();
      assertThat(db.head().droppedAtCommit()).isZero();
      Appender b = db.appender();
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> b.append(0, series(1), 99, 1.0)).hasMessageContaining("99");
      Appender c = db.appender();
      c.append(0, series(1), 100, 7);
      c.commit();
      List<String> dump = all(db);
      assertThat(dump).hasSize(1);
      assertThat(dump.get(0)).contains(" 99=" + Long.toHexString(Double.doubleToRawLongBits(99.25))
          + " 100=" + Long.toHexString(Double.doubleToRawLongBits(7)));
    }
  }

  @Test
  void damageToAHeadChunkFileLosesNothing() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 2000);
    }
    Path f = dir.resolve("chunks_head").resolve("000001");
    byte[] b = Files.readAllBytes(f);
    b[b.length / 2] ^= 0x10;
    Files.write(f, b);
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().headChunkCorruption()).contains("000001");
      assertThat(db.replayStats().headChunks()).isLessThan(20 * 19);
      assertThat(all(db)).isEqualTo(all(ref));
      load(db, ref, 2000, 2300);
    }
    assertThat(dir.resolve("quarantine").resolve("chunks_head-000001.damaged")).exists();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().headChunkCorruption()).isNull();
      assertThat(all(db)).isEqualTo(all(ref));
    }
  }

  @Test
  void outOfOrderSamplesAndDeletesSurviveCheckpointsAndRestarts() {
    TsdbOptions opts = OPTS.withHead(new HeadOptions(2000, 10));
    Random r = new Random(42);
    List<String> before;
    try (Tsdb db = Tsdb.open(dir, opts)) {
      InMemoryStorage unused = new InMemoryStorage();
      load(db, unused, 0, 12_000);
      // Out-of-order samples inside the window: behind chunks already in the files.
      for (int i = 0; i < 200; i++) {
        Appender a = db.appender();
        int s = r.nextInt(20);
        long t = 10_000 + r.nextInt(1990);
        if (t % 10 == 0) {
          t++;
        }
        a.append(0, series(s), t, -i);
        a.commit();
      }
      db.delete(10_500, 10_700, List.of(Matcher.equal("s", "3")));
      // A series whose newest in-order samples are deleted, then an out-of-order sample just
      // below them: replay must still see it as out of order (the checkpoint keeps the deleted
      // in-order samples, hidden by their tombstone).
      Labels x = Labels.of("__name__", "m", "s", "x");
      Appender ax = db.appender();
      for (int t = 7_000; t <= 12_000; t += 10) { // within half a block range of the newest
        ax.append(0, x, t, t);
      }
      ax.commit();
      db.delete(11_990, 12_000, List.of(Matcher.equal("s", "x")));
      Appender ox = db.appender();
      ox.append(0, x, 11_985, -7);
      ox.commit();
      load(db, unused, 12_000, 16_000);
      assertThat(db.cutBlocks()).isNotEmpty(); // checkpoint: in-order, then OOO, tombstones
      load(db, unused, 16_000, 16_500);
      before = all(db);
      assertThat(before.toString()).contains(" 11985=" + Long.toHexString(
          Double.doubleToRawLongBits(-7)));
    }
    try (Tsdb db = Tsdb.open(dir, opts)) {
      assertThat(db.replayStats().headChunks()).isPositive();
      assertThat(all(db)).isEqualTo(before);
    }
    try (Tsdb db = Tsdb.open(dir, opts)) {
      assertThat(all(db)).isEqualTo(before);
    }
  }

  @Test
  void cuttingTheHeadIntoBlocksDeletesHeadChunkFilesNoLongerNeeded() throws IOException {
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      load(db, ref, 0, 20_000);
      long before = headChunkFiles();
      assertThat(db.cutBlocks()).isNotEmpty();
      assertThat(headChunkFiles()).isLessThan(before);
      assertThat(all(db)).isEqualTo(all(ref));
      load(db, ref, 20_000, 21_000);
    }
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(all(db)).isEqualTo(all(ref));
    }
  }
}
