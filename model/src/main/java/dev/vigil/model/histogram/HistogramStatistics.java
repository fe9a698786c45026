package dev.vigil.model.histogram;

/**
 * PromQL's estimates over one native histogram: {@code histogram_quantile}, {@code
 * histogram_fraction}, {@code histogram_stddev}/{@code stdvar}, {@code histogram_avg} (Prometheus's
 * promql/quantile.go and functions.go). Interpolation inside a bucket is exponential (on a log2
 * scale) for exponential buckets and linear for custom buckets and the zero bucket. Stateless.
 */
public final class HistogramStatistics {
  private HistogramStatistics() {}

  /** An info annotation Prometheus attaches to an estimate. */
  public enum Note {
    NONE,
    /** histogram_quantile: NaN observations pushed the quantile beyond all buckets; value NaN. */
    QUANTILE_NAN_RESULT,
    /** histogram_quantile: NaN observations may skew the result to higher values. */
    QUANTILE_NAN_SKEW,
    /** histogram_fraction: NaN observations are in no bucket, so fractions may not sum to 1. */
    FRACTION_NAN_OBSERVATIONS
  }

  /** A value and the info annotation, if any, Prometheus reports with it. */
  public record Estimate(double value, Note note) {}

  /** {@code histogram_quantile(q, h)}; see {@link #quantile(double, FloatHistogram)}. */
  public static double quantileValue(double q, FloatHistogram h) {
    return quantile(q, h).value();
  }

  /**
   * Prometheus's {@code HistogramQuantile}: q below 0 gives -Inf, above 1 +Inf, NaN q or an empty
   * histogram NaN. The rank is searched from below for q < 0.5 (or when the sum is NaN, i.e. NaN
   * observations may exist) and from above otherwise. A histogram with only positive (negative)
   * buckets assumes 0 as the lower (upper) end of the zero bucket; for custom buckets the first
   * bucket starts at 0 when its upper bound is positive and the +Inf bucket yields its lower bound.
   */
  public static Estimate quantile(double q, FloatHistogram h) {
    return quantile(q, h, new AllBucketIterator());
  }

  /** {@link #quantile(double, FloatHistogram)} reusing {@code it} (no iterator allocation). */
  public static Estimate quantile(double q, FloatHistogram h, AllBucketIterator it) {
    if (q < 0) {
      return new Estimate(Double.NEGATIVE_INFINITY, Note.NONE);
    }
    if (q > 1) {
      return new Estimate(Double.POSITIVE_INFINITY, Note.NONE);
    }
    if (h.count() == 0 || Double.isNaN(q)) {
      return new Estimate(Double.NaN, Note.NONE);
    }
    boolean forward = Double.isNaN(h.sum()) || q < 0.5;
    it.reset(h, forward);
    double rank = forward ? q * h.count() : (1 - q) * h.count();
    double lower = 0;
    double upper = 0;
    double bucketCount = 0;
    double count = 0;
    while (it.next()) {
      lower = it.lower();
      upper = it.upper();
      bucketCount = it.count();
      if (bucketCount == 0) {
        continue;
      }
      count += bucketCount;
      if (count >= rank) {
        break;
      }
    }
    if (!h.usesCustomBuckets() && lower < 0 && upper > 0) {
      if (h.negativeBuckets().length == 0 && h.positiveBuckets().length > 0) {
        lower = 0;
      } else if (h.positiveBuckets().length == 0 && h.negativeBuckets().length > 0) {
        upper = 0;
      }
    } else if (h.usesCustomBuckets()) {
      if (lower == Double.NEGATIVE_INFINITY) {
        if (upper <= 0) {
          return new Estimate(upper, Note.NONE);
        }
        lower = 0;
      } else if (upper == Double.POSITIVE_INFINITY) {
        return new Estimate(lower, Note.NONE);
      }
    }
    // Rounding can make the bucket total exceed the count.
    if (count > h.count()) {
      count = h.count();
    }
    if (count < rank) {
      // Only NaN observations (Sum is NaN) should get here.
      if (Double.isNaN(h.sum())) {
        return new Estimate(Double.NaN, Note.QUANTILE_NAN_RESULT);
      }
      return new Estimate(upper, Note.NONE);
    }
    if (forward) {
      rank -= count - bucketCount;
    } else {
      rank = count - rank;
    }
    Note note = Note.NONE;
    if (Double.isNaN(h.sum())) {
      while (it.next()) {
        count += it.count();
      }
      if (count < h.count()) {
        note = Note.QUANTILE_NAN_SKEW;
      }
    }
    double fraction = rank / bucketCount;
    if (h.usesCustomBuckets() || (lower <= 0 && upper >= 0)) {
      return new Estimate(lower + (upper - lower) * fraction, note);
    }
    // Exponential buckets are equally wide on a log scale, so interpolate linearly there.
    double logLower = Bucket.log2(Math.abs(lower));
    double logUpper = Bucket.log2(Math.abs(upper));
    if (lower > 0) {
      return new Estimate(Bucket.exp2(logLower + (logUpper - logLower) * fraction), note);
    }
    return new Estimate(-Bucket.exp2(logUpper + (logLower - logUpper) * (1 - fraction)), note);
  }

  /** {@code histogram_fraction(lower, upper, h)}; see {@link #fraction}. */
  public static double fractionValue(double lower, double upper, FloatHistogram h) {
    return fraction(lower, upper, h).value();
  }

  /**
   * Prometheus's {@code HistogramFraction}: the estimated share of observations in [lower,
   * upper]. NaN for an empty histogram or NaN bounds, 0 when lower ≥ upper. Interpolation as in
   * {@link #quantile}; buckets with an infinite bound contribute nothing partial.
   */
  public static Estimate fraction(double lower, double upper, FloatHistogram h) {
    return fraction(lower, upper, h, new AllBucketIterator());
  }

  /** {@link #fraction(double, double, FloatHistogram)} reusing {@code it}. */
  public static Estimate fraction(
      double lower, double upper, FloatHistogram h, AllBucketIterator it) {
    if (h.count() == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return new Estimate(Double.NaN, Note.NONE);
    }
    if (lower >= upper) {
      return new Estimate(0, Note.NONE);
    }
    double count = 0;
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    boolean onlyPositive = h.negativeBuckets().length == 0 && h.positiveBuckets().length > 0;
    boolean onlyNegative = h.positiveBuckets().length == 0 && h.negativeBuckets().length > 0;
    it.reset(h, true);
    while (it.next()) {
      double bLower = it.lower();
      double bUpper = it.upper();
      double bCount = it.count();
      count += bCount;
      boolean zeroBucket = false;
      if (bLower <= 0 && bUpper >= 0) {
        zeroBucket = true;
        if (onlyPositive) {
          bLower = 0;
        } else if (onlyNegative) {
          bUpper = 0;
        }
      }
      boolean linear = h.usesCustomBuckets() || zeroBucket;
      if (!lowerSet && bLower >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && bLower >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && bLower < lower && bUpper > lower) {
        lowerRank = interpolate(rank, bLower, bUpper, bCount, lower, linear);
        lowerSet = true;
      }
      if (!upperSet && bLower < upper && bUpper > upper) {
        upperRank = interpolate(rank, bLower, bUpper, bCount, upper, linear);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank += bCount;
    }
    Note note = Note.NONE;
    if (Double.isNaN(h.sum())) {
      // NaN observations are in no bucket: count only what the buckets hold.
      while (it.next()) {
        count += it.count();
      }
      if (count < h.count()) {
        note = Note.FRACTION_NAN_OBSERVATIONS;
      }
    } else {
      count = h.count();
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return new Estimate((upperRank - lowerRank) / h.count(), note);
  }

  private static double interpolate(
      double rank, double lower, double upper, double count, double v, boolean linear) {
    if (linear) {
      // A bucket reaching -Inf cannot be interpolated; it counts whole (its rank is 0 here).
      if (lower == Double.NEGATIVE_INFINITY) {
        return count;
      }
      return rank + count * Bucket.fractionBelow(lower, upper, v, true);
    }
    return rank + count * Bucket.fractionBelow(lower, upper, v, false);
  }

  /** {@code histogram_avg}: sum / count. */
  public static double avg(FloatHistogram h) {
    return h.sum() / h.count();
  }

  /** {@code histogram_stddev}: the square root of {@link #stdvar}. */
  public static double stddev(FloatHistogram h) {
    return Math.sqrt(stdvar(h));
  }

  /**
   * {@code histogram_stdvar}: the variance of the observations, each taken at its bucket's
   * midpoint around the mean sum/count. The midpoint is geometric for exponential buckets,
   * arithmetic for custom buckets, and 0 for the zero bucket. Kahan-summed like Prometheus.
   */
  public static double stdvar(FloatHistogram h) {
    return stdvar(h, new AllBucketIterator());
  }

  /** {@link #stdvar(FloatHistogram)} reusing {@code it}. */
  public static double stdvar(FloatHistogram h, AllBucketIterator it) {
    double mean = h.sum() / h.count();
    double variance = 0;
    double c = 0;
    it.reset(h, true);
    while (it.next()) {
      double n = it.count();
      if (n == 0) {
        continue;
      }
      double lower = it.lower();
      double upper = it.upper();
      double val;
      if (h.usesCustomBuckets()) {
        val = (upper + lower) / 2.0;
      } else if (lower <= 0 && upper >= 0) {
        val = 0;
      } else {
        val = Math.sqrt(upper * lower);
        if (upper < 0) {
          val = -val;
        }
      }
      double delta = val - mean;
      double inc = n * delta * delta;
      c = KahanSum.compensation(inc, variance, c);
      variance += inc;
    }
    variance += c;
    return variance / h.count();
  }
}
