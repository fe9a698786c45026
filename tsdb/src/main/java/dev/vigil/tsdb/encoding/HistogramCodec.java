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
