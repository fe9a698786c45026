package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.ValueKind;

/**
 * Decodes an XOR chunk. Allocation-free after construction: {@link #reset} re-targets it at
 * another chunk. Reads exactly {@code numSamples} samples from {@code buf[2, byteLen)} and throws
 * {@link dev.vigil.tsdb.encoding.CorruptDataException} if the stream ends before them.
 */
public final class XorIterator extends ChunkSampleIterator {
  private final BitReader in = new BitReader();
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;


  XorIterator() {
    super(ValueKind.FLOAT);
  }
  void reset(byte[] buf, int byteLen, int numSamples, String resource) {
    in.reset(buf, 2, byteLen, resource);
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
      t = in.readVarint();
      vBits = in.readBits(64);
    } else if (read == 1) {
      tDelta = in.readUvarint();
      t += tDelta;
      readValue();
    } else {
      tDelta += readDod(in);
      t += tDelta;
      readValue();
    }
    read++;
    return ValueKind.FLOAT;
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
  private static long signed(long bits, int n) {
    return bits > (1L << (n - 1)) ? bits - (1L << n) : bits;
  }

  private void readValue() {
    if (!in.readBit()) {
      return;
    }
    if (in.readBit()) {
      leading = (int) in.readBits(5);
      int sig = (int) in.readBits(6);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
      if (trailing < 0) {
        throw in.corrupt("xor window of " + leading + " leading and " + sig
            + " significant bits exceeds 64");
      }
    }
    int sig = 64 - leading - trailing;
    vBits ^= in.readBits(sig) << trailing;
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
