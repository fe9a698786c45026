package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.HistogramCodec;
import java.util.Arrays;
import java.util.List;

/**
 * Float-histogram chunk v3 (encoding {@code 0x12}; v2, {@code 0x11}, is read still; layouts in
 * {@code FORMAT.md}): one bit stream in which each sample's timestamp is delta-of-delta coded
 * as in {@link XorChunk}, and each of its values (count, zero count, sum, every bucket) is
 * XOR-coded against the same value of the previous sample, with a window of its own, as
 * Prometheus's float histogram chunk does. The bucket layout (schema, zero threshold, spans,
 * custom bounds) is written for the first sample and again only when it changes, and then the
 * values are written whole. Since v3, when the counts of a sample and of the one before it are
 * all whole numbers (what a scraped or pushed counter histogram holds), they are coded as
 * integer deltas of deltas instead, as Prometheus's integer histogram chunk does: a bucket
 * that did not grow costs a bit, one that grew by a few a handful. Single writer, as {@link
 * XorChunk}: bits once written never change, so iterators over a prefix stay valid.
 */
public final class XorHistogramChunk extends BitWriter implements Chunk {
  static final String RESOURCE = "histogram chunk";
  private static final int INITIAL_BYTES = 64;
  /** Fields before the buckets: count, zero count, sum. */
  static final int SCALARS = 3;
  static final int NO_WINDOW = 0xFF;

  private final boolean readOnly;
  /** Whether the stream is v3 (an integer-mode bit per sample that keeps its layout). */
  private final boolean v3;
  private final String resource;
  private int numSamples;
  // What the next append continues from: the previous sample.
  private long t;
  private long tDelta;
  private FloatHistogram last;
  private long[] prev = new long[0]; // bits of the previous sample's values, in stream order
  // Each value's XOR window (a head series keeps these while its chunk is open: bytes, not ints).
  private byte[] leading = new byte[0]; // NO_WINDOW before the value's first window
  private byte[] trailing = new byte[0];
  // Integer mode: each count's previous delta, 0 after a sample not coded in integer mode.
  private long[] delta = new long[0];
  private long[] deltaNow = new long[0]; // this sample's deltas, while choosing the mode
  private boolean lastIntegral;

  /** A new chunk, written as v3. */
  public XorHistogramChunk() {
    super(INITIAL_BYTES);
    writeBits(0, 16); // the sample count, filled in by bytes()
    readOnly = false;
    v3 = true;
    resource = RESOURCE;
  }

  private XorHistogramChunk(byte[] data, String resource, boolean v3) {
    super(data);
    readOnly = true;
    this.v3 = v3;
    this.resource = resource;
    numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  /** A read-only v3 chunk over {@code data} (as {@link #bytes()} returned it). */
  public static XorHistogramChunk wrap(byte[] data, String resource) {
    return wrap(data, resource, true);
  }

  /** A read-only v2 chunk (encoding {@code 0x11}, written before v0.5) over {@code data}. */
  public static XorHistogramChunk wrapV2(byte[] data, String resource) {
    return wrap(data, resource, false);
  }

  private static XorHistogramChunk wrap(byte[] data, String resource, boolean v3) {
    if (data.length < 2) {
      throw new CorruptDataException(resource, 0, "histogram chunk of " + data.length
          + " bytes, expected at least the 2-byte sample count");
    }
    return new XorHistogramChunk(data, resource, v3);
  }

  @Override
  public Encoding encoding() {
    return v3 ? Encoding.FLOAT_HISTOGRAM_V3 : Encoding.FLOAT_HISTOGRAM_V2;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public int byteLength() {
    return writtenBytes();
  }

  @Override
  public byte[] bytes() {
    byte[] b = Arrays.copyOf(buffer(), writtenBytes());
    b[0] = (byte) (numSamples >>> 8);
    b[1] = (byte) numSamples;
    return b;
  }

  public boolean isFull() {
    return numSamples >= MAX_SAMPLES;
  }

  @Override
  public void trimToSize() {
    if (!readOnly) {
      trimBuffer();
    }
  }

  /** Appends a sample; the caller guarantees timestamps increase. */
  public void append(long ts, FloatHistogram h) {
    if (readOnly) {
      throw new IllegalStateException("append to a read-only chunk");
    }
    if (numSamples >= MAX_SAMPLES) {
      throw new IllegalStateException("chunk full at " + numSamples + " samples");
    }
    if (numSamples == 0) {
      writeVarint(ts);
    } else if (numSamples == 1) {
      tDelta = ts - t;
      writeUvarint(tDelta);
    } else {
      long newDelta = ts - t;
      writeDod(newDelta - tDelta);
      tDelta = newDelta;
    }
    writeBits(h.counterResetHint().ordinal(), 2);
    boolean layout = numSamples == 0 || !sameLayout(last, h);
    if (numSamples > 0) {
      writeBits(layout ? 1 : 0, 1);
    }
    double[] pb = h.positiveBuckets();
    double[] nb = h.negativeBuckets();
    if (layout) {
      writeLayout(h);
      int fields = SCALARS + pb.length + nb.length;
      prev = new long[fields];
      leading = new byte[fields];
      trailing = new byte[fields];
      delta = new long[fields];
      deltaNow = new long[fields];
      Arrays.fill(leading, (byte) NO_WINDOW);
    }
    boolean integral = HistogramCodec.hasWholeCounts(h);
    boolean intMode = !layout && lastIntegral && integral;
    if (!layout) {
      writeBits(intMode ? 1 : 0, 1);
    }
    if (intMode) {
      integers(h);
    } else {
      value(0, h.count(), layout);
      value(1, h.zeroCount(), layout);
      value(2, h.sum(), layout);
      for (int i = 0; i < pb.length; i++) {
        value(SCALARS + i, pb[i], layout);
      }
      for (int i = 0; i < nb.length; i++) {
        value(SCALARS + pb.length + i, nb[i], layout);
      }
      Arrays.fill(delta, 0);
    }
    lastIntegral = integral;
    t = ts;
    last = h;
    numSamples++;
  }

  /**
   * The counts of a sample in integer mode, and its sum XOR-coded. Deltas suit counts that grow
   * at random (a bucket that did not grow costs a bit), deltas of deltas steady rates: the
   * sample takes whichever is shorter.
   */
  private void integers(FloatHistogram h) {
    double[] pb = h.positiveBuckets();
    double[] nb = h.negativeBuckets();
    int fields = prev.length;
    long[] now = deltaNow;
    long deltaBits = 0;
    long dodBits = 0;
    for (int i = 0; i < fields; i++) {
      if (i != 2) {
        long d = countDelta(h, pb, nb, i);
        now[i] = d;
        deltaBits += varbitLength(d);
        dodBits += varbitLength(d - delta[i]);
      }
    }
    boolean dod = dodBits < deltaBits;
    writeBits(dod ? 1 : 0, 1);
    for (int i = 0; i < fields; i++) {
      if (i == 2) {
        value(2, h.sum(), false);
        continue;
      }
      long d = now[i];
      writeVarbit(dod ? d - delta[i] : d);
      delta[i] = d;
      prev[i] = Double.doubleToRawLongBits(count(h, pb, nb, i));
    }
  }

  /** Field {@code i}'s count (not the sum, field 2) in stream order. */
  private static double count(FloatHistogram h, double[] pb, double[] nb, int i) {
    if (i >= SCALARS) {
      int b = i - SCALARS;
      return b < pb.length ? pb[b] : nb[b - pb.length];
    }
    return i == 0 ? h.count() : h.zeroCount();
  }

  /** Field {@code i}'s count minus the previous sample's, both whole numbers. */
  private long countDelta(FloatHistogram h, double[] pb, double[] nb, int i) {
    return (long) count(h, pb, nb, i) - (long) Double.longBitsToDouble(prev[i]);
  }

  /** The value widths of {@link #writeVarbit} after 1..8 ones. */
  private static final int[] VARBIT_WIDTH_LIST = {3, 6, 9, 12, 18, 25, 56, 64};
  private static final int VARBIT_WIDTHS_COUNT = VARBIT_WIDTH_LIST.length;

  /** The value width after {@code ones} ones (1..8). */
  static int varbitWidth(int ones) {
    return VARBIT_WIDTH_LIST[ones - 1];
  }

  /**
   * Per bit length of |x| (of x − 1 for a positive x), the index into {@link #VARBIT_WIDTH_LIST} of
   * the narrowest width holding x: a width w holds −(2^(w−1) − 1) … 2^(w−1).
   */
  private static final byte[] VARBIT_INDEX = new byte[65];
  /** Per bit length as {@link #VARBIT_INDEX}: the bits of the whole code. */
  private static final byte[] VARBIT_LENGTH = new byte[65];

  static {
    for (int len = 0; len <= 64; len++) {
      int n = 0;
      while (n < VARBIT_WIDTHS_COUNT - 1 && len > VARBIT_WIDTH_LIST[n] - 1) {
        n++;
      }
      VARBIT_INDEX[len] = (byte) n;
      VARBIT_LENGTH[len] = (byte) (n == VARBIT_WIDTHS_COUNT - 1 ? 8 + 64
          : n + 2 + VARBIT_WIDTH_LIST[n]);
    }
  }

  /** The bit length of x − 1 for a positive x, of −x otherwise; without a branch on the sign. */
  private static int magnitudeBits(long x) {
    long s = x >> 63;
    return 64 - Long.numberOfLeadingZeros((x ^ s) - 1 - (s << 1)); // MIN_VALUE: 64
  }

  private static int varbitIndex(long x) {
    return VARBIT_INDEX[magnitudeBits(x)];
  }

  /** The bits {@link #writeVarbit} writes for {@code x}. */
  static int varbitLength(long x) {
    int bits = VARBIT_LENGTH[magnitudeBits(x)];
    return x == 0 ? 1 : bits;
  }

  /**
   * A signed integer in 1 to 72 bits: '0' for 0, else n ones, a zero (none after eight ones)
   * and the value in the n-th width of 3, 6, 9, 12, 18, 25, 56 or 64 bits (two's complement,
   * ranges as {@link XorAppender#fits}).
   */
  private void writeVarbit(long x) {
    // Without a branch on the value (counts change at random): 0 is the code of no ones and
    // no value bits; only the rare 64-bit case goes its own way.
    int n = varbitIndex(x);
    int w = x == 0 ? 0 : VARBIT_WIDTH_LIST[n];
    int ones = x == 0 ? 0 : n + 1;
    if (ones == VARBIT_WIDTHS_COUNT) {
      writeBits(0xFF, 8);
      writeBits(x, 64);
      return;
    }
    long prefix = (1L << (ones + 1)) - 2; // the ones, then a zero
    writeBits((prefix << w) | (x & ((1L << w) - 1)), ones + 1 + w);
  }

  /** A delta of delta as the XOR chunk codes it ({@link XorAppender} joins it to the value). */
  private void writeDod(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
    } else if (XorAppender.fits(dod, 14)) {
      writeBits((0b10L << 14) | (dod & 0x3FFF), 16);
    } else if (XorAppender.fits(dod, 17)) {
      writeBits((0b110L << 17) | (dod & 0x1FFFF), 20);
    } else if (XorAppender.fits(dod, 20)) {
      writeBits((0b1110L << 20) | (dod & 0xFFFFF), 24);
    } else {
      writeBits(0b1111, 4);
      writeBits(dod, 64);
    }
  }

  private void value(int field, double v, boolean whole) {
    long bits = Double.doubleToRawLongBits(v);
    long xor = bits ^ prev[field];
    prev[field] = bits;
    if (whole) {
      writeBits(bits, 64);
      return;
    }
    if (xor == 0) {
      writeBits(0, 1);
      return;
    }
    int lead = Math.min(31, Long.numberOfLeadingZeros(xor)); // the field is 5 bits wide
    int trail = Long.numberOfTrailingZeros(xor);
    int windowLead = leading[field] & 0xFF;
    int windowTrail = trailing[field];
    if (windowLead != NO_WINDOW && lead >= windowLead && trail >= windowTrail) {
      writeBits(0b10, 2);
    } else {
      windowLead = lead;
      windowTrail = trail;
      leading[field] = (byte) lead;
      trailing[field] = (byte) trail;
      writeBits((0b11L << 11) | ((long) lead << 6) | ((64 - lead - trail) & 0x3F), 13);
    }
    writeBits(xor >>> windowTrail, 64 - windowLead - windowTrail);
  }

  private void writeLayout(FloatHistogram h) {
    writeVarint(h.schema());
    writeBits(Double.doubleToRawLongBits(h.zeroThreshold()), 64);
    writeSpans(h.positiveSpans());
    writeUvarint(h.positiveBuckets().length);
    writeSpans(h.negativeSpans());
    writeUvarint(h.negativeBuckets().length);
    double[] cv = h.customValues();
    writeUvarint(cv.length);
    for (double v : cv) {
      writeBits(Double.doubleToRawLongBits(v), 64);
    }
  }

  private void writeSpans(List<Span> spans) {
    writeUvarint(spans.size());
    for (Span s : spans) {
      writeVarint(s.offset());
      writeUvarint(s.length());
    }
  }

  /** Whether {@code b} has {@code a}'s bucket layout, bit for bit. */
  static boolean sameLayout(FloatHistogram a, FloatHistogram b) {
    return a.schema() == b.schema()
        && Double.doubleToRawLongBits(a.zeroThreshold())
            == Double.doubleToRawLongBits(b.zeroThreshold())
        && a.positiveBuckets().length == b.positiveBuckets().length
        && a.negativeBuckets().length == b.negativeBuckets().length
        && a.positiveSpans().equals(b.positiveSpans())
        && a.negativeSpans().equals(b.negativeSpans())
        && sameBits(a.customValues(), b.customValues());
  }

  private static boolean sameBits(double[] x, double[] y) {
    if (x.length != y.length) {
      return false;
    }
    for (int i = 0; i < x.length; i++) {
      if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    XorHistogramIterator it =
        reuse instanceof XorHistogramIterator x ? x : new XorHistogramIterator();
    it.reset(buffer(), writtenBytes(), numSamples, resource, v3);
    return it;
  }
}
