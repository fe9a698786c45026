package dev.vigil.tsdb.record;

import dev.vigil.tsdb.encoding.ByteSink;
import java.util.Arrays;

/**
 * Writes float-samples v2 records ({@link RecordType#FLOAT_SAMPLES_V2}, layout in
 * {@code FORMAT.md}): refs and timestamps as run-length coded delta columns, values as 4-bit codes
 * plus payloads coded against each series' previous value in the {@link ValueChain}. Samples are
 * buffered by {@link #add} and the record is written by {@link #end}, since the columns need the
 * whole record. Allocation-free once the buffers have grown; not thread-safe.
 *
 * <p>The chain is this encoder's own table (indexed by ref), or, in a record begun with
 * {@link #beginCallerChained}, kept by the caller, who passes each series' previous value with
 * its sample: a head keeps it in the series object it touches anyway, so a commit's encoding
 * reads no other memory. The bytes are the same either way.
 */
final class ChainedFloatsEncoder {
  private final ValueChain chain = new ValueChain();
  private long[] refs = new long[256];
  private long[] ts = new long[256];
  private long[] vs = new long[256];
  private long[] prevs = new long[256]; // caller-chained records only
  private boolean callerChained;
  private int n;
  /** Where {@link #end} writes the next payload byte. */
  private int at;

  void restartChain() {
    chain.restart();
  }

  /** Starts a record whose values are chained through this encoder's table. */
  void begin() {
    n = 0;
    callerChained = false;
  }

  /** Starts a record whose samples come with their previous values ({@link #add(long, long, double, long)}). */
  void beginCallerChained() {
    n = 0;
    callerChained = true;
  }

  void add(long ref, long t, double v) {
    if (callerChained) {
      throw new IllegalStateException("this record was begun caller-chained: pass the previous value");
    }
    push(ref, t, v);
  }

  /**
   * A sample of a caller-chained record with the bits of its series' previous value in the
   * chain, or {@link RecordEncoder#NO_PREVIOUS}. The caller's chain must be the one a reader
   * rebuilds: the previous value is that of the series' last sample written since the chain
   * last restarted (the series' earlier samples in this record included).
   */
  void add(long ref, long t, double v, long previousBits) {
    if (!callerChained) {
      throw new IllegalStateException("this record keeps its own chain: begin it caller-chained");
    }
    push(ref, t, v);
    prevs[n - 1] = previousBits;
  }

  private void push(long ref, long t, double v) {
    if (n == refs.length) {
      refs = Arrays.copyOf(refs, n * 2);
      ts = Arrays.copyOf(ts, n * 2);
      vs = Arrays.copyOf(vs, n * 2);
      prevs = Arrays.copyOf(prevs, n * 2);
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
    body(out);
  }

  /**
   * Writes the samples added since {@link #begin} as a float run (type 20): one series, its
   * timestamps strictly increasing. The run's values are outside the value chain: its first
   * value is written whole (a caller-chained record must pass {@link RecordEncoder#NO_PREVIOUS}
   * with it), and afterwards the series has no previous value in this encoder's chain.
   */
  void endRun(ByteSink out) {
    if (n == 0) {
      throw new IllegalStateException("a float run needs at least one sample");
    }
    long ref = refs[0];
    if (ref <= 0 || ref >= Integer.MAX_VALUE) {
      throw new IllegalStateException("float run of series ref " + ref + " not in [1, 2^31)");
    }
    for (int i = 1; i < n; i++) {
      if (refs[i] != ref) {
        throw new IllegalStateException("float run of series " + ref + " has a sample of "
            + refs[i]);
      }
      if (ts[i] <= ts[i - 1]) {
        throw new IllegalStateException("float run of series " + ref + ": timestamp " + ts[i]
            + " after " + ts[i - 1]);
      }
    }
    if (callerChained && prevs[0] != RecordEncoder.NO_PREVIOUS) {
      throw new IllegalStateException("a float run's first value is written whole: pass"
          + " NO_PREVIOUS");
    }
    chain.forget(ref);
    out.putByte(RecordType.FLOAT_RUN);
    out.putUvarint(ref);
    out.putVarint(ts[0]);
    out.putVarint(ts[n - 1]);
    body(out);
    chain.forget(ref);
  }

  /** The layout of type 17 after its type byte. */
  private void body(ByteSink out) {
    out.putUvarint(n);
    putDeltaColumn(out, refs, n);
    putDeltaColumn(out, ts, n);
    // The codes, then each value's payload (at most 8 bytes: RAW, or XOR's 1 + 7) written in
    // place: one capacity check per record, not one per field.
    int codesAt = out.reserve(((n + 1) >>> 1) + 8 * n);
    byte[] buf = out.array();
    at = codesAt + ((n + 1) >>> 1);
    for (int i = 0; i < n; i++) {
      int code = callerChained ? callerChainedValue(buf, refs[i], vs[i], prevs[i])
          : value(buf, refs[i], vs[i]);
      int c = codesAt + (i >>> 1);
      buf[c] = (i & 1) == 0 ? (byte) (code << 4) : (byte) (buf[c] | code);
    }
    out.setLength(at);
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

  // Codes one value into buf at `at` (advancing it), updates the chain, returns the code.
  private int value(byte[] buf, long ref, long b) {
    boolean chained = ValueChain.chainable(ref);
    int code;
    if (chained && chain.has(ref)) {
      long pb = chain.bits(ref);
      code = pb == b ? ValueCode.SAME : chainedValue(buf, Double.longBitsToDouble(b), b, pb);
    } else {
      code = unchainedValue(buf, b);
    }
    if (chained) {
      chain.put(ref, b);
    }
    return code;
  }

  // As value(), with the previous value from the caller: a reader chains only chainable refs.
  private int callerChainedValue(byte[] buf, long ref, long b, long pb) {
    if (pb == RecordEncoder.NO_PREVIOUS || !ValueChain.chainable(ref)) {
      return unchainedValue(buf, b);
    }
    return pb == b ? ValueCode.SAME : chainedValue(buf, Double.longBitsToDouble(b), b, pb);
  }

  private int unchainedValue(byte[] buf, long b) {
    double v = Double.longBitsToDouble(b);
    int k = ValueCode.scale(v, b);
    long m = k == 0 ? ValueCode.zigzag(ValueCode.mantissa(v, 0)) : 0;
    if (k == 0 && ValueCode.uvarintSize(m) < 8) {
      at = ByteSink.uvarintAt(buf, at, m);
      return ValueCode.INTEGER;
    }
    at = ByteSink.be64At(buf, at, b);
    return ValueCode.RAW;
  }

  private int chainedValue(byte[] buf, double v, long b, long pb) {
    long x = b ^ pb;
    int lz = Long.numberOfLeadingZeros(x) >>> 3;
    int tz = Long.numberOfTrailingZeros(x) >>> 3;
    int xorSize = 1 + 8 - lz - tz;
    double p = Double.longBitsToDouble(pb);
    long mv = (long) v;
    int k;
    long zz;
    if (Math.abs(v) < 0x1p53 && Double.doubleToRawLongBits((double) mv) == b) {
      // Integral (counters, most gauges): scale 0 without the general search, and round(p)
      // is the cast when p is integral too. The same k and delta as below, cheaper.
      k = 0;
      long mp = (long) p;
      zz = ValueCode.zigzag(mv - ((double) mp == p ? mp : ValueCode.mantissa(p, 0)));
    } else {
      k = ValueCode.scale(v, b);
      // Wrapping subtraction: the reader adds it back to the same round(p·10^k) and wraps alike.
      zz = k >= 0 ? ValueCode.zigzag(ValueCode.mantissa(v, k) - ValueCode.mantissa(p, k)) : 0;
    }
    if (k >= 0) {
      int size = ValueCode.uvarintSize(zz);
      if (size <= xorSize && size < 8) {
        at = ByteSink.uvarintAt(buf, at, zz);
        return ValueCode.DELTA + k;
      }
    }
    if (xorSize < 8) {
      buf[at++] = (byte) (lz << 4 | tz);
      for (int shift = 56 - 8 * lz; shift >= 8 * tz; shift -= 8) {
        buf[at++] = (byte) (x >>> shift);
      }
      return ValueCode.XOR;
    }
    at = ByteSink.be64At(buf, at, b);
    return ValueCode.RAW;
  }
}
