package dev.vigil.promql.functions;

import java.util.Arrays;

/**
 * Quantile arithmetic shared by {@code quantile}, {@code quantile_over_time}, {@code
 * mad_over_time} and classic {@code histogram_quantile}/{@code histogram_fraction}, plus Kahan
 * summation as Prometheus does it (so sums match to the last bit).
 */
public final class Quantiles {
  private static final double SMALL_DELTA_TOLERANCE = 1e-12;
  private static final double MIN_NORMAL = Double.MIN_NORMAL;

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

  /** Go's {@code almost.Equal}. */
  static boolean almostEqual(double a, double b, double epsilon) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double absSum = Math.abs(a) + Math.abs(b);
    double diff = Math.abs(a - b);
    if (a == 0 || b == 0 || absSum < MIN_NORMAL) {
      return diff < epsilon * MIN_NORMAL;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
  }

  /** Result details of {@link #bucketQuantile}. */
  public static final class BucketResult {
    public double quantile;
    public boolean forcedMonotonic;
    public double minBucket;
    public double maxBucket;
    public double maxDiff;
  }

  /**
   * Classic histogram quantile over {@code (upper[i], count[i])} buckets, {@code n} of them
   * (reordered in place). Buckets are sorted, equal bounds merged, and counts made monotonic as
   * Prometheus does; the result notes whether monotonicity had to be forced.
   */
  public static void bucketQuantile(double q, double[] upper, double[] count, int n,
      BucketResult r) {
    r.forcedMonotonic = false;
    r.minBucket = 0;
    r.maxBucket = 0;
    r.maxDiff = 0;
    if (Double.isNaN(q)) {
      r.quantile = Double.NaN;
      return;
    }
    if (q < 0) {
      r.quantile = Double.NEGATIVE_INFINITY;
      return;
    }
    if (q > 1) {
      r.quantile = Double.POSITIVE_INFINITY;
      return;
    }
    sortBuckets(upper, count, n);
    if (upper[n - 1] != Double.POSITIVE_INFINITY) {
      r.quantile = Double.NaN;
      return;
    }
    n = coalesce(upper, count, n);
    ensureMonotonic(upper, count, n, r);
    if (n < 2) {
      r.quantile = Double.NaN;
      return;
    }
    double observations = count[n - 1];
    if (observations == 0) {
      r.quantile = Double.NaN;
      return;
    }
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && !(count[b] >= rank)) {
      b++;
    }
    if (b == n - 1) {
      r.quantile = upper[n - 2];
    } else if (b == 0 && upper[0] <= 0) {
      r.quantile = upper[0];
    } else {
      double bucketStart = 0;
      double bucketEnd = upper[b];
      double c = count[b];
      if (b > 0) {
        bucketStart = upper[b - 1];
        c -= count[b - 1];
        rank -= count[b - 1];
      }
      r.quantile = bucketStart + (bucketEnd - bucketStart) * (rank / c);
    }
  }

  /**
   * Classic histogram fraction of observations between {@code lower} and {@code upperLimit}
   * (Prometheus's BucketFraction): linear interpolation inside buckets; the infinite-width
   * buckets contribute nothing inside them.
   */
  public static double bucketFraction(double lower, double upperLimit, double[] upper,
      double[] count, int n) {
    sortBuckets(upper, count, n);
    if (upper[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    n = coalesce(upper, count, n);
    double total = count[n - 1];
    if (total == 0 || Double.isNaN(lower) || Double.isNaN(upperLimit)) {
      return Double.NaN;
    }
    if (lower >= upperLimit) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    double lowerBound = upper[0] <= 0 ? Double.NEGATIVE_INFINITY : 0;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        lowerBound = upper[i - 1];
      }
      double upperBound = upper[i];
      double c = count[i];
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upperLimit) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = interpolate(lower, lowerBound, upperBound, rank, c);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upperLimit && upperBound > upperLimit) {
        upperRank = interpolate(upperLimit, lowerBound, upperBound, rank, c);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = c;
    }
    if (!lowerSet || lowerRank > total) {
      lowerRank = total;
    }
    if (!upperSet || upperRank > total) {
      upperRank = total;
    }
    return (upperRank - lowerRank) / total;
  }

  private static double interpolate(double v, double lowerBound, double upperBound, double rank,
      double c) {
    if (lowerBound == Double.NEGATIVE_INFINITY) {
      return c;
    }
    return rank + (c - rank) * (v - lowerBound) / (upperBound - lowerBound);
  }

  private static void sortBuckets(double[] upper, double[] count, int n) {
    // Insertion sort: bucket lists are short and mostly sorted already.
    for (int i = 1; i < n; i++) {
      double u = upper[i];
      double c = count[i];
      int j = i - 1;
      while (j >= 0 && upper[j] > u) {
        upper[j + 1] = upper[j];
        count[j + 1] = count[j];
        j--;
      }
      upper[j + 1] = u;
      count[j + 1] = c;
    }
  }

  private static int coalesce(double[] upper, double[] count, int n) {
    int i = 0;
    double lu = upper[0];
    double lc = count[0];
    for (int k = 1; k < n; k++) {
      if (upper[k] == lu) {
        lc += count[k];
      } else {
        upper[i] = lu;
        count[i] = lc;
        i++;
        lu = upper[k];
        lc = count[k];
      }
    }
    upper[i] = lu;
    count[i] = lc;
    return i + 1;
  }

  private static void ensureMonotonic(double[] upper, double[] count, int n, BucketResult r) {
    r.minBucket = Double.POSITIVE_INFINITY;
    r.maxBucket = Double.NEGATIVE_INFINITY;
    double prev = count[0];
    for (int i = 1; i < n; i++) {
      double curr = count[i];
      if (curr == prev) {
        continue;
      }
      if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
        count[i] = prev;
        continue;
      }
      if (curr < prev) {
        count[i] = prev;
        r.forcedMonotonic = true;
        r.minBucket = Math.min(r.minBucket, upper[i]);
        r.maxBucket = Math.max(r.maxBucket, upper[i]);
        r.maxDiff = Math.max(r.maxDiff, prev - curr);
        continue;
      }
      prev = curr;
    }
  }
}
