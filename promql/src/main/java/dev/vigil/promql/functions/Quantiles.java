package dev.vigil.promql.functions;

import java.util.Arrays;

/**
 * Quantile arithmetic shared by {@code quantile}, {@code quantile_over_time} and {@code
 * mad_over_time}, plus Kahan summation as Prometheus does it (so sums match to the last bit).
 * Classic-bucket quantiles live in the model's {@code ClassicBucketQuantile}.
 */
public final class Quantiles {
  private Quantiles() {}

  /**
   * The q-quantile of {@code values[0, n)} with linear interpolation between ranks (Prometheus's
   * {@code quantile}); sorts the prefix in place. NaN for no values or NaN q, -Inf for q < 0,
   * +Inf for q > 1.
   */
  public static double quantile(double q, double[] values, int n) {
    if (n == 0 || Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    sortNaNFirst(values, n);
    double rank = q * (n - 1);
    double lower = Math.max(0, Math.floor(rank));
    double upper = Math.min(n - 1, lower + 1);
    double weight = rank - Math.floor(rank);
    return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
  }

  /** Sorts ascending with NaNs first, as Prometheus's vectorByValueHeap orders. */
  static void sortNaNFirst(double[] values, int n) {
    Arrays.sort(values, 0, n); // Java puts NaN last
    int nans = 0;
    while (nans < n && Double.isNaN(values[n - 1 - nans])) {
      nans++;
    }
    if (nans > 0 && nans < n) {
      System.arraycopy(values, 0, values, nans, n - nans);
      Arrays.fill(values, 0, nans, Double.NaN);
    }
  }

  /** One Kahan summation step; returns the new sum and stores the compensation in {@code c[0]}. */
  public static double kahanInc(double inc, double sum, double[] c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      c[0] = 0;
    } else if (Math.abs(sum) >= Math.abs(inc)) {
      c[0] += (sum - t) + inc;
    } else {
      c[0] += (inc - t) + sum;
    }
    return t;
  }
}
