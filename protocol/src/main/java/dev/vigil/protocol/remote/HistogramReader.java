package dev.vigil.protocol.remote;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the {@code Histogram} message, identical in field numbers in remote write 1.0 and 2.0,
 * into reusable scratch arrays, then builds a model {@link FloatHistogram} (integer histograms'
 * bucket deltas become absolute counts). Histograms are rarer than floats; the one allocation is
 * the resulting sample, which owns its arrays.
 */
final class HistogramReader {
  private static final int F_COUNT_INT = 1;
  private static final int F_COUNT_FLOAT = 2;
  private static final int F_SUM = 3;
  private static final int F_SCHEMA = 4;
  private static final int F_ZERO_THRESHOLD = 5;
  private static final int F_ZERO_COUNT_INT = 6;
  private static final int F_ZERO_COUNT_FLOAT = 7;
  private static final int F_NEG_SPANS = 8;
  private static final int F_NEG_DELTAS = 9;
  private static final int F_NEG_COUNTS = 10;
  private static final int F_POS_SPANS = 11;
  private static final int F_POS_DELTAS = 12;
  private static final int F_POS_COUNTS = 13;
  private static final int F_RESET_HINT = 14;
  private static final int F_TIMESTAMP = 15;
  private static final int F_CUSTOM_VALUES = 16;

  private double count;
  private double sum;
  private int schema;
  private double zeroThreshold;
  private double zeroCount;
  private int resetHint;
  long timestamp;
  private boolean integer;
  private final Buckets neg = new Buckets();
  private final Buckets pos = new Buckets();
  private double[] custom = new double[16];
  private int nCustom;
  /** Why the last read histogram is invalid, or null. */
  String problem;

  /** Reads one Histogram message at the reader's position up to its limit. */
  void read(WireReader in) throws MalformedBodyException {
    count = 0;
    sum = 0;
    schema = 0;
    zeroThreshold = 0;
    zeroCount = 0;
    resetHint = 0;
    timestamp = 0;
    integer = true;
    neg.clear();
    pos.clear();
    nCustom = 0;
    problem = null;
    while (in.more()) {
      int tag = in.readTag();
      switch (tag >>> 3) {
        case F_COUNT_INT -> {
          in.expect(tag, WireReader.VARINT);
          count = unsigned(in.readVarint64());
          integer = true;
        }
        case F_COUNT_FLOAT -> {
          in.expect(tag, WireReader.FIXED64);
          count = in.readDouble();
          integer = false;
        }
        case F_SUM -> {
          in.expect(tag, WireReader.FIXED64);
          sum = in.readDouble();
        }
        case F_SCHEMA -> {
          in.expect(tag, WireReader.VARINT);
          schema = in.readSint32();
        }
        case F_ZERO_THRESHOLD -> {
          in.expect(tag, WireReader.FIXED64);
          zeroThreshold = in.readDouble();
        }
        case F_ZERO_COUNT_INT -> {
          in.expect(tag, WireReader.VARINT);
          zeroCount = unsigned(in.readVarint64());
        }
        case F_ZERO_COUNT_FLOAT -> {
          in.expect(tag, WireReader.FIXED64);
          zeroCount = in.readDouble();
        }
        case F_NEG_SPANS -> readSpan(in, tag, neg);
        case F_POS_SPANS -> readSpan(in, tag, pos);
        case F_NEG_DELTAS -> readDeltas(in, tag, neg);
        case F_POS_DELTAS -> readDeltas(in, tag, pos);
        case F_NEG_COUNTS -> readCounts(in, tag, neg);
        case F_POS_COUNTS -> readCounts(in, tag, pos);
        case F_RESET_HINT -> {
          in.expect(tag, WireReader.VARINT);
          resetHint = (int) in.readVarint64();
        }
        case F_TIMESTAMP -> {
          in.expect(tag, WireReader.VARINT);
          timestamp = in.readVarint64();
        }
        case F_CUSTOM_VALUES -> readCustom(in, tag);
        default -> in.skipField(tag);
      }
    }
    validate();
  }

  private static double unsigned(long v) {
    return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
  }

  private void validate() {
    boolean custom = schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
    if (!custom && (schema < -4 || schema > 8)) {
      problem = "invalid native histogram schema " + schema + " (valid: -4..8, or -53 for custom buckets)";
    } else if (neg.spanTotal() != neg.n) {
      problem = "negative spans cover " + neg.spanTotal() + " buckets but " + neg.n
          + " bucket counts were sent";
    } else if (pos.spanTotal() != pos.n) {
      problem = "positive spans cover " + pos.spanTotal() + " buckets but " + pos.n
          + " bucket counts were sent";
    } else if (custom && nCustom == 0) {
      problem = "native histogram with custom buckets (schema -53) has no custom_values";
    } else if (!custom && nCustom > 0) {
      problem = "custom_values are only allowed with schema -53, not " + schema;
    }
  }

  /** The histogram read last; call only when {@link #problem} is null. */
  FloatHistogram build() {
    CounterResetHint hint = switch (resetHint) {
      case 1 -> CounterResetHint.COUNTER_RESET;
      case 2 -> CounterResetHint.NOT_COUNTER_RESET;
      case 3 -> CounterResetHint.GAUGE;
      default -> CounterResetHint.UNKNOWN;
    };
    return new FloatHistogram(hint, schema, zeroThreshold, zeroCount, count, sum,
        pos.spans(), pos.absolute(integer), neg.spans(), neg.absolute(integer),
        nCustom == 0 ? null : Arrays.copyOf(custom, nCustom));
  }

  private static void readSpan(WireReader in, int tag, Buckets b) throws MalformedBodyException {
    in.expect(tag, WireReader.LENGTH_DELIMITED);
    int len = in.readLength();
    int outer = in.limit(in.pos + len);
    int offset = 0;
    long length = 0;
    while (in.more()) {
      int t = in.readTag();
      switch (t >>> 3) {
        case 1 -> {
          in.expect(t, WireReader.VARINT);
          offset = in.readSint32();
        }
        case 2 -> {
          in.expect(t, WireReader.VARINT);
          length = in.readUint32() & 0xffffffffL;
        }
        default -> in.skipField(t);
      }
    }
    in.limit(outer);
    if (length > 1_000_000) {
      throw in.malformed("bucket span of " + length + " buckets");
    }
    b.addSpan(offset, (int) length);
  }

  private static void readDeltas(WireReader in, int tag, Buckets b) throws MalformedBodyException {
    if ((tag & 7) == WireReader.LENGTH_DELIMITED) {
      int len = in.readLength();
      int outer = in.limit(in.pos + len);
      while (in.more()) {
        b.add(in.readSint64());
      }
      in.limit(outer);
    } else {
      in.expect(tag, WireReader.VARINT);
      b.add(in.readSint64());
    }
  }

  private static void readCounts(WireReader in, int tag, Buckets b) throws MalformedBodyException {
    b.floats = true;
    if ((tag & 7) == WireReader.LENGTH_DELIMITED) {
      int len = in.readLength();
      int outer = in.limit(in.pos + len);
      while (in.more()) {
        b.add(in.readDouble());
      }
      in.limit(outer);
    } else {
      in.expect(tag, WireReader.FIXED64);
      b.add(in.readDouble());
    }
  }

  private void readCustom(WireReader in, int tag) throws MalformedBodyException {
    if ((tag & 7) == WireReader.LENGTH_DELIMITED) {
      int len = in.readLength();
      int outer = in.limit(in.pos + len);
      while (in.more()) {
        addCustom(in.readDouble());
      }
      in.limit(outer);
    } else {
      in.expect(tag, WireReader.FIXED64);
      addCustom(in.readDouble());
    }
  }

  private void addCustom(double v) {
    if (nCustom == custom.length) {
      custom = Arrays.copyOf(custom, nCustom * 2);
    }
    custom[nCustom++] = v;
  }

  /** Spans and bucket values (deltas as longs or counts as doubles) of one side. */
  private static final class Buckets {
    int[] spanOffsets = new int[8];
    int[] spanLengths = new int[8];
    int nSpans;
    long[] deltas = new long[32];
    double[] counts = new double[32];
    int n;
    boolean floats;

    void clear() {
      nSpans = 0;
      n = 0;
      floats = false;
    }

    void addSpan(int offset, int length) {
      if (nSpans == spanOffsets.length) {
        spanOffsets = Arrays.copyOf(spanOffsets, nSpans * 2);
        spanLengths = Arrays.copyOf(spanLengths, nSpans * 2);
      }
      spanOffsets[nSpans] = offset;
      spanLengths[nSpans++] = length;
    }

    void add(long delta) {
      grow();
      deltas[n++] = delta;
    }

    void add(double c) {
      grow();
      counts[n++] = c;
    }

    private void grow() {
      if (n == deltas.length) {
        deltas = Arrays.copyOf(deltas, n * 2);
        counts = Arrays.copyOf(counts, n * 2);
      }
    }

    long spanTotal() {
      long t = 0;
      for (int i = 0; i < nSpans; i++) {
        t += spanLengths[i];
      }
      return t;
    }

    List<Span> spans() {
      List<Span> out = new ArrayList<>(nSpans);
      for (int i = 0; i < nSpans; i++) {
        out.add(new Span(spanOffsets[i], spanLengths[i]));
      }
      return out;
    }

    /** Absolute bucket counts: running sums of the deltas for integer histograms. */
    double[] absolute(boolean integerHistogram) {
      double[] out = new double[n];
      if (floats || !integerHistogram) {
        System.arraycopy(counts, 0, out, 0, n);
      } else {
        long acc = 0;
        for (int i = 0; i < n; i++) {
          acc += deltas[i];
          out[i] = acc;
        }
      }
      return out;
    }
  }
}
