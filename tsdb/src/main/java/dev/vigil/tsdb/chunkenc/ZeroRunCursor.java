package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Reads a {@link ZeroRunColumn} from {@code buf[pos, end)}. Reading past {@code end} throws
 * {@link CorruptDataException}: a damaged column fails instead of inventing values.
 */
final class ZeroRunCursor {
  private byte[] buf;
  private int pos;
  private int end;
  private long zeros;
  private String resource;

  void reset(byte[] buf, int pos, int end, String resource) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.zeros = 0;
    this.resource = resource;
  }

  long next() {
    if (zeros > 0) {
      zeros--;
      return 0;
    }
    long u = uvarint();
    if (u == 0) {
      zeros = uvarint(); // the run's first zero is returned now
      return 0;
    }
    return (u >>> 1) ^ -(u & 1);
  }

  /** Whether the column was read to its last byte with no zeros pending (a sanity check). */
  boolean exhausted() {
    return pos == end && zeros == 0;
  }

  int position() {
    return pos;
  }

  private long uvarint() {
    if (pos < end) {
      int b = buf[pos];
      if (b >= 0) {
        pos++;
        return b;
      }
    }
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new CorruptDataException(resource, pos, "packed chunk column ends inside a varint");
      }
      int b = buf[pos++] & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw new CorruptDataException(resource, pos, "packed chunk varint longer than 10 bytes");
  }
}
