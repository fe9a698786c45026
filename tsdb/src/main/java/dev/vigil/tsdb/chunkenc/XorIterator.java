package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Decodes an XOR chunk. Allocation-free after construction: {@link #reset} re-targets it at
 * another chunk. Reads exactly {@code numSamples} samples from {@code buf[2, byteLen)} and throws
 * {@link CorruptDataException} if the stream ends before them.
 *
 * <p>Bits are read from {@link BitWindow}s rather than bit by bit: a sample's control bits,
 * window and significant bits mostly come from one or two loads. Bytes at or past {@code
 * byteLen} read as zeros; a sample that needed them throws once decoded, before it is exposed.
 */
public final class XorIterator extends ChunkSampleIterator {
  private static final int PEEK_BITS = BitWindow.VALID_BITS;

  private byte[] buf;
  private int limit;
  private String resource;
  private long bitPos;
  private long endBit;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;

  XorIterator() {
    super(ValueKind.FLOAT);
  }

  void reset(byte[] buf, int byteLen, int numSamples, String resource) {
    this.buf = buf;
    this.limit = byteLen;
    this.resource = resource;
    this.bitPos = 16; // after the 2-byte sample count
    this.endBit = (long) byteLen * 8;
    start(numSamples);
    this.leading = 0;
    this.trailing = 0;
  }

  @Override
  public ValueKind next() {
    if (exhausted()) {
      return ValueKind.NONE;
    }
    if (read == 0) {
      long u = readUvarint();
      t = (u >>> 1) ^ -(u & 1);
      vBits = take(64);
    } else if (read == 1) {
      tDelta = readUvarint();
      t += tDelta;
      readValue(peek(), PEEK_BITS);
    } else {
      long w = peek();
      if (w >= 0) { // delta of delta 0 (regular scrapes): the value follows in the same window
        t += tDelta;
        bitPos += 1;
        readValue(w << 1, PEEK_BITS - 1);
      } else {
        tDelta += readDod(w);
        t += tDelta;
        readValue(peek(), PEEK_BITS);
      }
    }
    if (bitPos > endBit) {
      throw new CorruptDataException(resource, limit, "chunk truncated: bit stream ends early");
    }
    read++;
    return ValueKind.FLOAT;
  }

  /**
   * {@link #readDod(BitReader)} from window {@code w}, which starts with a '1' ('10', '110',
   * '1110' or '1111', then the bits): {@link #next} takes a zero delta of delta ('0') itself.
   */
  private long readDod(long w) {
    int ones = Long.numberOfLeadingZeros(~w);
    switch (ones) {
      case 1:
        bitPos += 2 + 14;
        return signed((w << 2) >>> (64 - 14), 14);
      case 2:
        bitPos += 3 + 17;
        return signed((w << 3) >>> (64 - 17), 17);
      case 3:
        bitPos += 4 + 20;
        return signed((w << 4) >>> (64 - 20), 20);
      default:
        bitPos += 4;
        return take(64);
    }
  }

  /** Reads a value's bits from window {@code w}, of which the first {@code valid} are. */
  private void readValue(long w, int valid) {
    if (w >= 0) { // '0': the value repeats
      bitPos += 1;
      return;
    }
    int control;
    if ((w << 1) < 0) { // '11': a new window, 5 bits of leading zeros, 6 of significant bits
      leading = (int) ((w << 2) >>> (64 - 5));
      int sig = (int) ((w << 7) >>> (64 - 6));
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
      if (trailing < 0) {
        throw new CorruptDataException(resource, bitPos >>> 3, "xor window of " + leading
            + " leading and " + sig + " significant bits exceeds 64");
      }
      control = 2 + 5 + 6;
    } else { // '10': the previous window
      control = 2;
    }
    int sig = 64 - leading - trailing;
    if (control + sig <= valid) {
      vBits ^= ((w << control) >>> (64 - sig)) << trailing;
      bitPos += control + sig;
    } else {
      bitPos += control;
      vBits ^= take(sig) << trailing;
    }
  }

  private long readUvarint() {
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = (int) take(8);
      if (shift == 63 && b > 1) {
        throw new CorruptDataException(resource, bitPos >>> 3, "uvarint overflows 64 bits");
      }
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw new CorruptDataException(resource, bitPos >>> 3, "uvarint longer than 10 bytes");
  }

  /** The 64 bits from {@link #bitPos} on; see {@link BitWindow}. */
  private long peek() {
    return BitWindow.at(buf, limit, bitPos);
  }

  /** Reads {@code n <= 64} bits as an unsigned value. */
  private long take(int n) {
    if (n > PEEK_BITS) {
      return take(n - 32) << 32 | take(32);
    }
    long v = n == 0 ? 0 : peek() >>> (64 - n);
    bitPos += n;
    return v;
  }

  /**
   * A timestamp's delta of delta as the XOR chunk codes it ({@code FORMAT.md}); the histogram
   * chunk v2 codes its timestamps alike.
   */
  static long readDod(BitReader in) {
    if (!in.readBit()) {
      return 0;
    } else if (!in.readBit()) {
      return signed(in.readBits(14), 14);
    } else if (!in.readBit()) {
      return signed(in.readBits(17), 17);
    } else if (!in.readBit()) {
      return signed(in.readBits(20), 20);
    }
    return in.readBits(64);
  }

  /** Mirrors Prometheus: values above half the range are negative. */
  static long signed(long bits, int n) {
    return bits > (1L << (n - 1)) ? bits - (1L << n) : bits;
  }

  @Override
  public double atF() {
    return Double.longBitsToDouble(vBits);
  }

  @Override
  public FloatHistogram atHistogram() {
    throw new IllegalStateException("xor chunks hold floats only");
  }
}
