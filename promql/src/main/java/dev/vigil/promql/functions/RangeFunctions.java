package dev.vigil.promql.functions;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramAccumulator;
import dev.vigil.promql.parser.Call;

/**
 * Functions over one series' range window: {@code *_over_time}, changes, resets, regression
 * and smoothing (rates are in {@link RateFunctions}). Float semantics follow Prometheus's functions.go exactly (extrapolation, Kahan
 * sums, incremental means); histogram samples are handled where the model library supports it.
 */
final class RangeFunctions {
  private RangeFunctions() {}

  // ---- *_over_time ----

  private static boolean floatsOnly(Window w, FunctionContext ctx) {
    if (w.floatCount() == 0) {
      return false;
    }
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
    }
    return true;
  }

  static boolean avgOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    if (w.floatCount() == 0) {
      return w.histogramCount() > 0 && histogramSumOverTime(w, ctx, out, true);
    }
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.mixedFloatsHistograms(w.metricName(), w.argPos));
      return false;
    }
    double[] fv = w.fv;
    double sum = fv[w.fFrom];
    double count = 1;
    double mean = 0;
    double[] kahanC = {0};
    boolean incremental = false;
    for (int i = w.fFrom + 1; i < w.fTo; i++) {
      double f = fv[i];
      count = i - w.fFrom + 1;
      if (!incremental) {
        double[] c2 = {kahanC[0]};
        double newSum = Quantiles.kahanInc(f, sum, c2);
        if (!Double.isInfinite(newSum)) {
          sum = newSum;
          kahanC[0] = c2[0];
          continue;
        }
        incremental = true;
        mean = sum / (count - 1);
        kahanC[0] /= (count - 1);
      }
      double q = (count - 1) / count;
      kahanC[0] = q * kahanC[0];
      mean = Quantiles.kahanInc(f / count, q * mean, kahanC);
    }
    if (incremental) {
      return out.setFloat(mean + kahanC[0]);
    }
    return out.setFloat(sum / count + kahanC[0] / count);
  }

  static boolean sumOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    if (w.floatCount() == 0) {
      return w.histogramCount() > 0 && histogramSumOverTime(w, ctx, out, false);
    }
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.mixedFloatsHistograms(w.metricName(), w.argPos));
      return false;
    }
    double sum = 0;
    double[] comp = {0};
    for (int i = w.fFrom; i < w.fTo; i++) {
      sum = Quantiles.kahanInc(w.fv[i], sum, comp);
    }
    if (Double.isInfinite(sum)) {
      return out.setFloat(sum);
    }
    return out.setFloat(sum + comp[0]);
  }

  private static boolean histogramSumOverTime(Window w, FunctionContext ctx, RangeOut out,
      boolean average) {
    HistogramAccumulator acc = average ? null : HistogramAccumulator.kahan();
    HistogramMean mean = average ? new HistogramMean() : null;
    boolean resetSeen = false;
    boolean notResetSeen = false;
    for (int i = w.hFrom; i < w.hTo; i++) {
      FloatHistogram h = w.hv[i];
      if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
        resetSeen = true;
      } else if (h.counterResetHint() == CounterResetHint.NOT_COUNTER_RESET) {
        notResetSeen = true;
      }
      boolean ok;
      if (average) {
        ok = mean.add(h);
      } else if (i == w.hFrom) {
        acc.set(h);
        ok = true;
      } else {
        ok = acc.add(h);
      }
      if (!ok) {
        ctx.annotate(Annotations.mixedExponentialCustom(w.metricName(), w.argPos));
        return false;
      }
    }
    if (resetSeen && notResetSeen) {
      ctx.annotate(Annotations.counterResetCollision("aggregation", w.argPos));
    }
    if (average ? mean.customBoundsReconciled() : acc.customBoundsReconciled()) {
      ctx.annotate(Annotations.mismatchedCustomBuckets("aggregation", w.argPos));
    }
    return out.setHistogram(average ? mean.result() : acc.build(true));
  }

  static boolean countOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    int n = w.floatCount() + w.histogramCount();
    return n > 0 && out.setFloat(n);
  }

  static boolean presentOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    return w.floatCount() + w.histogramCount() > 0 && out.setFloat(1);
  }

  static boolean absentOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    return w.floatCount() + w.histogramCount() > 0 && out.setFloat(1);
  }

  static boolean maxOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return compareOverTime(w, ctx, out, 0, false);
  }

  static boolean minOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return compareOverTime(w, ctx, out, 1, false);
  }

  static boolean tsOfMaxOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    return compareOverTime(w, ctx, out, 2, true);
  }

  static boolean tsOfMinOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    return compareOverTime(w, ctx, out, 3, true);
  }

  /** mode: 0 max (strict), 1 min (strict), 2 max (last wins ties), 3 min (last wins ties). */
  private static boolean compareOverTime(Window w, FunctionContext ctx, RangeOut out, int mode,
      boolean returnTimestamp) {
    if (!floatsOnly(w, ctx)) {
      return false;
    }
    double best = w.fv[w.fFrom];
    long bestT = w.ft[w.fFrom];
    for (int i = w.fFrom; i < w.fTo; i++) {
      double cur = w.fv[i];
      boolean take = switch (mode) {
        case 0 -> cur > best || Double.isNaN(best);
        case 1 -> cur < best || Double.isNaN(best);
        case 2 -> cur >= best || Double.isNaN(best);
        default -> cur <= best || Double.isNaN(best);
      };
      if (take) {
        best = cur;
        bestT = w.ft[i];
      }
    }
    return out.setFloat(returnTimestamp ? bestT / 1000.0 : best);
  }

  static boolean quantileOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    double q = a[0];
    if (w.floatCount() == 0) {
      return false;
    }
    if (Double.isNaN(q) || q < 0 || q > 1) {
      ctx.annotate(Annotations.invalidQuantile(q, c.args().get(0).pos()));
    }
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
    }
    int n = w.floatCount();
    double[] values = new double[n];
    System.arraycopy(w.fv, w.fFrom, values, 0, n);
    return out.setFloat(Quantiles.quantile(q, values, n));
  }

  static boolean madOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    if (!floatsOnly(w, ctx)) {
      return false;
    }
    int n = w.floatCount();
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      double v = w.fv[w.fFrom + i];
      if (Double.isNaN(v)) {
        return out.setFloat(Double.NaN);
      }
      values[i] = v;
    }
    double median = Quantiles.quantile(0.5, values, n);
    for (int i = 0; i < n; i++) {
      values[i] = Math.abs(values[i] - median);
    }
    return out.setFloat(Quantiles.quantile(0.5, values, n));
  }

  static boolean stddevOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    return variance(w, ctx, out, true);
  }

  static boolean stdvarOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    return variance(w, ctx, out, false);
  }

  private static boolean variance(Window w, FunctionContext ctx, RangeOut out, boolean sqrt) {
    if (!floatsOnly(w, ctx)) {
      return false;
    }
    double count = 0;
    double mean = 0;
    double[] cMean = {0};
    double aux = 0;
    double[] cAux = {0};
    for (int i = w.fFrom; i < w.fTo; i++) {
      double f = w.fv[i];
      count++;
      double delta = f - (mean + cMean[0]);
      mean = Quantiles.kahanInc(delta / count, mean, cMean);
      aux = Quantiles.kahanInc(delta * (f - (mean + cMean[0])), aux, cAux);
    }
    double variance = (aux + cAux[0]) / count;
    return out.setFloat(sqrt ? Math.sqrt(variance) : variance);
  }

  static boolean lastOverTime(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    int nf = w.floatCount();
    int nh = w.histogramCount();
    if (nf == 0 && nh == 0) {
      return false;
    }
    if (nh == 0 || (nf > 0 && w.ft[w.fTo - 1] > w.ht[w.hTo - 1])) {
      return out.setFloat(w.fv[w.fTo - 1]);
    }
    return out.setHistogram(w.hv[w.hTo - 1]);
  }

  static boolean firstOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    int nf = w.floatCount();
    int nh = w.histogramCount();
    if (nf == 0 && nh == 0) {
      return false;
    }
    if (nh == 0 || (nf > 0 && w.ft[w.fFrom] < w.ht[w.hFrom])) {
      return out.setFloat(w.fv[w.fFrom]);
    }
    return out.setHistogram(w.hv[w.hFrom]);
  }

  static boolean tsOfLastOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    long tf = w.floatCount() > 0 ? w.ft[w.fTo - 1] : 0;
    long th = w.histogramCount() > 0 ? w.ht[w.hTo - 1] : 0;
    if (w.floatCount() + w.histogramCount() == 0) {
      return false;
    }
    return out.setFloat(Math.max(tf, th) / 1000.0);
  }

  static boolean tsOfFirstOverTime(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    long tf = w.floatCount() > 0 ? w.ft[w.fFrom] : Long.MAX_VALUE;
    long th = w.histogramCount() > 0 ? w.ht[w.hFrom] : Long.MAX_VALUE;
    if (w.floatCount() + w.histogramCount() == 0) {
      return false;
    }
    return out.setFloat(Math.min(tf, th) / 1000.0);
  }

  // ---- changes, resets ----

  /**
   * Start indices for changes/resets: for anchored windows the last sample at or before the
   * range start is included; returns null when there is nothing to evaluate.
   */
  private static int[] firstIndices(Window w) {
    if (!w.anchored) {
      return new int[] {w.fFrom, w.hFrom};
    }
    int lastFloatLe = RateFunctions.searchGreater(w.ft, w.fFrom, w.fTo, w.rangeStart) - 1;
    int lastHistLe = w.ht == null ? w.hFrom - 1
        : RateFunctions.searchGreater(w.ht, w.hFrom, w.hTo, w.rangeStart) - 1;
    if (lastFloatLe + 1 >= w.fTo && lastHistLe + 1 >= w.hTo) {
      return null;
    }
    boolean noFloat = lastFloatLe < w.fFrom;
    boolean noHist = lastHistLe < w.hFrom;
    if (noFloat && noHist) {
      return new int[] {w.fFrom, w.hFrom};
    }
    if (noHist || (!noFloat && w.ft[lastFloatLe] >= w.ht[lastHistLe])) {
      return new int[] {lastFloatLe, lastHistLe + 1};
    }
    return new int[] {lastFloatLe + 1, lastHistLe};
  }

  static boolean changes(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return changesOrResets(w, out, false);
  }

  static boolean resets(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return changesOrResets(w, out, true);
  }

  private static boolean changesOrResets(Window w, RangeOut out, boolean resets) {
    if (w.floatCount() + w.histogramCount() == 0) {
      return false;
    }
    int[] first = firstIndices(w);
    if (first == null) {
      return false;
    }
    int fi = first[0];
    int hi = first[1];
    int count = 0;
    boolean havePrev = false;
    double prevF = 0;
    FloatHistogram prevH = null;
    long prevT = 0;
    long prevSt = 0;
    while (fi < w.fTo || hi < w.hTo) {
      double curF = 0;
      FloatHistogram curH = null;
      long curT;
      long curSt;
      if (hi >= w.hTo || (fi < w.fTo && w.ft[fi] < w.ht[hi])) {
        curT = w.ft[fi];
        curSt = w.floatStart(fi);
        curF = w.fv[fi++];
      } else {
        curT = w.ht[hi];
        curSt = w.histogramStart(hi);
        curH = w.hv[hi++];
      }
      if (havePrev) {
        boolean startReset = resets && StartTimestamps.isReset(prevSt, prevT, curSt, curT);
        if (prevH == null && curH == null) {
          if (resets) {
            if (curF < prevF || startReset) {
              count++;
            }
          } else if (curF != prevF && !(Double.isNaN(curF) && Double.isNaN(prevF))) {
            count++;
          }
        } else if (prevH == null || curH == null) {
          count++;
        } else if (resets ? startReset || curH.detectReset(prevH)
            : !sameHistogram(curH, prevH)) {
          count++;
        }
      }
      havePrev = true;
      prevF = curF;
      prevH = curH;
      prevT = curT;
      prevSt = curSt;
    }
    return out.setFloat(count);
  }

  /** Prometheus's FloatHistogram.Equals: everything but the counter reset hint. */
  static boolean sameHistogram(FloatHistogram a, FloatHistogram b) {
    return a.equalsExact(b);
  }

  // ---- regression, smoothing ----

  /** Least-squares slope and intercept (at {@code interceptTime}) of the window's floats. */
  static double[] linearRegression(Window w, long interceptTime) {
    double n = 0;
    double sumX = 0;
    double[] cX = {0};
    double sumY = 0;
    double[] cY = {0};
    double sumXY = 0;
    double[] cXY = {0};
    double sumX2 = 0;
    double[] cX2 = {0};
    double initY = w.fv[w.fFrom];
    boolean constY = true;
    for (int i = w.fFrom; i < w.fTo; i++) {
      double y = w.fv[i];
      if (constY && i > w.fFrom && y != initY) {
        constY = false;
      }
      n += 1.0;
      double x = (w.ft[i] - interceptTime) / 1e3;
      sumX = Quantiles.kahanInc(x, sumX, cX);
      sumY = Quantiles.kahanInc(y, sumY, cY);
      sumXY = Quantiles.kahanInc(x * y, sumXY, cXY);
      sumX2 = Quantiles.kahanInc(x * x, sumX2, cX2);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    sumX += cX[0];
    sumY += cY[0];
    sumXY += cXY[0];
    sumX2 += cX2[0];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }

  static boolean deriv(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    if (w.floatCount() < 2) {
      if (w.floatCount() == 1 && w.histogramCount() > 0) {
        ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
      }
      return false;
    }
    double[] r = linearRegression(w, w.ft[w.fFrom]);
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
    }
    return out.setFloat(r[0]);
  }

  static boolean predictLinear(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    double duration = a[0];
    if (w.floatCount() < 2) {
      if (w.floatCount() == 1 && w.histogramCount() > 0) {
        ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
      }
      return false;
    }
    double[] r = linearRegression(w, w.ts);
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
    }
    return out.setFloat(r[0] * duration + r[1]);
  }

  static boolean doubleExponentialSmoothing(Window w, double[] a, Call c, FunctionContext ctx,
      RangeOut out) {
    double sf = a[0];
    double tf = a[1];
    if (sf <= 0 || sf >= 1) {
      throw new FunctionException("invalid smoothing factor. Expected: 0 < sf < 1, got: "
          + String.format(java.util.Locale.ROOT, "%f", sf));
    }
    if (tf <= 0 || tf >= 1) {
      throw new FunctionException("invalid trend factor. Expected: 0 < tf < 1, got: "
          + String.format(java.util.Locale.ROOT, "%f", tf));
    }
    int l = w.floatCount();
    if (l < 2) {
      if (l == 1 && w.histogramCount() > 0) {
        ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
      }
      return false;
    }
    double[] fv = w.fv;
    int base = w.fFrom;
    double s0 = 0;
    double s1 = fv[base];
    double b = fv[base + 1] - fv[base];
    for (int i = 1; i < l; i++) {
      double x = sf * fv[base + i];
      b = i - 1 == 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    if (w.histogramCount() > 0) {
      ctx.annotate(Annotations.histogramIgnoredInMixedRange(w.metricName(), w.argPos));
    }
    return out.setFloat(s1);
  }
}
