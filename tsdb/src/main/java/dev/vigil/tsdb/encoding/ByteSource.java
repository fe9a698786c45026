package dev.vigil.tsdb.encoding;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked reader over {@code bytes[start, end)}, the mirror of {@link ByteSink}. Every
 * read past the end or malformed varint throws {@link CorruptDataException} naming the resource
 * and the absolute offset ({@code baseOffset} + position), so callers never see garbage silently.
 * Reusable via {@link #reset}; not thread-safe.
 */
public final class ByteSource {
  private String resource;
  private byte[] buf;
  private int pos;
  private int end;
  private long baseOffset;

  public ByteSource(String resource, byte[] buf) {
    reset(resource, buf, 0, buf.length, 0);
  }

  public ByteSource(String resource, byte[] buf, int start, int end) {
    reset(resource, buf, start, end, 0);
  }

  /**
   * Points at {@code buf[start, end)}; {@code baseOffset} is added to positions in error messages
   * (the file offset of {@code buf[0]}).
   */
  public ByteSource reset(String resource, byte[] buf, int start, int end, long baseOffset) {
    if (start < 0 || end > buf.length || start > end) {
      throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + buf.length);
    }
    this.resource = resource;
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.baseOffset = baseOffset;
    return this;
  }

  public String resource() {
    return resource;
  }

  public int position() {
    return pos;
  }

  /** The end of the bytes read (an absolute index into {@link #array}). */
  public int end() {
    return end;
  }

  /**
   * Moves to {@code position} (absolute, at most {@link #end}): for a caller that read a stretch
   * from {@link #array} itself, bounds included.
   */
  public void seek(int position) {
    if (position < 0 || position > end) {
      throw new IndexOutOfBoundsException("position " + position + " past the end " + end);
    }
    pos = position;
  }

  /** The position's offset in the resource, as error messages give it. */
  public long offset() {
    return baseOffset + pos;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public CorruptDataException corrupt(String problem) {
    return new CorruptDataException(resource, baseOffset + pos, problem);
  }

  private void need(int n) {
    if (end - pos < n) {
      throw corrupt("truncated: need " + n + " bytes, have " + (end - pos));
    }
  }

  public int getByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public int getBE16() {
    need(2);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public int getBE32() {
    need(4);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16)
        | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public long getBE64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos + i] & 0xFF);
    }
    pos += 8;
    return v;
  }

  public double getDouble() {
    return Double.longBitsToDouble(getBE64());
  }

  public long getUvarint() {
    long v = 0;
    int start = pos;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        pos = start;
        throw corrupt("truncated uvarint");
      }
      int b = buf[pos++] & 0xFF;
      if (shift == 63 && b > 1) {
        pos = start;
        throw corrupt("uvarint overflows 64 bits");
      }
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    pos = start;
    throw corrupt("uvarint longer than 10 bytes");
  }

  public long getVarint() {
    long u = getUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  /** A uvarint that must fit {@code [0, max]}: lengths and counts, so corrupt data cannot ask for huge allocations. */
  public int getUvarintInt(int max, String what) {
    return getUvarintInt(max, what, "");
  }

  /**
   * As {@link #getUvarintInt(int, String)} for a value named {@code what + suffix}, joined only
   * for the error: callers reading many values pass the two parts, not a string built per call.
   */
  public int getUvarintInt(int max, String what, String suffix) {
    int at = pos;
    long v = getUvarint();
    if (v < 0 || v > max) {
      pos = at;
      throw corrupt(what + suffix + " " + Long.toUnsignedString(v) + " out of range [0, " + max
          + "]");
    }
    return (int) v;
  }

  public String getUvarintString() {
    return getUvarintString(null);
  }

  /** As {@link #getUvarintString()}, through {@code table} (null: a new String each time). */
  public String getUvarintString(StringTable table) {
    int at = pos;
    int n = getUvarintInt(Integer.MAX_VALUE, "string length");
    if (n > remaining()) {
      pos = at;
      throw corrupt("string length " + n + " exceeds the " + (end - at) + " bytes left");
    }
    String s = table == null ? new String(buf, pos, n, StandardCharsets.UTF_8)
        : table.get(buf, pos, n);
    pos += n;
    return s;
  }

  public void getBytes(byte[] dst, int off, int n) {
    need(n);
    System.arraycopy(buf, pos, dst, off, n);
    pos += n;
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }

  /** The backing array (positions are absolute indexes into it). */
  public byte[] array() {
    return buf;
  }
}
