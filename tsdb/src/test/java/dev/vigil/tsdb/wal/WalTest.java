package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTest {
  @TempDir
  Path tmp;

  // Durability is not under test here: no fsync per record (close still forces).
  private static final WalOptions FAST = WalOptions.defaults().withFsync(FsyncPolicy.INTERVAL);
  private static final WalOptions SMALL = FAST.withSegmentSize(4096);

  /** Writes each payload as a one-record batch; returns the payloads. */
  static List<byte[]> writeRecords(Path dir, WalOptions opts, Random r, int n, int maxLen) {
    List<byte[]> out = new ArrayList<>();
    ByteSink sink = new ByteSink();
    CRC32C crc = new CRC32C();
    try (WalWriter w = WalWriter.open(dir, opts)) {
      for (int i = 0; i < n; i++) {
        byte[] p = randomRecord(sink, crc, r, r.nextInt(maxLen));
        w.sync(w.write(sink));
        out.add(p);
      }
    }
    return out;
  }

  /** Puts a record of {@code len} random bytes into {@code sink} (reset first); returns them. */
  private static byte[] randomRecord(ByteSink sink, CRC32C crc, Random r, int len) {
    byte[] p = new byte[len];
    r.nextBytes(p);
    sink.reset();
    int mark = WalWriter.beginRecord(sink);
    sink.putBytes(p, 0, p.length);
    WalWriter.endRecord(sink, mark, crc);
    return p;
  }

  /** The log in {@code dir} holds exactly {@code acked}'s records, undamaged. */
  private static void assertHoldsExactly(Path dir, List<byte[]> acked) {
    WalReader.Result[] res = new WalReader.Result[1];
    List<byte[]> got = readAll(dir, res);
    assertThat(res[0].corruption()).as("no torn record left behind").isNull();
    assertThat(got).hasSameSizeAs(acked);
    for (int i = 0; i < acked.size(); i++) {
      assertThat(got.get(i)).isEqualTo(acked.get(i));
    }
  }

  static List<byte[]> readAll(Path dir, WalReader.Result[] result) {
    List<byte[]> got = new ArrayList<>();
    result[0] = WalReader.read(dir, (buf, len, seg, off) -> got.add(Arrays.copyOf(buf, len)));
    return got;
  }

  @Test
  void roundTripsRecordsAcrossSegments() {
    Random r = new Random(1);
    List<byte[]> want = writeRecords(tmp, SMALL, r, 300, 700);
    // One batch bigger than a segment gets a segment of its own.
    List<byte[]> big = writeRecords(tmp, SMALL, r, 1, 10_000);
    want.addAll(big);
    WalReader.Result[] res = new WalReader.Result[1];
    List<byte[]> got = readAll(tmp, res);
    assertThat(res[0].corruption()).isNull();
    assertThat(res[0].segments().length).isGreaterThan(10);
    assertThat(got).hasSameSizeAs(want);
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i)).as("record " + i).isEqualTo(want.get(i));
    }
  }

  @Test
  void goldenSegmentBytes() throws IOException {
    ByteSink sink = new ByteSink();
    try (WalWriter w = WalWriter.open(tmp, SMALL)) {
      int mark = WalWriter.beginRecord(sink);
      sink.putByte(0xAB);
      WalWriter.endRecord(sink, mark, new CRC32C());
      w.write(sink);
    }
    byte[] seg = Files.readAllBytes(tmp.resolve("00000001"));
    CRC32C c = new CRC32C();
    c.update(new byte[] {0, 0, 0, 1, (byte) 0xAB});
    assertThat(HexFormat.of().formatHex(seg)).isEqualTo("5657414c01000000" + "00000001"
        + String.format("%08x", c.getValue()) + "ab");
  }

  @Test
  void truncationAtEveryOffsetRecoversExactlyTheWholeRecordsBefore() throws IOException {
    Random r = new Random(2);
    Path src = tmp.resolve("src");
    List<byte[]> want = writeRecords(src, FAST, r, 12, 60);
    byte[] seg = Files.readAllBytes(src.resolve("00000001"));
    long[] ends = new long[want.size()];
    long off = WalFormat.SEGMENT_HEADER_SIZE;
    for (int i = 0; i < want.size(); i++) {
      off += WalFormat.RECORD_HEADER_SIZE + want.get(i).length;
      ends[i] = off;
    }
    for (int cut = 0; cut < seg.length; cut++) {
      Path d = tmp.resolve("cut" + cut);
      Files.createDirectories(d);
      Files.write(d.resolve("00000001"), Arrays.copyOf(seg, cut));
      WalReader.Result[] res = new WalReader.Result[1];
      List<byte[]> got = readAll(d, res);
      int whole = 0;
      while (whole < ends.length && ends[whole] <= cut) {
        whole++;
      }
      assertThat(got).as("cut " + cut).hasSize(whole);
      boolean boundary = cut == WalFormat.SEGMENT_HEADER_SIZE || (whole > 0 && ends[whole - 1] == cut);
      assertThat(res[0].corruption() == null).as("cut " + cut + " clean").isEqualTo(boundary);
      if (res[0].corruption() != null && cut % 3 == 0) {
        // Repair, append more, and read everything back: the prefix plus the new records.
        WalRepair.repair(d, res[0].corruption(), res[0].segments());
        List<byte[]> more = writeRecords(d, FAST, r, 3, 40);
        List<byte[]> after = readAll(d, res);
        assertThat(res[0].corruption()).as("after repair, cut " + cut).isNull();
        assertThat(after).hasSize(whole + 3);
        assertThat(after.get(whole + 2)).isEqualTo(more.get(2));
        try (Stream<Path> q = Files.list(d.resolve(WalFormat.QUARANTINE_DIR))) {
          assertThat(q.count()).as("damaged bytes kept, cut " + cut).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void everyFlippedByteIsDetected() throws IOException {
    Random r = new Random(3);
    Path src = tmp.resolve("src");
    List<byte[]> want = writeRecords(src, FAST, r, 4, 30);
    byte[] seg = Files.readAllBytes(src.resolve("00000001"));
    Path d = tmp.resolve("flip");
    Files.createDirectories(d);
    for (int i = 0; i < seg.length; i++) {
      byte[] bad = seg.clone();
      bad[i] ^= 0x04;
      Files.write(d.resolve("00000001"), bad);
      WalReader.Result[] res = new WalReader.Result[1];
      if (i == 4) {
        assertThatThrownBy(() -> readAll(d, res))
            .isInstanceOf(UnsupportedFormatVersionException.class)
            .hasMessageContaining("unsupported format version 5");
        continue;
      }
      List<byte[]> got = readAll(d, res);
      assertThat(res[0].corruption()).as("byte " + i).isNotNull();
      assertThat(got.size()).as("byte " + i).isLessThan(want.size());
      for (int k = 0; k < got.size(); k++) {
        assertThat(got.get(k)).isEqualTo(want.get(k));
      }
    }
  }

  @Test
  void missingSegmentStopsReplayAndLaterSegmentsAreQuarantined() throws IOException {
    Random r = new Random(4);
    List<byte[]> want = writeRecords(tmp, SMALL, r, 100, 500);
    int[] segs = WalReader.segments(tmp);
    assertThat(segs.length).isGreaterThan(4);
    Files.move(tmp.resolve(WalFormat.segmentName(3)), tmp.resolve("elsewhere"));
    WalReader.Result[] res = new WalReader.Result[1];
    List<byte[]> got = readAll(tmp, res);
    assertThat(res[0].corruption().reason()).contains("segments missing");
    assertThat(got.size()).isLessThan(want.size());
    WalRepair.repair(tmp, res[0].corruption(), res[0].segments());
    assertThat(WalReader.segments(tmp)).containsExactly(1, 2);
    assertThat(WalReader.segments(tmp.resolve(WalFormat.QUARANTINE_DIR))).isEmpty();
    try (Stream<Path> q = Files.list(tmp.resolve(WalFormat.QUARANTINE_DIR))) {
      assertThat(q.count()).isEqualTo(segs.length - 3);
    }
  }

  @Test
  void intervalPolicyWritesBeforeReturningAndSyncsInBackground() {
    WalOptions opts = new WalOptions(1 << 20, FsyncPolicy.INTERVAL, 5);
    List<byte[]> want = writeRecords(tmp, opts, new Random(5), 50, 100);
    WalReader.Result[] res = new WalReader.Result[1];
    assertThat(readAll(tmp, res)).hasSameSizeAs(want);
    assertThat(res[0].corruption()).isNull();
  }

  @Test
  void aFullDiskFailsTheWriteCleanlyAndTheLogRecoversWhenSpaceReturns() {
    AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    Random r = new Random(6);
    List<byte[]> acked = new ArrayList<>();
    ByteSink sink = new ByteSink();
    CRC32C crc = new CRC32C();
    int failures = 0;
    try (WalWriter w = WalWriter.open(tmp, WalOptions.defaults(),
        (file, opts) -> new FullDiskChannel(FileChannel.open(file, opts), budget))) {
      for (int i = 0; i < 60; i++) {
        if (i == 20) {
          budget.set(300); // the disk fills up part-way through a record
        } else if (i == 40) {
          budget.set(Long.MAX_VALUE); // space returns
        }
        byte[] p = randomRecord(sink, crc, r, 1 + r.nextInt(100));
        try {
          w.sync(w.write(sink));
          acked.add(p);
        } catch (dev.vigil.model.storage.StorageException e) {
          assertThat(e).hasMessageContaining("No space left on device").hasMessageContaining("00000001");
          failures++;
        }
      }
    }
    assertThat(failures).isBetween(1, 20);
    assertHoldsExactly(tmp, acked);
  }

  /**
   * A rotation on a full disk (the new segment's header cannot be written) fails, and once
   * space returns the next rotation starts that same segment: the failed one left no file that
   * would make it fail for good.
   */
  @Test
  void aRotationThatFailsOnAFullDiskSucceedsOnceSpaceReturns() throws IOException {
    AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    List<byte[]> acked = new ArrayList<>();
    ByteSink sink = new ByteSink();
    CRC32C crc = new CRC32C();
    Random r = new Random(7);
    try (WalWriter w = WalWriter.open(tmp, WalOptions.defaults(),
        (file, opts) -> new FullDiskChannel(FileChannel.open(file, opts), budget))) {
      for (int i = 0; i < 30; i++) {
        if (i == 10) {
          budget.set(3); // not even a segment header fits
          assertThatThrownBy(w::rotateNow).hasMessageContaining("cannot start segment 2")
              .hasStackTraceContaining("No space left on device");
          assertThatThrownBy(w::rotateNow).hasMessageContaining("cannot start segment 2");
          assertThat(tmp.resolve(WalFormat.segmentName(2))).doesNotExist();
          budget.set(Long.MAX_VALUE);
        } else if (i == 20) {
          assertThat(w.rotateNow()).isEqualTo(2);
        }
        byte[] p = randomRecord(sink, crc, r, 1 + r.nextInt(100));
        w.sync(w.write(sink));
        acked.add(p);
      }
      assertThat(w.currentSegment()).isEqualTo(2);
    }
    assertHoldsExactly(tmp, acked);
  }

  @Test
  void writesAfterCloseFail() {
    WalWriter w = WalWriter.open(tmp, SMALL);
    w.close();
    w.close();
    assertThatThrownBy(() -> w.write(new ByteSink())).isInstanceOf(IllegalStateException.class);
  }
}
