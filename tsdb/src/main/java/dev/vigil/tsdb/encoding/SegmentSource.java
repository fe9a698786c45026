package dev.vigil.tsdb.encoding;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * {@link ByteSource}'s counterpart over a {@link MemorySegment} (a memory-mapped file), with
 * positions as file offsets: the same checks and the same {@link CorruptDataException}s (naming
 * the resource and the absolute offset), so a reader can parse a mapped file in place instead
 * of copying it to the heap first. Reusable via {@link #seek}; not thread-safe.
 */
public final class SegmentSource {
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfLong BE64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final String resource;
  private final MemorySegment data;
  private long pos;
  private long end;

  /** Reads {@code data[start, end)}. */
  public SegmentSource(String resource, MemorySegment data, long start, long end) {
    this.resource = resource;
    this.data = data;
    seek(start, end);
  }

  /** Points at {@code [start, end)} of the same segment. */
  public SegmentSource seek(long start, long end) {
    if (start < 0 || end > data.byteSize() || start > end) {
      throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + data.byteSize());
    }
    this.pos = start;
    this.end = end;
    return this;
  }

  public long position() {
    return pos;
  }

  public long remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public CorruptDataException corrupt(String problem) {
    return new CorruptDataException(resource, pos, problem);
  }

  private void need(int n) {
    if (end - pos < n) {
      throw corrupt("truncated: need " + n + " bytes, have " + (end - pos));
    }
  }

  public int getBE32() {
    need(4);
    int v = data.get(BE32, pos);
    pos += 4;
    return v;
  }

  public long getBE64() {
    need(8);
    long v = data.get(BE64, pos);
    pos += 8;
    return v;
  }

  public long getUvarint() {
    long v = 0;
    long start = pos;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= end) {
        pos = start;
        throw corrupt("truncated uvarint");
      }
      int b = data.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
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

  /** A uvarint that must fit {@code [0, max]}, as {@link ByteSource#getUvarintInt}. */
  public int getUvarintInt(long max, String what) {
    long at = pos;
    long v = getUvarint();
    if (v < 0 || v > max) {
      pos = at;
      throw corrupt(what + " " + Long.toUnsignedString(v) + " out of range [0, " + max + "]");
    }
    return (int) v;
  }

  /** A {@code <uvarint length> <UTF-8 bytes>} string. */
  public String getUvarintString() {
    int n = stringLength();
    byte[] b = new byte[n];
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, pos, b, 0, n);
    pos += n;
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Passes over a string as {@link #getUvarintString} reads it, without decoding it. */
  public void skipUvarintString() {
    int n = stringLength(); // first: it moves pos past the length
    pos += n;
  }

  /** A string's length, checked against the bytes left after it. */
  private int stringLength() {
    long at = pos;
    int n = getUvarintInt(Integer.MAX_VALUE, "string length");
    if (n > remaining()) {
      pos = at;
      throw corrupt("string length " + n + " exceeds the " + (end - at) + " bytes left");
    }
    return n;
  }
}
