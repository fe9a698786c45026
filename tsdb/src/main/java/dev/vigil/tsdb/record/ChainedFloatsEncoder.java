package dev.vigil.tsdb.record;

import dev.vigil.tsdb.encoding.ByteSink;
import java.util.Arrays;

/**
 * Writes float-samples v2 records ({@link RecordType#FLOAT_SAMPLES_V2}, layout in
 * {@code FORMAT.md}): refs and timestamps as run-length coded delta columns, values as 4-bit codes
 * plus payloads coded against each series' previous value in the {@link ValueChain}. Samples are
 * buffered by {@link #add} and the record is written by {@link #end}, since the columns need the
 * whole record. Allocation-free once the buffers have grown; not thread-safe.
 */
final class ChainedFloatsEncoder {
  private final ValueChain chain = new ValueChain();
  private final ByteSink payloads = new ByteSink(1 << 12);
  private long[] refs = new long[256];
  private long[] ts = new long[256];
  private long[] vs = new long[256];
  private byte[] codes = new byte[128];
  private int n;

  void restartChain() {
    chain.restart();
  }

  void begin() {
    n = 0;
  }

  void add(long ref, long t, double v) {
    if (n == refs.length) {
      refs = Arrays.copyOf(refs, n * 2);
      ts = Arrays.copyOf(ts, n * 2);
      vs = Arrays.copyOf(vs, n * 2);
    }
    refs[n] = ref;
    ts[n] = t;
    vs[n] = Double.doubleToRawLongBits(v);
    n++;
  }

  /** Writes the record of the samples added since {@link #begin} (at least one). */
  void end(ByteSink out) {
    if (n == 0) {
      throw new IllegalStateException("a float-samples record needs at least one sample");
    }
    out.putByte(RecordType.FLOAT_SAMPLES_V2);
    out.putUvarint(n);
    putDeltaColumn(out, refs, n);
    putDeltaColumn(out, ts, n);
    int codeBytes = (n + 1) >>> 1;
    if (codes.length < codeBytes) {
      codes = new byte[Math.max(codeBytes, codes.length * 2)];
    }
    payloads.reset();
    for (int i = 0; i < n; i++) {
      int code = value(refs[i], vs[i]);
      if ((i & 1) == 0) {
        codes[i >>> 1] = (byte) (code << 4);
      } else {
        codes[i >>> 1] |= (byte) code;
      }
    }
    out.putBytes(codes, 0, codeBytes);
    out.putBytes(payloads.array(), 0, payloads.length());
  }

  /**
   * Deltas from the previous element (the first from 0), each a zig-zag varint; a delta equal to
   * the one just written (and not itself the second of a pair) is followed by how many more
   * copies of it follow, so sorted refs and a shared timestamp cost a few bytes per record.
   */
  static void putDeltaColumn(ByteSink out, long[] xs, int n) {
    long prev = 0;
    int i = 0;
    while (i < n) {
      long d = xs[i] - prev;
      int j = i + 1;
      while (j < n && xs[j] - xs[j - 1] == d) {
        j++;
      }
      int run = j - i;
      out.putVarint(d);
      if (run >= 2) {
        out.putVarint(d);
        out.putUvarint(run - 2);
      }
      prev = xs[j - 1];
      i = j;
    }
  }

  // Codes one value into payloads, updates the chain, returns the code.
  private int value(long ref, long b) {
    boolean chained = ValueChain.chainable(ref);
    double v = Double.longBitsToDouble(b);
    int code;
    if (chained && chain.has(ref)) {
      long pb = chain.bits(ref);
      code = chainedValue(v, b, pb);
    } else {
      int k = ValueCode.scale(v, b);
      long m = k == 0 ? ValueCode.zigzag(ValueCode.mantissa(v, 0)) : 0;
      if (k == 0 && ValueCode.uvarintSize(m) < 8) {
        payloads.putUvarint(m);
        code = ValueCode.INTEGER;
      } else {
        payloads.putBE64(b);
        code = ValueCode.RAW;
      }
    }
    if (chained) {
      chain.put(ref, b);
    }
    return code;
  }

  private int chainedValue(double v, long b, long pb) {
    if (b == pb) {
      return ValueCode.SAME;
    }
    long x = b ^ pb;
    int lz = Long.numberOfLeadingZeros(x) >>> 3;
    int tz = Long.numberOfTrailingZeros(x) >>> 3;
    int xorSize = 1 + 8 - lz - tz;
    int k = ValueCode.scale(v, b);
    if (k >= 0) {
      double p = Double.longBitsToDouble(pb);
      // Wrapping subtraction: the reader adds it back to the same round(p·10^k) and wraps alike.
      long zz = ValueCode.zigzag(ValueCode.mantissa(v, k) - ValueCode.mantissa(p, k));
      if (ValueCode.uvarintSize(zz) <= xorSize && ValueCode.uvarintSize(zz) < 8) {
        payloads.putUvarint(zz);
        return ValueCode.DELTA + k;
      }
    }
    if (xorSize < 8) {
      payloads.putByte(lz << 4 | tz);
      for (int shift = 56 - 8 * lz; shift >= 8 * tz; shift -= 8) {
        payloads.putByte((int) (x >>> shift));
      }
      return ValueCode.XOR;
    }
    payloads.putBE64(b);
    return ValueCode.RAW;
  }
}
