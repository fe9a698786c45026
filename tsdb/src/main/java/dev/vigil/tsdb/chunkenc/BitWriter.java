package dev.vigil.tsdb.chunkenc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An append-only bit stream, most significant bit first. Bits already written are never changed
 * (later writes only OR into the unused low bits of the last byte), which is what lets readers
 * iterate a prefix while the single writer goes on. Growth copies into a new array, so a reader
 * holding the old array keeps a valid prefix.
 *
 * <p>Abstract and extended by the owner of the stream ({@link XorAppender}: a chunk, or a head
 * series appending to its open chunk) rather than held by it: one object and one pointer hop
 * fewer per head series on the append path.
 *
 * <p>Writes of up to 64 bits are one big-endian {@code long} read-OR-write when eight bytes from
 * the current byte are inside the buffer (bytes before the write position are written back
 * unchanged, so a concurrent reader of the prefix sees the same values), byte by byte near the
 * end of the buffer; the bytes are identical either way.
 */
abstract class BitWriter {
  private static final VarHandle BE64 =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final byte[] EMPTY = new byte[0];
  private byte[] buf;
  private long bitLen;

  BitWriter(int initialBytes) {
    buf = initialBytes == 0 ? EMPTY : new byte[initialBytes];
  }

  BitWriter(byte[] data) {
    buf = data;
    bitLen = (long) data.length * 8;
  }

  /**
   * Starts an empty stream in a new array of {@code initialBytes}; the old array is left to
   * readers that still hold it.
   */
  final void restart(int initialBytes) {
    buf = initialBytes == 0 ? EMPTY : new byte[initialBytes];
    bitLen = 0;
  }

  /** Empties the stream and keeps its array (zeroed: writes OR into it), for a reused writer. */
  final void clear() {
    Arrays.fill(buf, 0, writtenBytes(), (byte) 0);
    bitLen = 0;
  }

  final byte[] buffer() {
    return buf;
  }

  /** Bits written so far. */
  final long bitLength() {
    return bitLen;
  }

  /**
   * Continues a stream saved earlier: {@code bits} bits of {@code data}, in a copy with room to
   * grow ({@link #resumeRoom}); bits past the end are cleared, as writes OR into them. With
   * {@code inPlace}, {@code data} itself becomes the buffer when it has room for a write past
   * the end (8 bytes): the caller hands it over and keeps no use of it.
   */
  final void resume(byte[] data, long bits, boolean inPlace) {
    int bytes = (int) ((bits + 7) >>> 3);
    if (bits < 0 || bytes > data.length) {
      throw new IllegalArgumentException(bits + " bits do not fit " + data.length + " bytes");
    }
    buf = inPlace && data.length >= bytes + 8 ? data : Arrays.copyOf(data, resumeRoom(bytes));
    Arrays.fill(buf, bytes, buf.length, (byte) 0);
    int used = (int) (bits & 7);
    if (used != 0) {
      buf[bytes - 1] &= (byte) (0xFF << (8 - used));
    }
    bitLen = bits;
  }

  /**
   * The buffer a stream of {@code bytes} bytes is resumed into: half again, and at least the 8
   * bytes a write reads ahead.
   */
  static int resumeRoom(int bytes) {
    return bytes + Math.max(8, bytes >> 1);
  }

  /**
   * Grows the buffer to {@code bytes} when it is smaller, in one copy; a reader holding the old
   * array keeps a valid prefix, as with growth.
   */
  final void reserve(int bytes) {
    if (bytes > buf.length) {
      buf = Arrays.copyOf(buf, bytes);
    }
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

  /** Writes the low {@code n} bits of {@code v} (0 &lt;= n &lt;= 64), most significant first. */
  void writeBits(long v, int n) {
    if (n == 0) {
      return;
    }
    if (n < 64) {
      v &= (1L << n) - 1;
    }
    int idx = (int) (bitLen >>> 3);
    int off = (int) bitLen & 7;
    if (off + n <= 64 && idx + 8 <= buf.length) {
      // Bits past the write position are zero (fresh or zero-filled growth), so OR is a write.
      BE64.set(buf, idx, (long) BE64.get(buf, idx) | (v << (64 - off - n)));
      bitLen += n;
      return;
    }
    writeBitsSlow(v, n);
  }

  // Near the end of the buffer (which may grow) or when the bits straddle nine bytes.
  private void writeBitsSlow(long v, int n) {
    ensureBits(n);
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

  /** A LEB128 uvarint in 8-bit groups at the current bit position (read by BitReader). */
  final void writeUvarint(long u) {
    while ((u & ~0x7FL) != 0) {
      writeByte((int) ((u & 0x7F) | 0x80));
      u >>>= 7;
    }
    writeByte((int) u);
  }

  /** A zig-zag varint, as {@link #writeUvarint}. */
  final void writeVarint(long v) {
    writeUvarint((v << 1) ^ (v >> 63));
  }
}
