package dev.vigil.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.XorChunk;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedHeadChunksTest {
  private static final long FILE_SIZE = 8192;

  @TempDir
  Path tmp;

  /** One chunk written: what the loader must give back. */
  private record Written(int series, long ref, long minT, long maxT, long[] ts, double[] vs) {}

  private static Written write(HeadChunks store, Random r, int series, long start) {
    XorChunk c = new XorChunk();
    int k = 1 + r.nextInt(120);
    long[] ts = new long[k];
    double[] vs = new double[k];
    long t = start;
    for (int j = 0; j < k; j++) {
      t += 1 + r.nextInt(30_000);
      ts[j] = t;
      vs[j] = r.nextInt(1000) / 8.0;
      c.append(t, vs[j]);
    }
    c.trimToSize();
    long ref = store.write(series, ts[0], ts[k - 1], c);
    return new Written(series, ref, ts[0], ts[k - 1], ts, vs);
  }

  private static void assertChunk(Chunk c, Written w) {
    SampleIterator it = c.iterator(null);
    for (int j = 0; j < w.ts.length; j++) {
      assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
      assertThat(it.atT()).isEqualTo(w.ts[j]);
      assertThat(it.atF()).isEqualTo(w.vs[j]);
    }
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
  }

  private static final class Collected implements MappedHeadChunks.LoadVisitor {
    final List<long[]> chunks = new ArrayList<>();

    @Override
    public void chunk(int seriesId, long ref, long minT, long maxT) {
      chunks.add(new long[] {seriesId, ref, minT, maxT});
    }
  }

  private MappedHeadChunks open(Path dir, Collected c) {
    return MappedHeadChunks.open(dir, FILE_SIZE, tmp.resolve("quarantine"), c);
  }

  @Test
  void chunksReadBackBeforeAndAfterFlushAndAfterReopening() {
    Path dir = tmp.resolve("chunks_head");
    Random r = new Random(7);
    List<Written> written = new ArrayList<>();
    try (MappedHeadChunks store = open(dir, new Collected())) {
      assertThat(store.loaded().files()).isZero();
      for (int i = 0; i < 300; i++) {
        Written w = write(store, r, 1 + i % 17, i * 1000L);
        written.add(w);
        // The newest chunk is still in the write buffer; an older one may be in a file.
        assertChunk(store.read(w.ref), w);
        assertThat(store.minTime(w.ref)).isEqualTo(w.minT);
      }
      assertThat(store.fileCount()).as("8 KiB files").isGreaterThan(5);
      HeadChunks.PinnedChunks pinned = store.pin(
          written.stream().mapToLong(Written::ref).toArray(), written.size());
      for (int i = 0; i < written.size(); i++) {
        assertChunk(pinned.chunk(i), written.get(i));
        assertThat(store.minTime(written.get(i).ref)).isEqualTo(written.get(i).minT);
      }
    }
    Collected c = new Collected();
    try (MappedHeadChunks store = open(dir, c)) {
      assertThat(store.loaded().corruption()).isNull();
      assertThat(store.loaded().chunks()).isEqualTo(300);
      assertThat(c.chunks).hasSize(300);
      for (int i = 0; i < 300; i++) {
        Written w = written.get(i);
        assertThat(c.chunks.get(i)).containsExactly(w.series, w.ref, w.minT, w.maxT);
        assertChunk(store.read(w.ref), w);
      }
      // New chunks go to a new file after the loaded ones.
      Written w = write(store, r, 99, 0);
      assertThat(w.ref >>> 32).isGreaterThan(written.get(299).ref >>> 32);
      assertChunk(store.read(w.ref), w);
    }
  }

  @Test
  void aKillWhileStartingAFileLeavesAnEmptyFileThatIsRemovedNotReportedAsDamage()
      throws IOException {
    Path dir = tmp.resolve("chunks_head");
    Random r = new Random(5);
    List<Written> written = new ArrayList<>();
    try (MappedHeadChunks store = open(dir, new Collected())) {
      for (int i = 0; i < 40; i++) {
        written.add(write(store, r, 1 + i % 3, i * 1000L));
      }
    }
    int files;
    try (Stream<Path> s = Files.list(dir)) {
      files = (int) s.count();
    }
    // What cut() leaves when killed between creating the next file and writing its header.
    for (int size : new int[] {0, 3}) {
      Path unstarted = dir.resolve(ChunkSegmentFormat.segmentName(files + 1));
      Files.write(unstarted, new byte[size]);
      Collected c = new Collected();
      try (MappedHeadChunks store = open(dir, c)) {
        assertThat(store.loaded().corruption()).as("%d-byte last file", size).isNull();
        assertThat(c.chunks).hasSize(40);
        for (Written w : written) {
          assertChunk(store.read(w.ref), w);
        }
      }
      assertThat(unstarted).doesNotExist();
      assertThat(tmp.resolve("quarantine")).doesNotExist();
    }
  }

  @Test
  void aCrashLeavesAPreallocatedFileWhoseZeroTailEndsTheData() throws IOException {
    Path dir = tmp.resolve("chunks_head");
    Random r = new Random(3);
    List<Written> written = new ArrayList<>();
    MappedHeadChunks store = open(dir, new Collected());
    for (int i = 0; i < 5; i++) {
      written.add(write(store, r, 1, i * 1000L));
    }
    // As a killed process: buffered records reached the file (flush happens at close only
    // here), but the file was never cut to its data.
    store.close();
    Path f = dir.resolve("000001");
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(FILE_SIZE);
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {0}), FILE_SIZE - 1);
    }
    Collected c = new Collected();
    try (MappedHeadChunks again = open(dir, c)) {
      assertThat(again.loaded().corruption()).isNull();
      assertThat(c.chunks).hasSize(5);
      for (int i = 0; i < 5; i++) {
        assertChunk(again.read(written.get(i).ref), written.get(i));
      }
    }
  }

  @Test
  void damageEndsTheUsableDataIsReportedAndKeptInQuarantine() throws IOException {
    Path dir = tmp.resolve("chunks_head");
    Random r = new Random(11);
    List<Written> written = new ArrayList<>();
    try (MappedHeadChunks store = open(dir, new Collected())) {
      for (int i = 0; i < 200; i++) {
        written.add(write(store, r, 1 + i % 5, i * 1000L));
      }
    }
    // Flip a byte inside the data of the 3rd chunk of the 2nd file.
    List<Written> inFile2 = written.stream().filter(w -> (w.ref >>> 32) == 2).toList();
    Written victim = inFile2.get(2);
    Path f2 = dir.resolve("000002");
    byte[] bytes = Files.readAllBytes(f2);
    int at = (int) (victim.ref & 0xFFFFFFFFL) + HeadChunkFormat.RECORD_FIXED + 3;
    bytes[at] ^= 0x40;
    Files.write(f2, bytes);
    long filesBefore;
    try (Stream<Path> s = Files.list(dir)) {
      filesBefore = s.count();
    }

    Collected c = new Collected();
    try (MappedHeadChunks store = open(dir, c)) {
      String why = store.loaded().corruption();
      assertThat(why).contains("000002").contains("checksum mismatch")
          .contains("offset " + (victim.ref & 0xFFFFFFFFL));
      // Everything before the damage is delivered, nothing after it.
      int upTo = written.indexOf(victim);
      assertThat(c.chunks).hasSize(upTo);
      for (int i = 0; i < upTo; i++) {
        assertThat(c.chunks.get(i)[1]).isEqualTo(written.get(i).ref);
        assertChunk(store.read(written.get(i).ref), written.get(i));
      }
      assertThat(store.fileCount()).isEqualTo(2);
    }
    // Nothing deleted: the damaged file is copied, later files moved, to the quarantine.
    try (Stream<Path> s = Files.list(tmp.resolve("quarantine"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).contains("chunks_head-000002.damaged", "chunks_head-000003");
      assertThat(names).hasSize((int) filesBefore - 2 + 1);
    }
    assertThat(Files.size(tmp.resolve("quarantine").resolve("chunks_head-000002.damaged")))
        .isEqualTo(bytes.length);
    // The cut file now loads cleanly.
    Collected again = new Collected();
    try (MappedHeadChunks store = open(dir, again)) {
      assertThat(store.loaded().corruption()).isNull();
      assertThat(again.chunks).hasSize(written.indexOf(victim));
    }
  }

  @Test
  void badHeaderOfTheFirstFileMovesItAsideAndNumberingContinues() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("chunks_head"));
    Files.write(dir.resolve("000004"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Random r = new Random(5);
    try (MappedHeadChunks store = open(dir, new Collected())) {
      assertThat(store.loaded().corruption()).contains("000004").contains("bad magic");
      Written w = write(store, r, 1, 0);
      assertThat(w.ref >>> 32).isEqualTo(5);
      assertChunk(store.read(w.ref), w);
    }
    assertThat(tmp.resolve("quarantine").resolve("chunks_head-000004")).exists();
  }

  @Test
  void truncationDeletesOnlyFilesWhoseChunksAllEndedBefore() throws IOException {
    Path dir = tmp.resolve("chunks_head");
    Random r = new Random(9);
    List<Written> written = new ArrayList<>();
    try (MappedHeadChunks store = open(dir, new Collected())) {
      for (int i = 0; i < 200; i++) {
        written.add(write(store, r, 1, i * 1_000_000L));
      }
      int files = store.fileCount();
      Written mid = written.get(100);
      int deleted = store.truncateBefore(mid.maxT);
      assertThat(deleted).isPositive();
      assertThat(store.fileCount()).isEqualTo(files - deleted);
      for (Written w : written) {
        boolean fileGone = !Files.exists(dir.resolve(ChunkSegmentFormat.segmentName(
            (int) (w.ref >>> 32))));
        if (w.maxT >= mid.maxT) {
          assertThat(fileGone).as("chunk ending at/after the cut keeps its file").isFalse();
          assertChunk(store.read(w.ref), w);
        }
      }
      // Truncating past everything also drops the file being written; writing goes on.
      store.truncateBefore(Long.MAX_VALUE);
      Written w = write(store, r, 2, 0);
      assertChunk(store.read(w.ref), w);
      assertThat(store.fileCount()).isEqualTo(1);
    }
  }

  @Test
  void heapStoreReusesReleasedSlotsButPinnedChunksStay() {
    HeapHeadChunks heap = new HeapHeadChunks();
    Random r = new Random(1);
    Written a = write(heap, r, 1, 0);
    Written b = write(heap, r, 2, 0);
    HeadChunks.PinnedChunks pinned = heap.pin(new long[] {a.ref, b.ref}, 2);
    heap.release(a.ref);
    Written c = write(heap, r, 3, 0);
    assertThat(c.ref).as("slot reused").isEqualTo(a.ref);
    assertChunk(pinned.chunk(0), a);
    assertChunk(pinned.chunk(1), b);
    assertChunk(heap.read(c.ref), c);
    assertThat(heap.minTime(c.ref)).isEqualTo(c.minT);
    assertThat(heap.size()).isEqualTo(2);
  }
}
