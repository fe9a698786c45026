package dev.vigil.promql.promqltest;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramNotation;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.StringValue;
import dev.vigil.promql.value.Value;
import dev.vigil.promql.value.Vector;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares a query result with an eval's expectations, as Prometheus's runner does. */
final class ResultComparator {
  private ResultComparator() {}

  /** Null when the result matches; otherwise what differs. */
  static String compare(Command.Eval ev, Value result) {
    return switch (result) {
      case Matrix m -> compareMatrix(ev, m);
      case Vector v -> compareVector(ev, v);
      case Scalar s -> compareScalar(ev, s.v());
      case StringValue s -> s.v().equals(ev.expectedString) ? null
          : "expected string \"" + ev.expectedString + "\" but got \"" + s.v() + "\"";
    };
  }

  static String compareScalar(Command.Eval ev, double v) {
    if (!ev.expectScalar) {
      return "expected vector or matrix result, but got scalar " + ResultFormat.formatFloat(v);
    }
    SequenceValue exp = ev.expected.getFirst().values().getFirst();
    if (exp.histogram() != null) {
      return "expected histogram " + exp + " but got scalar " + ResultFormat.formatFloat(v);
    }
    return Almost.equal(exp.value(), v, Almost.DEFAULT_EPSILON) ? null
        : "expected scalar " + ResultFormat.formatFloat(exp.value()) + " but got "
            + ResultFormat.formatFloat(v);
  }

  private static Map<Labels, Command.ExpectedSeries> byLabels(Command.Eval ev) {
    Map<Labels, Command.ExpectedSeries> m = new HashMap<>();
    for (Command.ExpectedSeries e : ev.expected) {
      m.put(e.labels(), e);
    }
    return m;
  }

  static String compareVector(Command.Eval ev, Vector vec) {
    if (ev.expectScalar) {
      return "expected scalar result, but got vector " + vec.samples();
    }
    Map<Labels, Command.ExpectedSeries> expected = byLabels(ev);
    Set<Labels> seen = new HashSet<>();
    List<Sample> samples = vec.samples();
    for (int pos = 0; pos < samples.size(); pos++) {
      Sample s = samples.get(pos);
      Command.ExpectedSeries exp = expected.get(s.labels());
      if (exp == null) {
        return "unexpected metric " + s.labels() + " in result, has value "
            + (s.h() != null ? HistogramNotation.format(s.h()) : ResultFormat.formatFloat(s.f()));
      }
      if (ev.isOrdered() && exp.position() != pos + 1) {
        return "expected metric " + s.labels() + " with " + exp.values() + " at position "
            + exp.position() + " but was at " + (pos + 1);
      }
      SequenceValue e0 = exp.values().getFirst();
      FloatHistogram expH = e0.histogram();
      if (expH == null && s.h() != null) {
        return "expected float value " + e0 + " for " + s.labels() + " but got histogram "
            + HistogramNotation.format(s.h());
      }
      if (expH != null && s.h() == null) {
        return "expected histogram " + HistogramNotation.format(expH) + " for " + s.labels()
            + " but got float value " + ResultFormat.formatFloat(s.f());
      }
      if (expH != null && !HistogramNotation.matchesExpected(expH, s.h(), e0.counterResetHintSet())) {
        return "expected " + HistogramNotation.format(expH) + " for " + s.labels() + " but got "
            + HistogramNotation.format(s.h());
      }
      if (expH == null && !Almost.equal(e0.value(), s.f(), Almost.DEFAULT_EPSILON)) {
        return "expected " + ResultFormat.formatFloat(e0.value()) + " for " + s.labels()
            + " but got " + ResultFormat.formatFloat(s.f());
      }
      seen.add(s.labels());
    }
    for (Command.ExpectedSeries e : ev.expected) {
      if (!seen.contains(e.labels())) {
        return "expected metric " + e.labels() + " with " + e.values() + " not found";
      }
    }
    return null;
  }

  static String compareMatrix(Command.Eval ev, Matrix m) {
    if (ev.isOrdered()) {
      return "expected ordered result, but query returned a matrix";
    }
    if (ev.expectScalar) {
      return "expected scalar result, but got matrix " + m.series().size() + " series";
    }
    String sorted = assertSorted(m);
    if (sorted != null) {
      return sorted;
    }
    Map<Labels, Command.ExpectedSeries> expected = byLabels(ev);
    Set<Labels> seen = new HashSet<>();
    for (RangeSeries s : m.series()) {
      Command.ExpectedSeries exp = expected.get(s.labels());
      if (exp == null) {
        return "unexpected metric " + s.labels() + " in result, has " + describe(s);
      }
      seen.add(s.labels());
      int nf = 0;
      int nh = 0;
      long[] ft = new long[exp.values().size()];
      double[] fv = new double[exp.values().size()];
      long[] ht = new long[exp.values().size()];
      SequenceValue[] hv = new SequenceValue[exp.values().size()];
      for (int i = 0; i < exp.values().size(); i++) {
        long t = ev.start + i * ev.step;
        if (t > ev.end) {
          return "expected " + exp.values().size() + " points for " + s.labels()
              + ", but query time range cannot return this many points";
        }
        SequenceValue v = exp.values().get(i);
        if (v.histogram() != null) {
          ht[nh] = t;
          hv[nh++] = v;
        } else if (!v.omitted()) {
          ft[nf] = t;
          fv[nf++] = v.value();
        }
      }
      if (nf != s.floatCount() || nh != s.histogramCount()) {
        return "expected " + nf + " float points and " + nh + " histogram points for "
            + s.labels() + ", but got " + describe(s);
      }
      for (int i = 0; i < nf; i++) {
        if (ft[i] != s.floatTimestamps()[i]) {
          return "expected float value at index " + i + " for " + s.labels()
              + " to have timestamp " + ft[i] + ", but it had timestamp "
              + s.floatTimestamps()[i] + " (result has " + describe(s) + ")";
        }
        if (!Almost.equal(s.floatValues()[i], fv[i], Almost.DEFAULT_EPSILON)) {
          return "expected float value at index " + i + " (t=" + ft[i] + ") for " + s.labels()
              + " to be " + ResultFormat.formatFloat(fv[i]) + ", but got "
              + ResultFormat.formatFloat(s.floatValues()[i]) + " (result has " + describe(s) + ")";
        }
      }
      for (int i = 0; i < nh; i++) {
        if (ht[i] != s.histogramTimestamps()[i]) {
          return "expected histogram value at index " + i + " for " + s.labels()
              + " to have timestamp " + ht[i] + ", but it had timestamp "
              + s.histogramTimestamps()[i] + " (result has " + describe(s) + ")";
        }
        if (!HistogramNotation.matchesExpected(hv[i].histogram(), s.histograms()[i],
            hv[i].counterResetHintSet())) {
          return "expected histogram value at index " + i + " (t=" + ht[i] + ") for "
              + s.labels() + " to be " + HistogramNotation.format(hv[i].histogram())
              + ", but got " + HistogramNotation.format(s.histograms()[i]);
        }
      }
    }
    for (Command.ExpectedSeries e : ev.expected) {
      if (!seen.contains(e.labels())) {
        return "expected metric " + e.labels() + " not found";
      }
    }
    return null;
  }

  static String assertSorted(Matrix m) {
    List<RangeSeries> s = m.series();
    for (int i = 0; i + 1 < s.size(); i++) {
      if (s.get(i).labels().compareTo(s.get(i + 1).labels()) > 0) {
        return "matrix results should always be sorted by labels, but matrix is not sorted: "
            + "series at index " + (i + 1) + " with labels " + s.get(i + 1).labels()
            + " sorts before series at index " + i + " with labels " + s.get(i).labels();
      }
    }
    return null;
  }

  private static String describe(RangeSeries s) {
    StringBuilder sb = new StringBuilder();
    sb.append(s.floatCount()).append(" float point").append(s.floatCount() == 1 ? "" : "s").append(" [");
    for (int i = 0; i < s.floatCount(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(ResultFormat.formatFloat(s.floatValues()[i])).append(" @[")
          .append(s.floatTimestamps()[i]).append(']');
    }
    sb.append("] and ").append(s.histogramCount()).append(" histogram point")
        .append(s.histogramCount() == 1 ? "" : "s").append(" [");
    for (int i = 0; i < s.histogramCount(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(HistogramNotation.format(s.histograms()[i])).append(" @[")
          .append(s.histogramTimestamps()[i]).append(']');
    }
    return sb.append(']').toString();
  }
}
