package dev.vigil.promql.functions;

import dev.vigil.model.histogram.CombineResult;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramAccumulator;
import dev.vigil.model.histogram.IncompatibleHistogramsException;
import dev.vigil.promql.parser.Call;
import java.util.List;

/**
 * rate, increase, delta, irate and idelta, for floats and native histograms, including the
 * anchored/smoothed variants: Prometheus's extrapolation rules (extrapolate to the window edge
 * when the first/last sample is within 110% of the average spacing, else by half a spacing;
 * never below zero for counters) and counter-reset correction.
 */
final class RateFunctions {
  private RateFunctions() {}

  // ---- rate, increase, delta ----

  static boolean rate(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return extrapolatedRate(w, ctx, true, true, out);
  }

  static boolean increase(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return extrapolatedRate(w, ctx, true, false, out);
  }

  static boolean delta(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return extrapolatedRate(w, ctx, false, false, out);
  }

  private static boolean extrapolatedRate(Window w, FunctionContext ctx, boolean isCounter,
      boolean isRate, RangeOut out) {
    int nf = w.floatCount();
    int nh = w.histogramCount();
    if (nf > 0 && nh > 0) {
      ctx.annotate(Annotations.mixedFloatsHistograms(w.metricName(), w.argPos));
      return false;
    }
    if (w.anchored || w.smoothed) {
      if (nh > 0) {
        return extendedHistogramRate(w, ctx, isCounter, isRate, out);
      }
      return nf > 0 && extendedRate(w, isCounter, isRate, out);
    }
    if (nh > 0) {
      return histogramExtrapolatedRate(w, ctx, isCounter, isRate, out);
    }
    if (nf == 0) {
      return false;
    }
    long[] ft = w.ft;
    double[] fv = w.fv;
    int first = w.fFrom;
    int last = w.fTo - 1;
    long firstT = ft[first];
    long lastT = ft[last];
    double result = fv[last] - fv[first];
    if (isCounter && w.fst != null) {
      result += startAwareCorrection(w, ctx, first, last);
    } else if (isCounter && resetsBetween(w, first, last)) {
      // The prefix count of drops lets windows without a counter reset skip the correction
      // loop; with one, the loop adds exactly as Prometheus does (same order, same rounding).
      double prev = fv[first];
      for (int i = first + 1; i <= last; i++) {
        double cur = fv[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    long firstSt = w.floatStart(first);
    boolean zeroAtStart = isCounter && startsInside(firstSt, w.rangeStart, firstT);
    if (zeroAtStart) {
      // A zero sample at the first sample's start stands in for extrapolation to the left.
      result += fv[first];
    }
    if (!zeroAtStart && last == first) {
      return false;
    }
    double factor = extrapolationFactor(w, firstT, lastT, last - first,
        zeroAtStart ? firstSt : NO_ZERO_START, isCounter, isRate, fv[first], result);
    return out.setFloat(result * factor);
  }

  /** {@link #extrapolationFactor}'s zeroStart when no start timestamp lies inside the window. */
  private static final long NO_ZERO_START = Long.MIN_VALUE;

  /**
   * Prometheus's extrapolation of a window's increase to the window edges, as the factor to
   * multiply the increase by (divided by the range for rate). Needs two samples, or one and a
   * start timestamp inside the window.
   *
   * @param zeroStart a start timestamp inside the window where the counter counts as zero (the
   *     caller has already added the first sample to the increase), or {@link #NO_ZERO_START}
   * @param firstValue the first sample's value (a histogram's count), which bounds counter
   *     extrapolation to the left at the counter's zero point
   * @param increase the increase over the window (a histogram's count)
   */
  private static double extrapolationFactor(Window w, long firstT, long lastT,
      int numSamplesMinusOne, long zeroStart, boolean isCounter, boolean isRate,
      double firstValue, double increase) {
    double durationToStart = (firstT - w.rangeStart) / 1000.0;
    double durationToEnd = (w.rangeEnd - lastT) / 1000.0;
    double sampledInterval = (lastT - firstT) / 1000.0;
    double averageDurationBetweenSamples =
        numSamplesMinusOne > 0 ? sampledInterval / numSamplesMinusOne : 0;
    double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
    if (zeroStart != NO_ZERO_START) {
      durationToStart = 0;
      sampledInterval = (lastT - zeroStart) / 1000.0;
    } else {
      if (durationToStart >= extrapolationThreshold) {
        durationToStart = averageDurationBetweenSamples / 2;
      }
      if (isCounter) {
        double durationToZero = durationToStart;
        if (increase > 0 && firstValue >= 0) {
          durationToZero = sampledInterval * (firstValue / increase);
        }
        if (durationToZero < durationToStart) {
          durationToStart = durationToZero;
        }
      }
    }
    if (durationToEnd >= extrapolationThreshold) {
      durationToEnd = averageDurationBetweenSamples / 2;
    }
    double factor = 1.0;
    if (sampledInterval != 0) {
      factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
    }
    if (isRate) {
      factor /= w.rangeSeconds();
    }
    return factor;
  }

  /**
   * Whether a start timestamp points inside the window before its first sample ({@code
   * rangeStart} is exclusive), so the counter can be taken as zero there.
   */
  private static boolean startsInside(long st, long rangeStart, long firstT) {
    return st != 0 && st > rangeStart && st < firstT;
  }

  /**
   * The counter-reset correction of floats [first, last] when start timestamps are known: a
   * drop or a start-timestamp reset adds the previous value. Warns once per series about an
   * overlapping start timestamp.
   */
  private static double startAwareCorrection(Window w, FunctionContext ctx, int first,
      int last) {
    double correction = 0;
    boolean overlap = false;
    for (int i = first + 1; i <= last; i++) {
      long prevSt = w.fst[i - 1];
      long prevT = w.ft[i - 1];
      long st = w.fst[i];
      if (!overlap && StartTimestamps.overlaps(prevSt, prevT, st)) {
        ctx.annotate(Annotations.startTimeOverlap(w.metricName(), w.argPos));
        overlap = true;
      }
      if (w.fv[i] < w.fv[i - 1] || StartTimestamps.isReset(prevSt, prevT, st, w.ft[i])) {
        correction += w.fv[i - 1];
      }
    }
    return correction;
  }

  private static boolean histogramExtrapolatedRate(Window w, FunctionContext ctx,
      boolean isCounter, boolean isRate, RangeOut out) {
    int first = w.hFrom;
    int last = w.hTo - 1;
    FloatHistogram result = null;
    if (last > first) {
      result = histogramRate(w, ctx, isCounter);
      if (result == null) {
        return false;
      }
    }
    long firstT = w.ht[first];
    long lastT = w.ht[last];
    long firstSt = w.histogramStart(first);
    boolean zeroAtStart = isCounter && startsInside(firstSt, w.rangeStart, firstT);
    if (zeroAtStart) {
      if (result == null) {
        result = w.hv[first];
      } else {
        try {
          CombineResult r = result.add(w.hv[first]);
          if (r.customBoundsReconciled()) {
            ctx.annotate(Annotations.mismatchedCustomBuckets("addition", w.argPos));
          }
          result = r.histogram();
        } catch (IncompatibleHistogramsException e) {
          ctx.annotate(Annotations.mixedExponentialCustom(w.metricName(), w.argPos));
          return false;
        }
      }
    }
    if (!zeroAtStart && last == first) {
      return false;
    }
    double factor = extrapolationFactor(w, firstT, lastT, last - first,
        zeroAtStart ? firstSt : NO_ZERO_START, isCounter, isRate, w.hv[first].count(),
        result.count());
    return out.setHistogram(result.mul(factor));
  }

  /** Whether any float sample in (first, last] is lower than its predecessor. */
  private static boolean resetsBetween(Window w, int first, int last) {
    if (w.scratchGeneration != w.seriesGeneration) {
      int n = w.seriesFloatCount;
      int[] pre = w.seriesScratch;
      if (pre == null || pre.length < n) {
        pre = new int[Math.max(n, 16)];
        w.seriesScratch = pre;
      }
      double[] fv = w.fv;
      int drops = 0;
      if (n > 0) {
        pre[0] = 0;
      }
      for (int i = 1; i < n; i++) {
        if (fv[i] < fv[i - 1]) {
          drops++;
        }
        pre[i] = drops;
      }
      w.scratchGeneration = w.seriesGeneration;
    }
    return w.seriesScratch[last] != w.seriesScratch[first];
  }

  /** Prometheus's histogramRate: last - first, corrected for counter resets. */
  private static FloatHistogram histogramRate(Window w, FunctionContext ctx, boolean isCounter) {
    FloatHistogram[] hv = w.hv;
    int from = w.hFrom;
    int to = w.hTo;
    FloatHistogram prev = hv[from];
    boolean custom = prev.usesCustomBuckets();
    FloatHistogram last = hv[to - 1];
    String name = w.metricName();
    if (isCounter && (prev.counterResetHint() == CounterResetHint.GAUGE
        || last.counterResetHint() == CounterResetHint.GAUGE)) {
      ctx.annotate(Annotations.nativeHistogramNotCounter(name, w.argPos));
    }
    if (isCounter) {
      FloatHistogram second = hv[from + 1];
      if (StartTimestamps.isReset(w.histogramStart(from), w.ht[from],
          w.histogramStart(from + 1), w.ht[from + 1]) || second.detectReset(prev)) {
        prev = emptyLike(second);
        custom = second.usesCustomBuckets();
      }
    }
    if (last.usesCustomBuckets() != custom) {
      ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
      return null;
    }
    int minSchema = Math.min(last.schema(), prev.schema());
    for (int i = from + 1; i < to - 1; i++) {
      FloatHistogram cur = hv[i];
      if (!isCounter) {
        continue;
      }
      if (cur.counterResetHint() == CounterResetHint.GAUGE) {
        ctx.annotate(Annotations.nativeHistogramNotCounter(name, w.argPos));
      }
      minSchema = Math.min(minSchema, cur.schema());
      if (cur.usesCustomBuckets() != custom) {
        ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
        return null;
      }
    }
    HistogramAccumulator acc = HistogramAccumulator.plain();
    acc.set(last.usesCustomBuckets() ? last : last.copyToSchema(minSchema));
    if (!acc.sub(prev)) {
      ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
      return null;
    }
    boolean reconciled = acc.customBoundsReconciled();
    if (isCounter) {
      FloatHistogram p = prev;
      boolean overlap = false;
      for (int i = from + 1; i < to; i++) {
        FloatHistogram cur = hv[i];
        long prevSt = w.histogramStart(i - 1);
        long st = w.histogramStart(i);
        if (!overlap && StartTimestamps.overlaps(prevSt, w.ht[i - 1], st)) {
          ctx.annotate(Annotations.startTimeOverlap(name, w.argPos));
          overlap = true;
        }
        if (StartTimestamps.isReset(prevSt, w.ht[i - 1], st, w.ht[i]) || cur.detectReset(p)) {
          if (!acc.add(p)) {
            ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
            return null;
          }
        }
        p = cur;
      }
    } else if (hv[from].counterResetHint() != CounterResetHint.GAUGE
        || last.counterResetHint() != CounterResetHint.GAUGE) {
      ctx.annotate(Annotations.nativeHistogramNotGauge(name, w.argPos));
    }
    if (reconciled) {
      ctx.annotate(Annotations.mismatchedCustomBuckets("subtraction", w.argPos));
    }
    acc.counterResetHint(CounterResetHint.GAUGE);
    return acc.build(true);
  }

  static FloatHistogram emptyLike(FloatHistogram h) {
    return new FloatHistogram(CounterResetHint.UNKNOWN, h.schema(), 0, 0, 0, 0, List.of(),
        new double[0], List.of(), new double[0], h.customValues());
  }

  /** Thrown inside the extended histogram rate when histograms cannot be combined. */
  private static final class Incompatible extends RuntimeException {
    Incompatible() {
      super(null, null, false, false);
    }
  }

  /** h1 + (h2 - h1) * fraction at t; for counters a reset restarts from zero. */
  public static FloatHistogram interpolateHistograms(FloatHistogram h1, long t1,
      FloatHistogram h2, long t2, long t, boolean isCounter, FunctionContext ctx,
      dev.vigil.promql.parser.PositionRange pos) {
    if (t == t1) {
      return h1;
    }
    if (t == t2) {
      return h2;
    }
    double fraction = (double) (t - t1) / (double) (t2 - t1);
    if (isCounter && h2.detectReset(h1)) {
      return h2.mul(fraction);
    }
    CombineResult d;
    try {
      d = h2.sub(h1);
    } catch (IncompatibleHistogramsException e) {
      throw new Incompatible();
    }
    if (d.customBoundsReconciled()) {
      ctx.annotate(Annotations.mismatchedCustomBuckets("subtraction", pos));
    }
    CombineResult r;
    try {
      r = d.histogram().mul(fraction).add(h1);
    } catch (IncompatibleHistogramsException e) {
      throw new Incompatible();
    }
    if (r.customBoundsReconciled()) {
      ctx.annotate(Annotations.mismatchedCustomBuckets("addition", pos));
    }
    return r.histogram().withCounterResetHint(h2.counterResetHint());
  }

  private static FloatHistogram addOrFail(FloatHistogram a, FloatHistogram b, FunctionContext ctx,
      dev.vigil.promql.parser.PositionRange pos, boolean sub) {
    CombineResult r;
    try {
      r = sub ? a.sub(b) : a.add(b);
    } catch (IncompatibleHistogramsException e) {
      throw new Incompatible();
    }
    if (r.customBoundsReconciled()) {
      ctx.annotate(Annotations.mismatchedCustomBuckets(sub ? "subtraction" : "addition", pos));
    }
    return r.histogram();
  }

  /** Prometheus's extendedHistogramRate: anchored/smoothed rate over native histograms. */
  private static boolean extendedHistogramRate(Window w, FunctionContext ctx, boolean isCounter,
      boolean isRate, RangeOut out) {
    long[] ht = w.ht;
    FloatHistogram[] hv = w.hv;
    int base = w.hFrom;
    int lastIdx = w.hTo - base - 1;
    long rangeStart = w.rangeStart;
    long rangeEnd = w.rangeEnd;
    String name = w.metricName();
    int firstIdx = Math.max(0, searchGreater(ht, base, base + lastIdx, rangeStart) - base - 1);
    if (w.smoothed) {
      lastIdx = searchGreaterOrEqual(ht, base, base + lastIdx, rangeEnd) - base;
    }
    if (ht[base + lastIdx] <= rangeStart) {
      return false;
    }
    if (w.smoothed && ht[base + firstIdx] > rangeEnd) {
      return false;
    }
    boolean custom = hv[base + firstIdx].usesCustomBuckets();
    for (int i = firstIdx; i <= lastIdx; i++) {
      FloatHistogram h = hv[base + i];
      if (h.usesCustomBuckets() != custom) {
        ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
        return false;
      }
      if (isCounter && h.counterResetHint() == CounterResetHint.GAUGE) {
        ctx.annotate(Annotations.nativeHistogramNotCounter(name, w.argPos));
      }
    }
    try {
      FloatHistogram left = w.smoothed && ht[base + firstIdx] < rangeStart
          ? interpolateHistograms(hv[base + firstIdx], ht[base + firstIdx],
              hv[base + firstIdx + 1], ht[base + firstIdx + 1], rangeStart, isCounter, ctx,
              w.argPos)
          : hv[base + firstIdx];
      FloatHistogram right = w.smoothed && lastIdx > 0 && ht[base + lastIdx] > rangeEnd
          ? interpolateHistograms(hv[base + lastIdx - 1], ht[base + lastIdx - 1],
              hv[base + lastIdx], ht[base + lastIdx], rangeEnd, isCounter, ctx, w.argPos)
          : hv[base + lastIdx];
      if (!isCounter && (left.counterResetHint() != CounterResetHint.GAUGE
          || right.counterResetHint() != CounterResetHint.GAUGE)) {
        ctx.annotate(Annotations.nativeHistogramNotGauge(name, w.argPos));
      }
      FloatHistogram result = addOrFail(right, left, ctx, w.argPos, true);
      if (isCounter) {
        int first = firstIdx + 1;
        FloatHistogram prev = left;
        if (w.smoothed && ht[base + firstIdx] < rangeStart
            && hv[base + firstIdx + 1].detectReset(hv[base + firstIdx])) {
          prev = hv[base + firstIdx + 1];
          first++;
        }
        int last = lastIdx - 1;
        FloatHistogram correction = null;
        if (first <= last + 1) {
          for (int i = first; i <= last; i++) {
            FloatHistogram p = hv[base + i];
            if (p.detectReset(prev)) {
              correction = correction == null ? prev
                  : addOrFail(correction, prev, ctx, w.argPos, false);
            }
            prev = p;
          }
          if (right.detectReset(prev)) {
            correction = correction == null ? prev
                : addOrFail(correction, prev, ctx, w.argPos, false);
          }
        }
        if (correction != null) {
          result = addOrFail(result, correction, ctx, w.argPos, false);
        }
      }
      if (isRate) {
        result = result.div(w.rangeSeconds());
      }
      return out.setHistogram(result.withCounterResetHint(CounterResetHint.GAUGE).compact(0));
    } catch (Incompatible e) {
      ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
      return false;
    }
  }

  /** rate/increase/delta over anchored or smoothed windows: no extrapolation, boundary values. */
  private static boolean extendedRate(Window w, boolean isCounter, boolean isRate, RangeOut out) {
    long[] ft = w.ft;
    double[] fv = w.fv;
    int from = w.fFrom;
    int n = w.fTo - from;
    int lastIdx = n - 1; // relative indices
    long rangeStart = w.rangeStart;
    long rangeEnd = w.rangeEnd;
    int firstIdx = Math.max(0, searchGreater(ft, from, from + lastIdx, rangeStart) - from - 1);
    if (w.smoothed) {
      lastIdx = searchGreaterOrEqual(ft, from, from + lastIdx, rangeEnd) - from;
    }
    if (ft[from + lastIdx] <= rangeStart) {
      return false;
    }
    if (w.smoothed && ft[from + firstIdx] > rangeEnd) {
      return false;
    }
    double left = pickLeft(ft, fv, from, firstIdx, rangeStart, w.smoothed, isCounter);
    double right = pickRight(ft, fv, from, lastIdx, rangeEnd, w.smoothed, isCounter);
    double result = right - left;
    if (isCounter) {
      if (ft[from + firstIdx] <= rangeStart) {
        firstIdx++;
      }
      if (ft[from + lastIdx] >= rangeEnd) {
        lastIdx--;
      }
      double correction = 0;
      double prev = left;
      for (int i = firstIdx; i <= lastIdx; i++) {
        double v = fv[from + i];
        if (v < prev) {
          correction += prev;
        }
        prev = v;
      }
      if (right < prev) {
        correction += prev;
      }
      result += correction;
    }
    if (isRate) {
      result /= w.rangeSeconds();
    }
    return out.setFloat(result);
  }

  /** First index in [from, to) whose timestamp is > t (Go's sort.Search over n = to - from). */
  static int searchGreater(long[] ts, int from, int to, long t) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] > t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static int searchGreaterOrEqual(long[] ts, int from, int to, long t) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] >= t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double pickLeft(long[] ft, double[] fv, int base, int first, long rangeStart,
      boolean smoothed, boolean isCounter) {
    if (smoothed && ft[base + first] < rangeStart) {
      return interpolate(ft[base + first], fv[base + first], ft[base + first + 1],
          fv[base + first + 1], rangeStart, isCounter);
    }
    return fv[base + first];
  }

  static double pickRight(long[] ft, double[] fv, int base, int last, long rangeEnd,
      boolean smoothed, boolean isCounter) {
    if (smoothed && last > 0 && ft[base + last] > rangeEnd) {
      return interpolate(ft[base + last - 1], fv[base + last - 1], ft[base + last],
          fv[base + last], rangeEnd, isCounter);
    }
    return fv[base + last];
  }

  /** Linear interpolation; for counters a drop is modelled as a restart from zero. */
  public static double interpolate(long t1, double y1, long t2, double y2, long t,
      boolean isCounter) {
    if (isCounter && y2 < y1) {
      y1 = 0;
    }
    return y1 + (y2 - y1) * (double) (t - t1) / (double) (t2 - t1);
  }

  // ---- irate, idelta ----

  static boolean irate(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return instantValue(w, ctx, true, out);
  }

  static boolean idelta(Window w, double[] a, Call c, FunctionContext ctx, RangeOut out) {
    return instantValue(w, ctx, false, out);
  }

  private static boolean instantValue(Window w, FunctionContext ctx, boolean isRate,
      RangeOut out) {
    int nf = w.floatCount();
    int nh = w.histogramCount();
    if (nf + nh < 2) {
      return false;
    }
    // The last two samples overall, whichever kind they are.
    long t0;
    long t1;
    boolean h0;
    boolean h1;
    double f0 = 0;
    double f1 = 0;
    int fi = w.fTo - 1;
    int hi = w.hTo - 1;
    // pick latest
    long st0;
    long st1;
    boolean takeH = hi >= w.hFrom && (fi < w.fFrom || w.ht[hi] > w.ft[fi]);
    if (takeH) {
      st1 = w.histogramStart(hi);
      t1 = w.ht[hi--];
      h1 = true;
    } else {
      st1 = w.floatStart(fi);
      t1 = w.ft[fi];
      f1 = w.fv[fi--];
      h1 = false;
    }
    takeH = hi >= w.hFrom && (fi < w.fFrom || w.ht[hi] > w.ft[fi]);
    if (takeH) {
      st0 = w.histogramStart(hi);
      t0 = w.ht[hi];
      h0 = true;
    } else {
      st0 = w.floatStart(fi);
      t0 = w.ft[fi];
      f0 = w.fv[fi];
      h0 = false;
    }
    boolean startReset = StartTimestamps.isReset(st0, t0, st1, t1);
    long sampledInterval = t1 - t0;
    if (sampledInterval == 0) {
      return false;
    }
    if (h0 != h1) {
      ctx.annotate(Annotations.mixedFloatsHistograms(w.metricName(), w.argPos));
      return false;
    }
    if (h0) {
      FloatHistogram b = w.hv[hi];
      FloatHistogram a = w.hv[w.hTo - 1];
      String name = w.metricName();
      if (isRate && (a.counterResetHint() == CounterResetHint.GAUGE
          || b.counterResetHint() == CounterResetHint.GAUGE)) {
        ctx.annotate(Annotations.nativeHistogramNotCounter(name, w.argPos));
      }
      if (!isRate && (a.counterResetHint() != CounterResetHint.GAUGE
          || b.counterResetHint() != CounterResetHint.GAUGE)) {
        ctx.annotate(Annotations.nativeHistogramNotGauge(name, w.argPos));
      }
      FloatHistogram res = a;
      if (!isRate || (!startReset && !a.detectReset(b))) {
        try {
          CombineResult cr = a.sub(b);
          res = cr.histogram();
          if (cr.customBoundsReconciled()) {
            ctx.annotate(Annotations.mismatchedCustomBuckets("subtraction", w.argPos));
          }
        } catch (IncompatibleHistogramsException ex) {
          ctx.annotate(Annotations.mixedExponentialCustom(name, w.argPos));
          return false;
        }
      }
      res = res.withCounterResetHint(CounterResetHint.GAUGE).compact(0);
      if (isRate) {
        res = res.div(sampledInterval / 1000.0);
      }
      return out.setHistogram(res);
    }
    double result = f1;
    if (!isRate || !(f1 < f0 || startReset)) {
      result = f1 - f0;
    }
    if (isRate) {
      result /= sampledInterval / 1000.0;
    }
    return out.setFloat(result);
  }
}
