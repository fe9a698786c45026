package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Reads a bit stream written by {@link BitWriter} from {@code buf[start, end)} through {@link
 * BitWindow}s: a field of up to {@value BitWindow#VALID_BITS} bits is one load and a shift.
 * Reading past {@code end} throws {@link CorruptDataException}: a truncated chunk fails loudly
 * instead of yielding invented samples.
 */
final class BitReader {
  private byte[] buf;
  private int end;
  private long bitPos;
  private long endBit;
  private String resource;

  void reset(byte[] buf, int start, int end, String resource) {
    this.buf = buf;
    this.end = end;
    this.bitPos = (long) start * 8;
    this.endBit = (long) end * 8;
    this.resource = resource;
  }

  private void need(int n) {
    if (bitPos + n > endBit) {
      throw new CorruptDataException(resource, end, "chunk truncated: bit stream ends early");
    }
  }

  boolean readBit() {
    need(1);
    boolean bit = ((buf[(int) (bitPos >>> 3)] >>> (7 - (bitPos & 7))) & 1) != 0;
    bitPos++;
    return bit;
  }

  /** Reads {@code n} bits (0 &lt;= n &lt;= 64) as an unsigned value. */
  long readBits(int n) {
    need(n);
    if (n > BitWindow.VALID_BITS) {
      long hi = BitWindow.at(buf, end, bitPos) >>> (64 - (n - 32));
      bitPos += n - 32;
      long lo = BitWindow.at(buf, end, bitPos) >>> 32;
      bitPos += 32;
      return hi << 32 | lo;
    }
    long v = n == 0 ? 0 : BitWindow.at(buf, end, bitPos) >>> (64 - n);
    bitPos += n;
    return v;
  }

  /**
   * The window at the read position without moving it: {@link BitWindow#VALID_BITS} bits, zeros
   * past the end (a caller {@link #skip}s what it used, which checks the end).
   */
  long peek() {
    return BitWindow.at(buf, end, bitPos);
  }

  /** Moves past {@code n} bits that {@link #peek} showed. */
  void skip(int n) {
    need(n);
    bitPos += n;
  }

  /** Bits not read yet. */
  long remainingBits() {
    return endBit - bitPos;
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
    return new CorruptDataException(resource, bitPos >>> 3, problem);
  }
}
