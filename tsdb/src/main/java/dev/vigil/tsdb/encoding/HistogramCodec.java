package dev.vigil.tsdb.encoding;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * The one serialized form of a {@link FloatHistogram}, shared by the histogram chunk and the WAL
 * histogram record so both evolve together. Layout (see {@code chunkenc/FORMAT.md}):
 *
 * <pre>
 * hint &lt;1b&gt; | schema &lt;varint&gt; | zeroThreshold &lt;8b&gt; | zeroCount &lt;8b&gt; | count &lt;8b&gt; | sum &lt;8b&gt;
 * | positive spans | positive buckets | negative spans | negative buckets | custom values
 * spans   := n &lt;uvarint&gt; (offset &lt;varint&gt; length &lt;uvarint&gt;)^n
 * doubles := n &lt;uvarint&gt; (&lt;8b IEEE-754 big-endian&gt;)^n
 * </pre>
 */
public final class HistogramCodec {
  private static final CounterResetHint[] HINTS = CounterResetHint.values();

  private HistogramCodec() {}

  public static void encode(ByteSink out, FloatHistogram h) {
    out.putByte(h.counterResetHint().ordinal());
    out.putVarint(h.schema());
    out.putDouble(h.zeroThreshold());
    out.putDouble(h.zeroCount());
    out.putDouble(h.count());
    out.putDouble(h.sum());
    putSpans(out, h.positiveSpans());
    putDoubles(out, h.positiveBuckets());
    putSpans(out, h.negativeSpans());
    putDoubles(out, h.negativeBuckets());
    putDoubles(out, h.customValues());
  }

  public static FloatHistogram decode(ByteSource in) {
    int hint = in.getByte();
    if (hint >= HINTS.length) {
      throw in.corrupt("counter reset hint " + hint + " not in [0, " + (HINTS.length - 1) + "]");
    }
    long schema = in.getVarint();
    if (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE) {
      throw in.corrupt("histogram schema " + schema + " out of int range");
    }
    double zt = in.getDouble();
    double zc = in.getDouble();
    double count = in.getDouble();
    double sum = in.getDouble();
    List<Span> ps = getSpans(in);
    double[] pb = getDoubles(in);
    List<Span> ns = getSpans(in);
    double[] nb = getDoubles(in);
    double[] cv = getDoubles(in);
    return new FloatHistogram(HINTS[hint], (int) schema, zt, zc, count, sum, ps, pb, ns, nb, cv);
  }

  /** {@link #encodeCompact}'s flag: count, zero count and buckets are whole numbers. */
  private static final int WHOLE_COUNTS = 1 << 2;
  /** {@link #encodeCompact}'s flag: the zero threshold follows (else it is 0). */
  private static final int ZERO_THRESHOLD = 1 << 3;
  /** Largest magnitude of a count written as an integer: every such long is an exact double. */
  public static final long MAX_WHOLE = 1L << 53;

  /**
   * The compact form (WAL histogram records since type 18): whole counts, what counter
   * histograms hold, as varints, buckets as differences to the bucket before (as Prometheus's
   * integer histograms); other counts as doubles. Layout (see {@code record/FORMAT.md}):
   *
   * <pre>
   * flags &lt;1b: hint (bits 0-1), whole counts (bit 2), zero threshold follows (bit 3)&gt;
   * | schema &lt;varint&gt; | [zeroThreshold &lt;8b&gt;] | zeroCount | count | sum &lt;8b&gt;
   * | positive spans | positive buckets | negative spans | negative buckets | custom values
   * counts  := whole: &lt;varint&gt; each; else &lt;8b&gt; each
   * buckets := n &lt;uvarint&gt; then whole: (bucket − previous bucket &lt;varint&gt;)^n (the first
   *            against 0); else (&lt;8b&gt;)^n
   * </pre>
   */
  public static void encodeCompact(ByteSink out, FloatHistogram h) {
    boolean whole = hasWholeCounts(h);
    boolean threshold = Double.doubleToRawLongBits(h.zeroThreshold()) != 0;
    out.putByte(h.counterResetHint().ordinal() | (whole ? WHOLE_COUNTS : 0)
        | (threshold ? ZERO_THRESHOLD : 0));
    out.putVarint(h.schema());
    if (threshold) {
      out.putDouble(h.zeroThreshold());
    }
    putCount(out, h.zeroCount(), whole);
    putCount(out, h.count(), whole);
    out.putDouble(h.sum());
    putSpans(out, h.positiveSpans());
    putBuckets(out, h.positiveBuckets(), whole);
    putSpans(out, h.negativeSpans());
    putBuckets(out, h.negativeBuckets(), whole);
    putDoubles(out, h.customValues());
  }

  /** Reads what {@link #encodeCompact} wrote. */
  public static FloatHistogram decodeCompact(ByteSource in) {
    int flags = in.getByte();
    int hint = flags & 3;
    if ((flags & ~(3 | WHOLE_COUNTS | ZERO_THRESHOLD)) != 0) {
      throw in.corrupt("histogram flags " + flags + " has unknown bits");
    }
    boolean whole = (flags & WHOLE_COUNTS) != 0;
    long schema = in.getVarint();
    if (schema < Integer.MIN_VALUE || schema > Integer.MAX_VALUE) {
      throw in.corrupt("histogram schema " + schema + " out of int range");
    }
    double zt = (flags & ZERO_THRESHOLD) != 0 ? in.getDouble() : 0;
    double zc = getCount(in, whole);
    double count = getCount(in, whole);
    double sum = in.getDouble();
    List<Span> ps = getSpans(in);
    double[] pb = getBuckets(in, whole);
    List<Span> ns = getSpans(in);
    double[] nb = getBuckets(in, whole);
    double[] cv = getDoubles(in);
    return new FloatHistogram(HINTS[hint], (int) schema, zt, zc, count, sum, ps, pb, ns, nb, cv);
  }

  /**
   * Whether a count {@code v} comes back bit for bit from a long: a whole number of magnitude at
   * most 2^53 ({@link #MAX_WHOLE}), not −0.0 (a long has no negative zero).
   */
  public static boolean isWholeCount(double v) {
    return v == Math.rint(v) && Math.abs(v) <= MAX_WHOLE
        && Double.doubleToRawLongBits(v) != Long.MIN_VALUE;
  }

  /** Whether the count, the zero count and every bucket of {@code h} are whole counts. */
  public static boolean hasWholeCounts(FloatHistogram h) {
    return isWholeCount(h.count()) && isWholeCount(h.zeroCount())
        && whole(h.positiveBuckets()) && whole(h.negativeBuckets());
  }

  private static boolean whole(double[] vs) {
    for (double v : vs) {
      if (!isWholeCount(v)) {
        return false;
      }
    }
    return true;
  }

  private static void putCount(ByteSink out, double v, boolean whole) {
    if (whole) {
      out.putVarint((long) v);
    } else {
      out.putDouble(v);
    }
  }

  private static double getCount(ByteSource in, boolean whole) {
    if (!whole) {
      return in.getDouble();
    }
    long v = in.getVarint();
    if (v < -MAX_WHOLE || v > MAX_WHOLE) {
      throw in.corrupt("histogram count " + v + " beyond 2^53");
    }
    return v;
  }

  private static void putBuckets(ByteSink out, double[] b, boolean whole) {
    if (!whole) {
      putDoubles(out, b);
      return;
    }
    out.putUvarint(b.length);
    long before = 0;
    for (double v : b) {
      long now = (long) v;
      out.putVarint(now - before);
      before = now;
    }
  }

  private static double[] getBuckets(ByteSource in, boolean whole) {
    if (!whole) {
      return getDoubles(in);
    }
    int n = in.getUvarintInt(in.remaining(), "bucket count"); // a varint is at least a byte
    double[] b = new double[n];
    long now = 0;
    for (int i = 0; i < n; i++) {
      long d = in.getVarint();
      if (d < -2 * MAX_WHOLE || d > 2 * MAX_WHOLE) {
        throw in.corrupt("bucket difference " + d + " out of range");
      }
      now += d;
      if (now < -MAX_WHOLE || now > MAX_WHOLE) {
        throw in.corrupt("bucket count " + now + " beyond 2^53");
      }
      b[i] = now;
    }
    return b;
  }

  private static void putSpans(ByteSink out, List<Span> spans) {
    out.putUvarint(spans.size());
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      out.putVarint(s.offset());
      out.putUvarint(s.length());
    }
  }

  private static void putDoubles(ByteSink out, double[] d) {
    out.putUvarint(d.length);
    for (double v : d) {
      out.putDouble(v);
    }
  }

  private static List<Span> getSpans(ByteSource in) {
    // Each span takes at least 2 bytes, which bounds n by what is left.
    int n = in.getUvarintInt(in.remaining() / 2, "span count");
    List<Span> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long off = in.getVarint();
      int len = in.getUvarintInt(Integer.MAX_VALUE, "span length");
      if (off < Integer.MIN_VALUE || off > Integer.MAX_VALUE) {
        throw in.corrupt("span offset " + off + " out of int range");
      }
      out.add(new Span((int) off, len));
    }
    return out;
  }

  private static double[] getDoubles(ByteSource in) {
    int n = in.getUvarintInt(in.remaining() / 8, "bucket count");
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = in.getDouble();
    }
    return d;
  }
}
