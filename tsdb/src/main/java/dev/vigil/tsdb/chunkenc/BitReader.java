package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Reads a bit stream written by {@link BitWriter} from {@code buf[start, end)} through a 64-bit
 * accumulator. Reading past {@code end} throws {@link CorruptDataException}: a truncated chunk
 * fails loudly instead of yielding invented samples.
 */
final class BitReader {
  private byte[] buf;
  private int pos; // next byte to load into acc
  private int end;
  private long acc; // low accBits bits are unread
  private int accBits;
  private String resource;

  void reset(byte[] buf, int start, int end, String resource) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
    this.acc = 0;
    this.accBits = 0;
    this.resource = resource;
  }

  private void refill() {
    if (pos >= end) {
      throw new CorruptDataException(resource, end, "chunk truncated: bit stream ends early");
    }
    while (accBits <= 56 && pos < end) {
      acc = (acc << 8) | (buf[pos++] & 0xFF);
      accBits += 8;
    }
  }

  boolean readBit() {
    if (accBits == 0) {
      refill();
    }
    accBits--;
    return ((acc >>> accBits) & 1) != 0;
  }

  /** Reads {@code n} bits (0 &lt;= n &lt;= 64) as an unsigned value. */
  long readBits(int n) {
    if (n <= accBits) {
      accBits -= n;
      return n == 64 ? acc : (acc >>> accBits) & ((1L << n) - 1);
    }
    long v = 0;
    int rem = n;
    while (rem > 0) {
      if (accBits == 0) {
        refill();
      }
      int take = Math.min(rem, accBits);
      accBits -= take;
      long part = take == 64 ? acc : (acc >>> accBits) & ((1L << take) - 1);
      v = take == 64 ? part : (v << take) | part;
      rem -= take;
    }
    return v;
  }

  /** Bits not read yet. */
  long remainingBits() {
    return (long) (end - pos) * 8 + accBits;
  }

  int readByte() {
    return (int) readBits(8);
  }

  long readUvarint() {
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = readByte();
      if (shift == 63 && b > 1) {
        throw corrupt("uvarint overflows 64 bits");
      }
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw corrupt("uvarint longer than 10 bytes");
  }

  long readVarint() {
    long u = readUvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  CorruptDataException corrupt(String problem) {
    return new CorruptDataException(resource, pos, problem);
  }
}
