package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;
import java.util.List;

/**
 * Float-histogram chunk v2 (encoding {@code 0x11}, layout in {@code FORMAT.md}): one bit stream
 * in which each sample's timestamp is delta-of-delta coded as in {@link XorChunk}, and each of
 * its values (count, zero count, sum, every bucket) is XOR-coded against the same value of the
 * previous sample, with a window of its own, as Prometheus's float histogram chunk does. The
 * bucket layout (schema, zero threshold, spans, custom bounds) is written for the first sample
 * and again only when it changes, and then the values are written whole. Counters that grow
 * slowly cost about a byte per bucket per sample instead of v1's eight. Single writer, as
 * {@link XorChunk}: bits once written never change, so iterators over a prefix stay valid.
 */
public final class XorHistogramChunk extends BitWriter implements Chunk {
  static final String RESOURCE = "histogram chunk";
  private static final int INITIAL_BYTES = 64;
  /** Fields before the buckets: count, zero count, sum. */
  static final int SCALARS = 3;
  static final int NO_WINDOW = 0xFF;

  private final boolean readOnly;
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

  public XorHistogramChunk() {
    super(INITIAL_BYTES);
    writeBits(0, 16); // the sample count, filled in by bytes()
    readOnly = false;
    resource = RESOURCE;
  }

  private XorHistogramChunk(byte[] data, String resource) {
    super(data);
    readOnly = true;
    this.resource = resource;
    numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  /** A read-only chunk over {@code data} (as {@link #bytes()} returned it). */
  public static XorHistogramChunk wrap(byte[] data, String resource) {
    if (data.length < 2) {
      throw new CorruptDataException(resource, 0, "histogram chunk of " + data.length
          + " bytes, expected at least the 2-byte sample count");
    }
    return new XorHistogramChunk(data, resource);
  }

  @Override
  public Encoding encoding() {
    return Encoding.FLOAT_HISTOGRAM_V2;
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
      Arrays.fill(leading, (byte) NO_WINDOW);
    }
    value(0, h.count(), layout);
    value(1, h.zeroCount(), layout);
    value(2, h.sum(), layout);
    for (int i = 0; i < pb.length; i++) {
      value(SCALARS + i, pb[i], layout);
    }
    for (int i = 0; i < nb.length; i++) {
      value(SCALARS + pb.length + i, nb[i], layout);
    }
    t = ts;
    last = h;
    numSamples++;
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
    it.reset(buffer(), writtenBytes(), numSamples, resource);
    return it;
  }
}
