package dev.vigil.model.histogram;

/**
 * {@code histogram_quantile} and {@code histogram_fraction} over classic {@code le} buckets
 * (Prometheus's {@code BucketQuantile}/{@code BucketFraction}), as pure functions over parallel
 * arrays of upper bounds and cumulative counts. Both functions sort and rewrite the first {@code
 * n} entries of the arrays in place (the caller's scratch buffers): by upper bound, buckets with
 * equal bounds coalesced, counts made monotonic.
 */
public final class ClassicBucketQuantile {
  /**
   * Relative difference between neighbouring cumulative counts treated as floating point noise
   * and silently flattened (Prometheus's smallDeltaTolerance).
   */
  public static final double SMALL_DELTA_TOLERANCE = 1e-12;

  private ClassicBucketQuantile() {}

  /**
   * A quantile estimate and what had to be fixed to get it. {@code forcedMonotonicity}: some
   * cumulative count decreased and was raised (Prometheus reports the info annotation "input to
   * histogram_quantile needed to be fixed for monotonicity" with {@code minBucket}, {@code
   * maxBucket}, {@code maxDiff}); {@code fixedPrecision}: tiny relative differences were ignored.
   */
  public record Result(
      double value,
      boolean forcedMonotonicity,
      boolean fixedPrecision,
      double minBucket,
      double maxBucket,
      double maxDiff) {}

  /**
   * The q-quantile, interpolated linearly inside the bucket that holds it. NaN q gives NaN, q
   * below 0 -Inf, above 1 +Inf. NaN if the highest bound is not +Inf, fewer than 2 buckets remain
   * or there are no observations. A quantile in the +Inf bucket is the second-highest bound; in
   * the lowest bucket the lower end is 0 if its bound is positive, else its bound is returned.
   */
  public static Result quantile(double q, double[] upperBounds, double[] counts, int n) {
    if (Double.isNaN(q) || n == 0) {
      return new Result(Double.NaN, false, false, 0, 0, 0);
    }
    if (q < 0) {
      return new Result(Double.NEGATIVE_INFINITY, false, false, 0, 0, 0);
    }
    if (q > 1) {
      return new Result(Double.POSITIVE_INFINITY, false, false, 0, 0, 0);
    }
    sort(upperBounds, counts, n);
    if (upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
      return new Result(Double.NaN, false, false, 0, 0, 0);
    }
    n = coalesce(upperBounds, counts, n);

    // Ignore floating point noise, then remove decreases (the "envelope" of the counts).
    boolean forced = false;
    boolean fixedPrecision = false;
    double minBucket = Double.POSITIVE_INFINITY;
    double maxBucket = Double.NEGATIVE_INFINITY;
    double maxDiff = 0;
    double prev = counts[0];
    for (int i = 1; i < n; i++) {
      double curr = counts[i];
      if (curr == prev) {
        continue;
      }
      if (HistogramNotation.almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
        counts[i] = prev;
        fixedPrecision = true;
        continue;
      }
      if (curr < prev) {
        counts[i] = prev;
        forced = true;
        minBucket = Math.min(minBucket, upperBounds[i]);
        maxBucket = Math.max(maxBucket, upperBounds[i]);
        maxDiff = Math.max(maxDiff, prev - curr);
        continue;
      }
      prev = curr;
    }

    if (n < 2) {
      return new Result(Double.NaN, forced, fixedPrecision, minBucket, maxBucket, maxDiff);
    }
    double observations = counts[n - 1];
    if (observations == 0) {
      return new Result(Double.NaN, forced, fixedPrecision, minBucket, maxBucket, maxDiff);
    }
    double rank = q * observations;
    int b = n - 1;
    for (int i = 0; i < n - 1; i++) {
      if (counts[i] >= rank) {
        b = i;
        break;
      }
    }
    double value;
    if (b == n - 1) {
      value = upperBounds[n - 2];
    } else if (b == 0 && upperBounds[0] <= 0) {
      value = upperBounds[0];
    } else {
      double start = 0;
      double end = upperBounds[b];
      double count = counts[b];
      if (b > 0) {
        start = upperBounds[b - 1];
        count -= counts[b - 1];
        rank -= counts[b - 1];
      }
      value = start + (end - start) * (rank / count);
    }
    return new Result(value, forced, fixedPrecision, minBucket, maxBucket, maxDiff);
  }

  /**
   * {@code histogram_fraction} over classic buckets: the estimated share of observations in
   * [lower, upper], linear inside buckets, lowest bucket starting at 0 if its bound is positive
   * (else at -Inf, where nothing partial is counted). NaN without a +Inf bucket, without
   * observations or with NaN bounds; 0 if lower ≥ upper.
   */
  public static double fraction(double lower, double upper, double[] upperBounds, double[] counts,
      int n) {
    if (n == 0) {
      return Double.NaN;
    }
    sort(upperBounds, counts, n);
    if (upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
      return Double.NaN;
    }
    n = coalesce(upperBounds, counts, n);
    double count = counts[n - 1];
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    double lowerBound = upperBounds[0] <= 0 ? Double.NEGATIVE_INFINITY : 0;
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        lowerBound = upperBounds[i - 1];
      }
      double upperBound = upperBounds[i];
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = interpolate(rank, counts[i], lowerBound, upperBound, lower);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = interpolate(rank, counts[i], lowerBound, upperBound, upper);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = counts[i];
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  private static double interpolate(double rank, double cumulative, double lowerBound,
      double upperBound, double v) {
    if (lowerBound == Double.NEGATIVE_INFINITY) {
      return cumulative;
    }
    return rank + (cumulative - rank) * (v - lowerBound) / (upperBound - lowerBound);
  }

  /** Shell sort of both arrays by upper bound; in place and allocation-free. */
  private static void sort(double[] bounds, double[] counts, int n) {
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = bounds[i - 1] <= bounds[i];
    }
    if (sorted) {
      return;
    }
    for (int gap = n / 2; gap > 0; gap /= 2) {
      for (int i = gap; i < n; i++) {
        double b = bounds[i];
        double c = counts[i];
        int j = i;
        while (j >= gap && bounds[j - gap] > b) {
          bounds[j] = bounds[j - gap];
          counts[j] = counts[j - gap];
          j -= gap;
        }
        bounds[j] = b;
        counts[j] = c;
      }
    }
  }

  /** Merges entries with equal bounds (summing counts); returns the new length. */
  private static int coalesce(double[] bounds, double[] counts, int n) {
    int k = 0;
    for (int i = 1; i < n; i++) {
      if (bounds[i] == bounds[k]) {
        counts[k] += counts[i];
      } else {
        k++;
        bounds[k] = bounds[i];
        counts[k] = counts[i];
      }
    }
    return k + 1;
  }
}
