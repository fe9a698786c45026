package dev.vigil.model.histogram;

/**
 * PromQL's trim operators on a histogram and a float ({@code h </ x} keeps observations below x,
 * {@code h >/ x} those above), Prometheus's FloatHistogram.TrimBuckets. Buckets wholly on the
 * dropped side are emptied, a bucket containing x keeps its interpolated share (exponential
 * interpolation for exponential buckets, linear for custom and the zero bucket); if anything was
 * trimmed, count and sum are re-estimated from bucket midpoints and the result is compacted.
 */
final class BucketTrimming {
  private BucketTrimming() {}

  /** Mutable running totals while trimming one histogram. */
  private static final class Totals {
    double count;
    double sum;
    boolean trimmed;
    boolean hasPositive;
    boolean hasNegative;
  }

  static FloatHistogram trim(FloatHistogram h, double rhs, boolean upperTrim) {
    boolean custom = h.usesCustomBuckets();
    double[] pos = h.positiveBuckets().clone();
    double[] neg = h.negativeBuckets().clone();
    Totals t = new Totals();
    trimSide(new BucketIterator().reset(h, true, false), pos, rhs, upperTrim, true, custom, t);
    trimSide(new BucketIterator().reset(h, false, false), neg, rhs, upperTrim, false, custom, t);
    double zeroCount = h.zeroCount();
    if (zeroCount > 0) {
      double[] km = zeroBucketTrim(h, rhs, t.hasNegative, t.hasPositive, upperTrim);
      if (zeroCount != km[0]) {
        zeroCount = km[0];
        t.trimmed = true;
      }
      t.sum += km[1] * km[0];
      t.count += km[0];
    }
    if (!t.trimmed) {
      return h;
    }
    return new FloatHistogram(h.counterResetHint(), h.schema(), h.zeroThreshold(), zeroCount,
        t.count, t.sum, h.positiveSpans(), pos, h.negativeSpans(), neg, h.customValues())
        .compact(0);
  }

  private static void trimSide(BucketIterator it, double[] buckets, double rhs, boolean upperTrim,
      boolean positive, boolean custom, Totals t) {
    for (int i = 0; it.next(); i++) {
      double count = it.count();
      if (count == 0) {
        continue;
      }
      if (positive) {
        t.hasPositive = true;
      } else {
        t.hasNegative = true;
      }
      double lower = it.lower();
      double upper = it.upper();
      boolean keepAll = upperTrim ? upper <= rhs : lower >= rhs;
      boolean partial = upperTrim ? lower < rhs : upper > rhs;
      if (keepAll) {
        t.count += count;
        t.sum += midpoint(lower, upper, positive, custom) * count;
      } else if (partial) {
        double[] km = bucketTrim(lower, upper, count, rhs, upperTrim, positive, custom);
        t.count += km[0];
        t.sum += km[1] * km[0];
        if (buckets[i] != km[0]) {
          buckets[i] = km[0];
          t.trimmed = true;
        }
      } else {
        buckets[i] = 0;
        t.trimmed = true;
      }
    }
  }

  /** {keep count, midpoint of the kept part} for a bucket that contains rhs. */
  private static double[] bucketTrim(double lower, double upper, double count, double rhs,
      boolean upperTrim, boolean positive, boolean custom) {
    if (lower == Double.NEGATIVE_INFINITY || upper == Double.POSITIVE_INFINITY) {
      return infiniteBucketTrim(lower, upper, count, rhs, upperTrim);
    }
    double under;
    if (rhs <= lower) {
      under = 0;
    } else if (rhs >= upper) {
      under = count;
    } else {
      under = count * Bucket.fractionBelow(lower, upper, rhs, custom);
    }
    if (upperTrim) {
      return new double[] {under, midpoint(lower, rhs, positive, custom)};
    }
    return new double[] {count - under, midpoint(rhs, upper, positive, custom)};
  }

  /**
   * A bucket reaching ±Inf (custom buckets only): nothing is known about how its observations
   * spread, so it is kept or dropped whole, except a -Inf bucket with a positive finite upper
   * bound, which is treated as starting at 0.
   */
  private static double[] infiniteBucketTrim(
      double lower, double upper, double count, double rhs, boolean upperTrim) {
    if (lower == Double.NEGATIVE_INFINITY) {
      if (upperTrim) {
        if (rhs >= upper) {
          return new double[] {count, 0};
        }
        if (rhs > 0 && upper > 0 && upper != Double.POSITIVE_INFINITY) {
          return new double[] {count * rhs / upper, rhs / 2};
        }
        if (upper <= 0) {
          return new double[] {count, rhs};
        }
        return new double[] {0, zeroIfInf(upper)};
      }
      if (rhs <= lower) {
        return new double[] {count, 0};
      }
      if (rhs >= 0 && upper > rhs && upper != Double.POSITIVE_INFINITY) {
        return new double[] {count * (1 - rhs / upper), (rhs + upper) / 2};
      }
      return new double[] {0, zeroIfInf(upper)};
    }
    // upper == +Inf
    if (upperTrim) {
      return new double[] {0, zeroIfInf(lower)};
    }
    if (rhs >= lower) {
      return new double[] {count, rhs};
    }
    return new double[] {0, zeroIfInf(lower)};
  }

  private static double zeroIfInf(double x) {
    return Double.isInfinite(x) ? 0 : x;
  }

  private static double[] zeroBucketTrim(
      FloatHistogram h, double rhs, boolean hasNegative, boolean hasPositive, boolean upperTrim) {
    double lower = -h.zeroThreshold();
    double upper = h.zeroThreshold();
    double count = h.zeroCount();
    if (hasNegative && !hasPositive) {
      upper = 0;
    }
    if (hasPositive && !hasNegative) {
      lower = 0;
    }
    if (upperTrim) {
      if (rhs <= lower) {
        return new double[] {0, 0};
      }
      if (rhs >= upper) {
        return new double[] {count, (lower + upper) / 2};
      }
      return new double[] {count * (rhs - lower) / (upper - lower), (lower + rhs) / 2};
    }
    if (rhs <= lower) {
      return new double[] {count, (lower + upper) / 2};
    }
    if (rhs >= upper) {
      return new double[] {0, 0};
    }
    return new double[] {count * (upper - rhs) / (upper - lower), (rhs + upper) / 2};
  }

  /** Representative value of [lo, hi]: arithmetic mean if linear, else signed geometric mean. */
  static double midpoint(double lo, double hi, boolean positive, boolean linear) {
    if (Double.isInfinite(lo)) {
      if (Double.isInfinite(hi)) {
        return 0;
      }
      return hi > 0 ? hi / 2 : hi;
    }
    if (Double.isInfinite(hi)) {
      return lo;
    }
    if (linear) {
      return (lo + hi) / 2;
    }
    double geo = Math.sqrt(Math.abs(lo * hi));
    return positive ? geo : -geo;
  }
}
