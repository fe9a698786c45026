package dev.vigil.promql.functions;

import dev.vigil.model.histogram.ClassicBucketQuantile;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramStatistics;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.PositionRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * histogram_quantile / histogram_quantiles / histogram_fraction over classic {@code le} buckets
 * (and native histograms where the model supports it), and the native histogram accessors.
 */
final class HistogramFunctions {
  private HistogramFunctions() {}

  /** Classic buckets of one histogram: the labels without {@code le} and the bucket arrays. */
  private static final class Buckets {
    final Labels metric;
    double[] upper = new double[8];
    double[] count = new double[8];
    int n;

    Buckets(Labels metric) {
      this.metric = metric;
    }

    void add(double ub, double c) {
      if (n == upper.length) {
        upper = Arrays.copyOf(upper, n * 2);
        count = Arrays.copyOf(count, n * 2);
      }
      upper[n] = ub;
      count[n] = c;
      n++;
    }
  }

  /** Splits the input into classic bucket groups and native histogram samples (indices). */
  private static Map<Labels, Buckets> group(StepVector in, PositionRange argPos,
      FunctionContext ctx, List<Integer> natives) {
    Map<Labels, Buckets> groups = new LinkedHashMap<>();
    for (int i = 0; i < in.size; i++) {
      if (in.h[i] != null) {
        natives.add(i);
        continue;
      }
      Labels l = in.labels[i];
      String le = l.get("le");
      double ub;
      try {
        ub = parseGoFloat(le);
      } catch (NumberFormatException e) {
        ctx.annotate(Annotations.badBucketLabel(l.metricName(), le, argPos));
        continue;
      }
      Labels sig = l.without("le");
      groups.computeIfAbsent(sig, Buckets::new).add(ub, in.f[i]);
    }
    for (int k = natives.size() - 1; k >= 0; k--) {
      int i = natives.get(k);
      Buckets b = groups.get(in.labels[i]);
      if (b != null && b.n > 0) {
        ctx.annotate(Annotations.mixedClassicNative(in.labels[i].metricName(), argPos));
        groups.remove(in.labels[i]);
        natives.remove(k);
      }
    }
    return groups;
  }

  static void histogramQuantile(StepVector[] args, Call call, FunctionContext ctx,
      StepVector out) {
    if (args[0].size == 0) {
      return;
    }
    double q = args[0].f[0];
    StepVector in = args[1];
    PositionRange argPos = call.args().get(1).pos();
    if (Double.isNaN(q) || q < 0 || q > 1) {
      ctx.annotate(Annotations.invalidQuantile(q, call.args().get(0).pos()));
    }
    List<Integer> natives = new ArrayList<>();
    Map<Labels, Buckets> groups = group(in, argPos, ctx, natives);
    for (int i : natives) {
      out.add(in.labels[i], nativeQuantile(q, in.h[i], in.labels[i], argPos, ctx), null, true,
          -1);
    }
    for (Buckets b : groups.values()) {
      ClassicBucketQuantile.Result r = ClassicBucketQuantile.quantile(q, b.upper, b.count, b.n);
      if (r.forcedMonotonicity()) {
        ctx.forcedMonotonicity(ctx.delayedNameRemoval() ? b.metric.metricName() : "", argPos,
            r.minBucket(), r.maxBucket(), r.maxDiff());
      }
      out.add(b.metric, r.value(), null, true, -1);
    }
  }

  private static double nativeQuantile(double q, FloatHistogram h, Labels l, PositionRange pos,
      FunctionContext ctx) {
    HistogramStatistics.Estimate est = HistogramStatistics.quantile(q, h);
    switch (est.note()) {
      case QUANTILE_NAN_RESULT ->
          ctx.annotate(Annotations.nativeHistogramQuantileNaNResult(l.metricName(), pos));
      case QUANTILE_NAN_SKEW ->
          ctx.annotate(Annotations.nativeHistogramQuantileNaNSkew(l.metricName(), pos));
      default -> { }
    }
    return est.value();
  }

  static void histogramQuantiles(StepVector[] args, Call call, FunctionContext ctx,
      StepVector out) {
    StepVector in = args[0];
    String label = InstantFunctions.stringArg(call.args().get(1));
    int nq = args.length - 2;
    double[] qs = new double[nq];
    for (int i = 0; i < nq; i++) {
      qs[i] = args[i + 2].f[0];
      if (Double.isNaN(qs[i]) || qs[i] < 0 || qs[i] > 1) {
        ctx.annotate(Annotations.invalidQuantile(qs[i], call.args().get(i + 2).pos()));
      }
    }
    PositionRange argPos = call.args().get(0).pos();
    List<Integer> natives = new ArrayList<>();
    Map<Labels, Buckets> groups = group(in, argPos, ctx, natives);
    Map<Labels, Map<Double, Labels>> labelCache = new HashMap<>();
    for (double q : qs) {
      for (int i : natives) {
        out.add(withQuantile(labelCache, in.labels[i], label, q),
            nativeQuantile(q, in.h[i], in.labels[i], argPos, ctx), null, true, -1);
      }
      for (Buckets b : groups.values()) {
        double[] upper = Arrays.copyOf(b.upper, b.n);
        double[] count = Arrays.copyOf(b.count, b.n);
        ClassicBucketQuantile.Result r = ClassicBucketQuantile.quantile(q, upper, count, b.n);
        if (r.forcedMonotonicity()) {
          ctx.forcedMonotonicity(ctx.delayedNameRemoval() ? b.metric.metricName() : "", argPos,
              r.minBucket(), r.maxBucket(), r.maxDiff());
        }
        out.add(withQuantile(labelCache, b.metric, label, q), r.value(), null, true, -1);
      }
    }
  }

  private static Labels withQuantile(Map<Labels, Map<Double, Labels>> cache, Labels l,
      String label, double q) {
    return cache.computeIfAbsent(l, k -> new HashMap<>()).computeIfAbsent(q,
        k -> l.toBuilder().set(label, openMetricsFloat(q)).build());
  }

  /** Prometheus's labels.FormatOpenMetricsFloat: integral values get a ".0". */
  static String openMetricsFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    String s = GoFormat.g(f);
    if (f == Math.rint(f) && !s.contains("e") && !s.contains(".")) {
      s = s + ".0";
    }
    return s;
  }

  static void histogramFraction(StepVector[] args, Call call, FunctionContext ctx,
      StepVector out) {
    if (args[0].size == 0 || args[1].size == 0) {
      return;
    }
    double lower = args[0].f[0];
    double upper = args[1].f[0];
    StepVector in = args[2];
    PositionRange argPos = call.args().get(2).pos();
    List<Integer> natives = new ArrayList<>();
    Map<Labels, Buckets> groups = group(in, argPos, ctx, natives);
    for (int i : natives) {
      HistogramStatistics.Estimate est = HistogramStatistics.fraction(lower, upper, in.h[i]);
      if (est.note() == HistogramStatistics.Note.FRACTION_NAN_OBSERVATIONS) {
        ctx.annotate(Annotations.nativeHistogramFractionNaNs(in.labels[i].metricName(), argPos));
      }
      out.add(in.labels[i], est.value(), null, true, -1);
    }
    for (Buckets b : groups.values()) {
      out.add(b.metric, ClassicBucketQuantile.fraction(lower, upper, b.upper, b.count, b.n), null,
          true, -1);
    }
  }

  interface HistogramValue {
    double of(FloatHistogram h);
  }

  /** Applies {@code fn} to every histogram sample; floats are ignored. */
  static FunctionImpl.InstantFunction histogramFn(HistogramValue fn) {
    return (args, call, ctx, out) -> {
      StepVector in = args[0];
      for (int i = 0; i < in.size; i++) {
        if (in.h[i] != null) {
          out.add(in.labels[i], fn.of(in.h[i]), null, true, in.series[i]);
        }
      }
    };
  }

  /** Go's strconv.ParseFloat for label values: also accepts Inf/+Inf/-Inf/NaN spellings. */
  static double parseGoFloat(String s) {
    String t = s.trim();
    if (!t.equals(s) || t.isEmpty()) {
      throw new NumberFormatException(s);
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> {
        // Java also accepts suffixes like "d"/"f" and words Go rejects.
        char last = lower.charAt(lower.length() - 1);
        if (last == 'd' || last == 'f' || lower.contains("n")) {
          if (!lower.startsWith("0x")) {
            throw new NumberFormatException(s);
          }
        }
        if (lower.startsWith("0x") || lower.startsWith("-0x") || lower.startsWith("+0x")) {
          return Double.parseDouble(lower.contains("p") ? t : t + "p0");
        }
        return Double.parseDouble(t);
      }
    }
  }
}
