package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.tsdb.encoding.ByteSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalTailReaderTest {
  @TempDir
  Path tmp;

  private static final WalOptions FAST = WalOptions.defaults().withFsync(FsyncPolicy.INTERVAL);

  private static byte[] frame(byte[] payload) {
    ByteSink sink = new ByteSink();
    int mark = WalWriter.beginRecord(sink);
    sink.putBytes(payload, 0, payload.length);
    WalWriter.endRecord(sink, mark, new CRC32C());
    return sink.toByteArray();
  }

  @Test
  void followsALiveSegmentRecordByRecord() {
    Random r = new Random(7);
    List<byte[]> want = new ArrayList<>();
    List<byte[]> got = new ArrayList<>();
    WalTailReader reader = new WalTailReader();
    long offset = 0;
    try (WalWriter w = WalWriter.open(tmp, FAST)) {
      int seg = w.currentSegment();
      for (int i = 0; i < 200; i++) {
        byte[] p = new byte[r.nextInt(300)];
        r.nextBytes(p);
        ByteSink sink = new ByteSink();
        sink.putBytes(frame(p), 0, frame(p).length);
        w.write(sink);
        want.add(p);
        if (i % 17 == 0) {
          WalTailReader.Progress pr = reader.read(tmp, seg, offset,
              (buf, len, s, off) -> got.add(Arrays.copyOf(buf, len)));
          assertThat(pr.stop()).isEqualTo(WalTailReader.Stop.END);
          offset = pr.offset();
        }
      }
      WalTailReader.Progress pr = reader.read(tmp, seg, offset,
          (buf, len, s, off) -> got.add(Arrays.copyOf(buf, len)));
      assertThat(pr.stop()).isEqualTo(WalTailReader.Stop.END);
    }
    assertThat(got).hasSize(want.size());
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i)).as("record %d", i).isEqualTo(want.get(i));
    }
  }

  @Test
  void aRecordCutShortIsIncompleteAndIsReadOnceItIsWhole() throws IOException {
    Path seg = tmp.resolve(WalFormat.segmentName(1));
    byte[] header = {0x56, 0x57, 0x41, 0x4C, 1, 0, 0, 0};
    byte[] a = frame("first".getBytes());
    byte[] b = frame("second record".getBytes());
    WalTailReader reader = new WalTailReader();
    List<String> got = new ArrayList<>();
    WalReader.RecordConsumer c = (buf, len, s, off) -> got.add(new String(buf, 0, len));

    // No file, then a header cut short.
    assertThat(reader.read(tmp, 1, 0, c).stop()).isEqualTo(WalTailReader.Stop.INCOMPLETE);
    Files.write(seg, Arrays.copyOf(header, 5));
    assertThat(reader.read(tmp, 1, 0, c).stop()).isEqualTo(WalTailReader.Stop.INCOMPLETE);
    Files.write(seg, Arrays.copyOfRange(header, 5, 8), StandardOpenOption.APPEND);
    Files.write(seg, a, StandardOpenOption.APPEND);
    // Every cut of the second record stops before it, at the same offset.
    for (int cut = 0; cut < b.length; cut++) {
      Files.write(seg, concat(header, a, Arrays.copyOf(b, cut)));
      got.clear();
      WalTailReader.Progress p = reader.read(tmp, 1, 0, c);
      assertThat(got).containsExactly("first");
      assertThat(p.offset()).isEqualTo(8 + a.length);
      assertThat(p.stop()).isEqualTo(cut == 0 ? WalTailReader.Stop.END : WalTailReader.Stop.INCOMPLETE);
    }
    Files.write(seg, concat(header, a, b));
    got.clear();
    WalTailReader.Progress p = reader.read(tmp, 1, 8 + a.length, c);
    assertThat(got).containsExactly("second record");
    assertThat(p).isEqualTo(new WalTailReader.Progress(8 + a.length + b.length, WalTailReader.Stop.END, null));
  }

  @Test
  void flippedBytesInACompleteRecordAreCorruptNotIncomplete() throws IOException {
    byte[] header = {0x56, 0x57, 0x41, 0x4C, 1, 0, 0, 0};
    byte[] a = frame("payload-a".getBytes());
    byte[] b = frame("payload-b".getBytes());
    WalTailReader reader = new WalTailReader();
    for (int i = 4; i < b.length; i++) { // bytes 0-3 are the length: flips there may read as cut short
      byte[] bad = b.clone();
      bad[i] ^= 0x10;
      Path seg = tmp.resolve(WalFormat.segmentName(1));
      Files.write(seg, concat(header, a, bad));
      List<String> got = new ArrayList<>();
      WalTailReader.Progress p = reader.read(tmp, 1, 0, (buf, len, s, off) -> got.add(new String(buf, 0, len)));
      assertThat(got).as("flip at %d", i).containsExactly("payload-a");
      assertThat(p.stop()).as("flip at %d", i).isEqualTo(WalTailReader.Stop.CORRUPT);
      assertThat(p.offset()).isEqualTo(8 + a.length);
    }
    Files.write(tmp.resolve(WalFormat.segmentName(1)), concat(header, a));
    assertThat(reader.read(tmp, 1, 8 + a.length + 100, (buf, len, s, off) -> {}).stop())
        .as("a position beyond a segment cut by repair").isEqualTo(WalTailReader.Stop.CORRUPT);
    Files.write(tmp.resolve(WalFormat.segmentName(1)), concat(new byte[] {1, 2, 3, 4, 1, 0, 0, 0}, a));
    assertThat(reader.read(tmp, 1, 0, (buf, len, s, off) -> {}).stop()).isEqualTo(WalTailReader.Stop.CORRUPT);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
