package dev.vigil.tsdb.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that encoders append to. Big-endian fixed-width integers, unsigned
 * LEB128 varints (as Go's {@code binary.PutUvarint}) and zig-zag signed varints. Reusable after
 * {@link #reset()}; not thread-safe. {@link #array()} exposes the backing array without a copy:
 * valid until the next write.
 */
public final class ByteSink {
  private byte[] buf;
  private int len;

  public ByteSink() {
    this(256);
  }

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public void reset() {
    len = 0;
  }

  public int length() {
    return len;
  }

  /** The backing array; bytes {@code [0, length())} are valid until the next write. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /**
   * Makes room for {@code extra} more bytes and returns where they start: a caller writing many
   * small fields writes them into {@link #array()} with {@link #uvarintAt} and then calls
   * {@link #setLength}, instead of paying a capacity check per field.
   */
  public int reserve(int extra) {
    ensure(extra);
    return len;
  }

  /** Ends a {@link #reserve}d write at {@code length} (within the reserved room). */
  public void setLength(int length) {
    if (length < 0 || length > buf.length) {
      throw new IndexOutOfBoundsException("length " + length + " with capacity " + buf.length);
    }
    len = length;
  }

  /** Writes {@code v} as an unsigned LEB128 at {@code at}; returns the position after it. */
  public static int uvarintAt(byte[] buf, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      buf[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[at++] = (byte) v;
    return at;
  }

  /** Writes {@code v} as 8 big-endian bytes at {@code at}; returns the position after it. */
  public static int be64At(byte[] buf, int at, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[at++] = (byte) (v >>> shift);
    }
    return at;
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  public ByteSink putByte(int b) {
    ensure(1);
    buf[len++] = (byte) b;
    return this;
  }

  public ByteSink putBE16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  public ByteSink putBE32(int v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
    return this;
  }

  public ByteSink putBE64(long v) {
    ensure(8);
    len = be64At(buf, len, v);
    return this;
  }

  public ByteSink putDouble(double v) {
    return putBE64(Double.doubleToRawLongBits(v));
  }

  /** Unsigned LEB128, at most 10 bytes. */
  public ByteSink putUvarint(long v) {
    ensure(10);
    len = uvarintAt(buf, len, v);
    return this;
  }

  /** Zig-zag signed varint, as Go's {@code binary.PutVarint}. */
  public ByteSink putVarint(long v) {
    return putUvarint((v << 1) ^ (v >> 63));
  }

  public ByteSink putBytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
    return this;
  }

  /** A uvarint byte length followed by the UTF-8 bytes. */
  public ByteSink putUvarintString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    putUvarint(b.length);
    return putBytes(b, 0, b.length);
  }

  /** Overwrites 4 bytes at {@code at} (for lengths and checksums known only at the end). */
  public void setBE32(int at, int v) {
    if (at < 0 || at + 4 > len) {
      throw new IndexOutOfBoundsException("setBE32 at " + at + " with length " + len);
    }
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  /** CRC32C of bytes {@code [from, length())}. */
  public int crc32c(int from) {
    return Crc32c.of(buf, from, len - from);
  }
}
