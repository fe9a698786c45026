package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.HistogramCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes an {@link XorHistogramChunk}; allocates one {@link FloatHistogram} (and its bucket
 * arrays) per sample. Counts read from the stream are bounded by the bits left, so a corrupt
 * chunk cannot ask for a huge allocation; reading past the end throws
 * {@link dev.vigil.tsdb.encoding.CorruptDataException}.
 */
public final class XorHistogramIterator extends HistogramSampleIterator {
  private static final CounterResetHint[] HINTS = CounterResetHint.values();

  private final BitReader in = new BitReader();
  private long tDelta;
  // The current layout.
  private int schema;
  private double zeroThreshold;
  private List<Span> positiveSpans;
  private List<Span> negativeSpans;
  private int positiveBuckets;
  private int negativeBuckets;
  private double[] customValues;
  // The current values' bits (count, zero count, sum, buckets) and their XOR windows.
  private long[] values = new long[0];
  private int[] leading = new int[0];
  private int[] trailing = new int[0];
  // v3's integer mode: each count as a long and its previous delta (0 after a sample not in
  // integer mode); the longs are current only while samples are in integer mode.
  private boolean v3;
  private long[] ints = new long[0];
  private long[] deltas = new long[0];
  private boolean intsCurrent;

  XorHistogramIterator() {}

  void reset(byte[] buf, int len, int numSamples, String resource, boolean v3) {
    in.reset(buf, 2, len, resource);
    start(numSamples);
    this.v3 = v3;
    this.h = null;
  }

  @Override
  public ValueKind next() {
    if (exhausted()) {
      return ValueKind.NONE;
    }
    if (read == 0) {
      t = in.readVarint();
    } else if (read == 1) {
      tDelta = in.readUvarint();
      t += tDelta;
    } else {
      tDelta += XorIterator.readDod(in);
      t += tDelta;
    }
    int hint = (int) in.readBits(2);
    if (hint >= HINTS.length) {
      throw in.corrupt("counter reset hint " + hint + " not in [0, " + (HINTS.length - 1) + "]");
    }
    boolean layout = read == 0 || in.readBit();
    boolean integerMode = !layout && v3 && in.readBit();
    if (layout) {
      readLayout();
      for (int i = 0; i < values.length; i++) {
        values[i] = in.readBits(64);
      }
    } else if (integerMode) {
      readIntegers(in.readBit());
    } else {
      for (int i = 0; i < values.length; i++) {
        readXor(i);
      }
    }
    if (!integerMode) {
      Arrays.fill(deltas, 0);
      intsCurrent = false;
    }
    int p = XorHistogramChunk.SCALARS;
    double[] pb = new double[positiveBuckets];
    for (int i = 0; i < pb.length; i++) {
      pb[i] = Double.longBitsToDouble(values[p + i]);
    }
    double[] nb = new double[negativeBuckets];
    for (int i = 0; i < nb.length; i++) {
      nb[i] = Double.longBitsToDouble(values[p + pb.length + i]);
    }
    h = new FloatHistogram(HINTS[hint], schema, zeroThreshold,
        Double.longBitsToDouble(values[1]), Double.longBitsToDouble(values[0]),
        Double.longBitsToDouble(values[2]), positiveSpans, pb, negativeSpans, nb, customValues);
    read++;
    return ValueKind.HISTOGRAM;
  }

  private void readXor(int i) {
    if (!in.readBit()) {
      return;
    }
    if (in.readBit()) {
      int lead = (int) in.readBits(5);
      int sig = (int) in.readBits(6);
      if (sig == 0) {
        sig = 64;
      }
      if (lead + sig > 64) {
        throw in.corrupt("xor window of " + lead + " leading and " + sig
            + " significant bits exceeds 64");
      }
      leading[i] = lead;
      trailing[i] = 64 - lead - sig;
    } else if (leading[i] == XorHistogramChunk.NO_WINDOW) {
      throw in.corrupt("xor value reuses a window before one was written");
    }
    values[i] ^= in.readBits(64 - leading[i] - trailing[i]) << trailing[i];
  }

  /**
   * A sample in integer mode: the sum XOR-coded, each count the previous one plus the delta
   * read, or plus its previous delta and the delta of delta read.
   */
  private void readIntegers(boolean dod) {
    if (!intsCurrent) {
      // The previous sample was written whole or XOR-coded: its counts must be whole numbers.
      for (int i = 0; i < values.length; i++) {
        double before = Double.longBitsToDouble(values[i]);
        if (i != 2 && !HistogramCodec.isWholeCount(before)) {
          throw in.corrupt("integer-coded count after " + before + ", not a whole number");
        }
        ints[i] = (long) before;
      }
      intsCurrent = true;
    }
    readInteger(0, dod);
    readInteger(1, dod);
    readXor(2); // the sum
    for (int i = XorHistogramChunk.SCALARS; i < values.length; i++) {
      readInteger(i, dod);
    }
  }

  private void readInteger(int i, boolean dod) {
    long max = HistogramCodec.MAX_WHOLE;
    long x = readVarbit();
    // |x| <= 2^62 keeps the sums below from overflowing; a valid stream stays under 2^55.
    if (x < -(1L << 62) || x > 1L << 62) {
      throw in.corrupt("count delta " + (dod ? "of delta " : "") + x + " out of range");
    }
    long d = dod ? deltas[i] + x : x;
    long now = ints[i] + d;
    if (now < -max || now > max) {
      throw in.corrupt("integer-coded count " + now + " beyond 2^53");
    }
    deltas[i] = d;
    ints[i] = now;
    values[i] = Double.doubleToRawLongBits((double) now);
  }

  /**
   * Reads what {@code XorHistogramChunk.writeVarbit} wrote: its prefix of ones from one window,
   * and the value from the same window when prefix and value fit in it.
   */
  private long readVarbit() {
    long w = in.peek();
    int ones = Long.numberOfLeadingZeros(~w);
    if (ones >= 7) { // 56 or 64 value bits: past one window
      return readWideVarbit(ones);
    }
    // Without a branch on the value: no ones is a 0 of no value bits.
    int width = ones == 0 ? 0 : XorHistogramChunk.varbitWidth(ones);
    int prefix = ones + 1;
    long bits = (w << prefix) >>> 1 >>> (63 - width);
    in.skip(prefix + width);
    long half = (1L << width) >>> 1;
    long negative = (half - bits) >> 63; // all ones when bits > half
    return bits - (negative & (1L << width));
  }

  private long readWideVarbit(int ones) {
    if (ones >= 8) { // eight ones, no '0': 64 bits follow
      in.skip(8);
      return in.readBits(64);
    }
    in.skip(8); // seven ones and a zero
    return XorIterator.signed(in.readBits(56), 56);
  }

  private void readLayout() {
    long s = in.readVarint();
    if (s < Integer.MIN_VALUE || s > Integer.MAX_VALUE) {
      throw in.corrupt("histogram schema " + s + " out of int range");
    }
    schema = (int) s;
    zeroThreshold = Double.longBitsToDouble(in.readBits(64));
    positiveSpans = readSpans();
    positiveBuckets = count("positive bucket count", 64);
    negativeSpans = readSpans();
    negativeBuckets = count("negative bucket count", 64);
    customValues = new double[count("custom bound count", 64)];
    for (int i = 0; i < customValues.length; i++) {
      customValues[i] = Double.longBitsToDouble(in.readBits(64));
    }
    int fields = XorHistogramChunk.SCALARS + positiveBuckets + negativeBuckets;
    if ((long) fields * 64 > in.remainingBits()) {
      throw in.corrupt(fields + " values of 64 bits exceed the " + in.remainingBits()
          + " bits left");
    }
    values = new long[fields];
    ints = new long[fields];
    deltas = new long[fields];
    leading = new int[fields];
    trailing = new int[fields];
    Arrays.fill(leading, XorHistogramChunk.NO_WINDOW);
  }

  private List<Span> readSpans() {
    int n = count("span count", 16); // a span is at least two one-byte varints
    List<Span> spans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long off = in.readVarint();
      long len = in.readUvarint();
      if (off < Integer.MIN_VALUE || off > Integer.MAX_VALUE || len < 0
          || len > Integer.MAX_VALUE) {
        throw in.corrupt("span (" + off + ", " + len + ") out of int range");
      }
      spans.add(new Span((int) off, (int) len));
    }
    return List.copyOf(spans);
  }

  /** A count of items of at least {@code bitsEach} bits each, bounded by the bits left. */
  private int count(String what, int bitsEach) {
    long n = in.readUvarint();
    if (n < 0 || n > in.remainingBits() / bitsEach) {
      throw in.corrupt(what + " " + Long.toUnsignedString(n) + " exceeds what the "
          + in.remainingBits() + " bits left can hold");
    }
    return (int) n;
  }

}
