package dev.vigil.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.XorChunk;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkSegmentTest {
  @TempDir
  Path dir;

  @Test
  void writesAcrossSegmentsAndReadsBackByReference() {
    Random r = new Random(1);
    int n = 200;
    long[] refs = new long[n];
    long[][] ts = new long[n][];
    long[] lengths;
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 8192)) {
      for (int i = 0; i < n; i++) {
        XorChunk c = new XorChunk();
        int k = 1 + r.nextInt(120);
        ts[i] = new long[k];
        long t = r.nextInt(1000);
        for (int j = 0; j < k; j++) {
          t += 1 + r.nextInt(30_000);
          ts[i][j] = t;
          c.append(t, i);
        }
        refs[i] = w.write(c);
      }
      lengths = w.finish();
    }
    assertThat(lengths.length).isGreaterThan(3);
    try (ChunkSegmentReader rd = new ChunkSegmentReader(dir, lengths)) {
      for (int i = n - 1; i >= 0; i--) {
        SampleIterator it = rd.read(refs[i]).iterator(null);
        for (long t : ts[i]) {
          assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
          assertThat(it.atT()).isEqualTo(t);
          assertThat(it.atF()).isEqualTo(i);
        }
        assertThat(it.next()).isEqualTo(ValueKind.NONE);
      }
      assertThat(rd.verifyAll()).isEqualTo(n);
      assertThatThrownBy(() -> rd.read(ChunkSegmentFormat.ref(99, 8)))
          .isInstanceOf(CorruptDataException.class).hasMessageContaining("segment 99");
      assertThatThrownBy(() -> rd.read(ChunkSegmentFormat.ref(1, 3)))
          .isInstanceOf(CorruptDataException.class).hasMessageContaining("outside the segment");
    }
  }

  @Test
  void goldenHeaderAndDamageDetection() throws IOException {
    XorChunk c = new XorChunk();
    c.append(1000, 1.0);
    long[] lengths;
    long ref;
    try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 1 << 20)) {
      ref = w.write(c);
      lengths = w.finish();
    }
    Path seg = dir.resolve("000001");
    byte[] good = Files.readAllBytes(seg);
    assertThat(HexFormat.of().formatHex(good, 0, 10)).isEqualTo("85bd40dd010000000c01");
    assertThat(ref).isEqualTo(ChunkSegmentFormat.ref(1, 8));
    for (int i = 8; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x40;
      Files.write(seg, bad);
      try (ChunkSegmentReader rd = new ChunkSegmentReader(dir, lengths)) {
        assertThatThrownBy(() -> rd.read(ref)).as("byte " + i).isInstanceOf(CorruptDataException.class);
      }
    }
    // A flipped data bit: the CRC names the file and where the chunk starts.
    byte[] flipped = good.clone();
    flipped[12] ^= 1;
    Files.write(seg, flipped);
    try (ChunkSegmentReader rd = new ChunkSegmentReader(dir, lengths)) {
      assertThatThrownBy(() -> rd.read(ref)).isInstanceOf(CorruptDataException.class)
          .hasMessageContaining("000001 at offset 8: chunk checksum mismatch");
    }
    // An encoding no reader knows, behind a valid CRC.
    byte[] unknown = good.clone();
    unknown[9] = 99;
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(unknown, 9, good.length - 4 - 9);
    java.nio.ByteBuffer.wrap(unknown).putInt(good.length - 4, (int) crc.getValue());
    Files.write(seg, unknown);
    try (ChunkSegmentReader rd = new ChunkSegmentReader(dir, lengths)) {
      assertThatThrownBy(() -> rd.read(ref)).isInstanceOf(CorruptDataException.class)
          .hasMessageContaining("at offset 8: unknown chunk encoding 99, known: 1 (XOR), 16 ");
    }
    byte[] badMagic = good.clone();
    badMagic[0] = 0;
    Files.write(seg, badMagic);
    assertThatThrownBy(() -> new ChunkSegmentReader(dir, lengths)).hasMessageContaining("bad magic");
    Files.write(seg, good);
    Chunk back;
    try (ChunkSegmentReader rd = new ChunkSegmentReader(dir, lengths)) {
      back = rd.read(ref);
    }
    assertThat(back.numSamples()).isEqualTo(1);
    // A damaged length prefix: continuation bytes up to the segment end, or too many of them.
    for (int k : new int[] {3, 11}) {
      byte[] prefix = new byte[8 + k];
      System.arraycopy(good, 0, prefix, 0, 8);
      Arrays.fill(prefix, 8, prefix.length, (byte) 0x80);
      Files.write(seg, prefix);
      try (ChunkSegmentReader rd = new ChunkSegmentReader(dir, new long[] {prefix.length})) {
        assertThatThrownBy(() -> rd.read(ref)).isInstanceOf(CorruptDataException.class)
            .hasMessageContaining(k == 3 ? "truncated uvarint" : "overflows 64 bits")
            .hasMessageContaining("000001");
      }
    }
  }
}
