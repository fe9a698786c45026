package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time {@link BitWriter} against a one-bit-at-a-time reference writer, and the
 * {@link XorChunk} built on it against a reference Gorilla encoder written field by field as in
 * Prometheus's {@code xorAppender}, on fuzzed input: the bytes must be identical.
 */
class BitWriterTest {
  /** The simplest possible bit stream: one bit per call, most significant first. */
  static final class ReferenceBits {
    byte[] buf = new byte[8];
    int bitLen;

    void bit(boolean b) {
      if ((bitLen >>> 3) == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      if (b) {
        buf[bitLen >>> 3] |= (byte) (0x80 >>> (bitLen & 7));
      }
      bitLen++;
    }

    void bits(long v, int n) {
      for (int i = n - 1; i >= 0; i--) {
        bit(((v >>> i) & 1) != 0);
      }
    }

    byte[] bytes() {
      return Arrays.copyOf(buf, (bitLen + 7) >>> 3);
    }
  }

  static final class TestWriter extends BitWriter {
    TestWriter(int initialBytes) {
      super(initialBytes);
    }

    byte[] bytes() {
      return Arrays.copyOf(buffer(), writtenBytes());
    }
  }

  @Test
  void writesTheSameBitsAsABitAtATimeWriter() {
    Random r = new Random(11);
    for (int iter = 0; iter < 3000; iter++) {
      // Small starting buffers exercise the byte-wise path at the end and the growth.
      TestWriter w = new TestWriter(1 + r.nextInt(40));
      ReferenceBits ref = new ReferenceBits();
      int writes = r.nextInt(200);
      for (int k = 0; k < writes; k++) {
        int n = switch (r.nextInt(4)) {
          case 0 -> 1;
          case 1 -> 64;
          case 2 -> r.nextInt(8);
          default -> r.nextInt(65);
        };
        long v = r.nextLong(); // high garbage above n bits must be ignored
        w.writeBits(v, n);
        ref.bits(v, n);
        if (r.nextInt(20) == 0) {
          int b = r.nextInt(); // only the low 8 bits count
          w.writeByte(b);
          ref.bits(b & 0xFF, 8);
        }
      }
      assertThat(w.bytes()).as("iteration " + iter).isEqualTo(ref.bytes());
    }
  }

  /**
   * Writes OR into the bytes after the write position, which must be zero: a stream resumed
   * from saved bytes (with garbage past its end), cleared or restarted must go on writing
   * exactly the reference's bits.
   */
  @Test
  void resumedClearedAndRestartedStreamsContinueTheSameBits() {
    Random r = new Random(29);
    for (int iter = 0; iter < 3000; iter++) {
      TestWriter w = new TestWriter(1 + r.nextInt(40));
      ReferenceBits ref = new ReferenceBits();
      int writes = r.nextInt(200);
      for (int k = 0; k < writes; k++) {
        int n = r.nextInt(65);
        long v = r.nextLong();
        w.writeBits(v, n);
        ref.bits(v, n);
        switch (r.nextInt(30)) {
          case 0 -> {
            byte[] saved = Arrays.copyOf(w.buffer(), w.writtenBytes() + r.nextInt(4));
            for (int i = (int) (w.bitLength() >>> 3); i < saved.length; i++) {
              // Garbage after the last bit: resume must clear it.
              int keep = i == (int) (w.bitLength() >>> 3) ? (int) (w.bitLength() & 7) : 0;
              saved[i] |= (byte) (0xFF >>> keep);
            }
            TestWriter next = new TestWriter(0);
            next.resume(saved, w.bitLength(), false);
            w = next;
          }
          case 1 -> {
            w.clear();
            ref = new ReferenceBits();
          }
          case 2 -> {
            w.restart(r.nextInt(3) * 8);
            ref = new ReferenceBits();
          }
          default -> { }
        }
      }
      assertThat(w.bytes()).as("iteration " + iter).isEqualTo(ref.bytes());
    }
  }

  @Test
  void xorChunkBytesEqualAReferenceEncoderOnFuzzedSeries() {
    Random r = new Random(23);
    for (int iter = 0; iter < 3000; iter++) {
      int n = 1 + r.nextInt(iter % 40 == 0 ? 1500 : 130);
      long[] ts = XorChunkTest.times(r, n)[0];
      int shape = r.nextInt(6);
      double prev = 0;
      XorChunk c = new XorChunk();
      ReferenceXor ref = new ReferenceXor();
      for (int i = 0; i < n; i++) {
        double v = XorChunkTest.value(r, shape, i, prev);
        prev = v;
        c.append(ts[i], v);
        ref.append(ts[i], v);
        if (r.nextInt(64) == 0) {
          assertThat(c.bytes()).as("iteration " + iter + " after " + (i + 1)).isEqualTo(ref.bytes());
        }
      }
      assertThat(c.bytes()).as("iteration " + iter).isEqualTo(ref.bytes());
      assertThat(c.byteLength()).isEqualTo(ref.bytes().length);
    }
  }

  /** Prometheus's XOR encoding, one field per call on the reference bit stream. */
  static final class ReferenceXor {
    final ReferenceBits out = new ReferenceBits();
    int num;
    long t;
    long tDelta;
    long vBits;
    int leading = 0xFF;
    int trailing;

    ReferenceXor() {
      out.bits(0, 16);
    }

    void append(long ts, double v) {
      long vb = Double.doubleToRawLongBits(v);
      if (num == 0) {
        uvarint((ts << 1) ^ (ts >> 63));
        out.bits(vb, 64);
      } else if (num == 1) {
        tDelta = ts - t;
        uvarint(tDelta);
        value(vb);
      } else {
        long d = ts - t;
        long dod = d - tDelta;
        if (dod == 0) {
          out.bit(false);
        } else if (fits(dod, 14)) {
          out.bits(0b10, 2);
          out.bits(dod, 14);
        } else if (fits(dod, 17)) {
          out.bits(0b110, 3);
          out.bits(dod, 17);
        } else if (fits(dod, 20)) {
          out.bits(0b1110, 4);
          out.bits(dod, 20);
        } else {
          out.bits(0b1111, 4);
          out.bits(dod, 64);
        }
        tDelta = d;
        value(vb);
      }
      t = ts;
      vBits = vb;
      num++;
    }

    private static boolean fits(long x, int nbits) {
      return -((1L << (nbits - 1)) - 1) <= x && x <= (1L << (nbits - 1));
    }

    private void uvarint(long u) {
      while ((u & ~0x7FL) != 0) {
        out.bits((u & 0x7F) | 0x80, 8);
        u >>>= 7;
      }
      out.bits(u, 8);
    }

    private void value(long vb) {
      long xor = vb ^ vBits;
      if (xor == 0) {
        out.bit(false);
        return;
      }
      out.bit(true);
      int lead = Math.min(31, Long.numberOfLeadingZeros(xor));
      int trail = Long.numberOfTrailingZeros(xor);
      if (leading != 0xFF && lead >= leading && trail >= trailing) {
        out.bit(false);
        out.bits(xor >>> trailing, 64 - leading - trailing);
      } else {
        leading = lead;
        trailing = trail;
        out.bit(true);
        out.bits(lead, 5);
        int sig = 64 - lead - trail;
        out.bits(sig, 6);
        out.bits(xor >>> trail, sig);
      }
    }

    byte[] bytes() {
      byte[] b = out.bytes();
      b[0] = (byte) (num >>> 8);
      b[1] = (byte) num;
      return b;
    }
  }
}
