package dev.vigil.tsdb.chunkenc;

import java.util.Arrays;

/**
 * An append-only bit stream, most significant bit first. Bits already written are never changed
 * (later writes only OR into the unused low bits of the last byte), which is what lets readers
 * iterate a prefix while the single writer goes on. Growth copies into a new array, so a reader
 * holding the old array keeps a valid prefix.
 *
 * <p>Abstract and extended by the chunk that owns the stream ({@link XorChunk}) rather than held
 * by it: one object and one pointer hop fewer per head series on the append path.
 */
abstract class BitWriter {
  private byte[] buf;
  private long bitLen;

  BitWriter(int initialBytes) {
    buf = new byte[initialBytes];
  }

  BitWriter(byte[] data) {
    buf = data;
    bitLen = (long) data.length * 8;
  }

  final byte[] buffer() {
    return buf;
  }

  final int writtenBytes() {
    return (int) ((bitLen + 7) >>> 3);
  }

  private void ensureBits(int n) {
    long needBytes = (bitLen + n + 7) >>> 3;
    if (needBytes > buf.length) {
      // 1.5x: a head chunk starts small (most of an active series' memory is its open chunk).
      buf = Arrays.copyOf(buf, (int) Math.max(buf.length + (buf.length >> 1), needBytes + 8));
    }
  }

  /**
   * Shrinks the buffer to the bytes written (a closed chunk keeps no slack). Readers holding the
   * old array keep a valid prefix, as with growth; call only when no more bits will be written.
   */
  final void trimBuffer() {
    int len = writtenBytes();
    if (buf.length > len) {
      buf = Arrays.copyOf(buf, len);
    }
  }

  void writeBit(boolean bit) {
    ensureBits(1);
    if (bit) {
      buf[(int) (bitLen >>> 3)] |= (byte) (0x80 >>> (bitLen & 7));
    }
    bitLen++;
  }

  /** Writes the low {@code n} bits of {@code v} (0 &lt;= n &lt;= 64), most significant first. */
  void writeBits(long v, int n) {
    if (n == 0) {
      return;
    }
    ensureBits(n);
    if (n < 64) {
      v &= (1L << n) - 1;
    }
    int idx = (int) (bitLen >>> 3);
    int free = 8 - (int) (bitLen & 7);
    bitLen += n;
    if (n <= free) {
      buf[idx] |= (byte) (v << (free - n));
      return;
    }
    // Top up the partial byte, then whole bytes, then the high bits of a last fresh byte.
    // Bytes past the old end are still zero (new arrays and copyOf growth are zero-filled).
    n -= free;
    buf[idx++] |= (byte) (v >>> n);
    while (n >= 8) {
      n -= 8;
      buf[idx++] = (byte) (v >>> n);
    }
    if (n > 0) {
      buf[idx] = (byte) (v << (8 - n));
    }
  }

  void writeByte(int b) {
    writeBits(b & 0xFF, 8);
  }

  /** Overwrites a whole byte at a byte-aligned index written before (the sample count header). */
  void setByte(int index, int b) {
    buf[index] = (byte) b;
  }
}
