package dev.vigil.model.histogram;

import java.util.List;

/**
 * The histogram part of PromQL's rate/increase/delta over one range window (Prometheus's
 * {@code histogramRate}): the raw increase from the first to the last sample, corrected for
 * counter resets, before extrapolation (the caller then multiplies by its extrapolation factor
 * and, for rate, divides by the range). Uses plain (not Kahan) Add/Sub like Prometheus.
 */
public final class HistogramRate {
  private HistogramRate() {}

  /** Why no result could be computed. */
  public enum Problem {
    NONE,
    /** A window element is a float (null entry): "encountered a mix of histograms and floats". */
    MIXED_FLOATS_AND_HISTOGRAMS,
    /** "vector contains a mix of histograms with exponential and custom buckets schemas". */
    MIXED_EXPONENTIAL_AND_CUSTOM
  }

  /**
   * The increase (a GAUGE histogram, compacted) or null with a {@code problem}; plus the
   * annotations Prometheus would add: {@code notCounter} (a counter function saw a gauge
   * histogram), {@code notGauge} (delta saw a counter histogram), and custom bounds reconciled
   * during the subtraction or during a reset correction (addition).
   */
  public record Result(
      FloatHistogram increase,
      Problem problem,
      boolean notCounter,
      boolean notGauge,
      boolean customBoundsReconciledSub,
      boolean customBoundsReconciledAdd) {

    static Result failed(Problem p, boolean notCounter) {
      return new Result(null, p, notCounter, false, false, false);
    }
  }

  /**
   * @param points the window's samples, oldest first, {@code n >= 2} of them; a null entry
   *     stands for a float sample
   * @param startReset optional (null): {@code startReset[i]} says start timestamps show a
   *     counter reset right before sample i (the caller evaluates its start-timestamp rules)
   * @param isCounter true for rate/increase, false for delta
   */
  public static Result increase(
      FloatHistogram[] points, int n, boolean[] startReset, boolean isCounter) {
    FloatHistogram prev = points[0];
    FloatHistogram last = points[n - 1];
    if (last == null || prev == null) {
      return Result.failed(Problem.MIXED_FLOATS_AND_HISTOGRAMS, false);
    }
    boolean usingCustom = prev.usesCustomBuckets();
    boolean notCounter = isCounter && (prev.counterResetHint() == CounterResetHint.GAUGE
        || last.counterResetHint() == CounterResetHint.GAUGE);
    if (isCounter) {
      FloatHistogram second = points[1];
      if (second != null && (resetAt(startReset, 1) || second.detectReset(prev))) {
        // A reset right after the first sample: its layout does not matter, start from empty.
        prev = new FloatHistogram(CounterResetHint.UNKNOWN, second.schema(), 0, 0, 0, 0,
            List.of(), new double[0], List.of(), new double[0],
            second.customValues());
        usingCustom = second.usesCustomBuckets();
      }
    }
    if (last.usesCustomBuckets() != usingCustom) {
      return Result.failed(Problem.MIXED_EXPONENTIAL_AND_CUSTOM, notCounter);
    }
    int minSchema = Math.min(last.schema(), prev.schema());
    for (int i = 1; i < n - 1; i++) {
      FloatHistogram curr = points[i];
      if (curr == null) {
        return Result.failed(Problem.MIXED_FLOATS_AND_HISTOGRAMS, false);
      }
      if (!isCounter) {
        continue;
      }
      if (curr.counterResetHint() == CounterResetHint.GAUGE) {
        notCounter = true;
      }
      minSchema = Math.min(minSchema, curr.schema());
      if (curr.usesCustomBuckets() != usingCustom) {
        return Result.failed(Problem.MIXED_EXPONENTIAL_AND_CUSTOM, false);
      }
    }
    HistogramAccumulator acc = HistogramAccumulator.plain().set(last.copyToSchema(minSchema));
    if (!acc.sub(prev)) {
      return Result.failed(Problem.MIXED_EXPONENTIAL_AND_CUSTOM, false);
    }
    boolean reconciledSub = acc.customBoundsReconciled();
    boolean reconciledAdd = false;
    boolean notGauge = false;
    if (isCounter) {
      for (int i = 1; i < n; i++) {
        FloatHistogram curr = points[i];
        if (resetAt(startReset, i) || curr.detectReset(prev)) {
          acc.clearFlags();
          if (!acc.add(prev)) {
            return Result.failed(Problem.MIXED_EXPONENTIAL_AND_CUSTOM, false);
          }
          reconciledAdd |= acc.customBoundsReconciled();
        }
        prev = curr;
      }
    } else if (points[0].counterResetHint() != CounterResetHint.GAUGE
        || last.counterResetHint() != CounterResetHint.GAUGE) {
      notGauge = true;
    }
    FloatHistogram h = acc.counterResetHint(CounterResetHint.GAUGE).build(true);
    return new Result(h, Problem.NONE, notCounter, notGauge, reconciledSub, reconciledAdd);
  }

  private static boolean resetAt(boolean[] startReset, int i) {
    return startReset != null && i < startReset.length && startReset[i];
  }
}
