package dev.vigil.model.histogram;

/**
 * One bucket of a native histogram with its bounds and whether each bound is inclusive. {@code
 * index} is the bucket index within its schema and sign; it is meaningless for the zero bucket.
 */
public record Bucket(
    double lower,
    double upper,
    boolean lowerInclusive,
    boolean upperInclusive,
    double count,
    int index) {

  /**
   * The fraction (0..1) of this bucket's width at or below {@code v}, for {@code lower < v <
   * upper} with finite bounds: linear for custom and zero buckets, on a log2 scale (mirrored for
   * negative buckets) for exponential buckets, as Prometheus's {@code Bucket.FractionBelow}.
   */
  public double fractionBelow(double v, boolean linear) {
    return fractionBelow(lower, upper, v, linear);
  }

  static double fractionBelow(double lower, double upper, double v, boolean linear) {
    if (linear) {
      return (v - lower) / (upper - lower);
    }
    double logLower = log2(Math.abs(lower));
    double logUpper = log2(Math.abs(upper));
    double logV = log2(Math.abs(v));
    if (v > 0) {
      return (logV - logLower) / (logUpper - logLower);
    }
    return 1 - ((logV - logUpper) / (logLower - logUpper));
  }

  private static final double LOG2_E = 1.4426950408889634;

  /** log2 that is exact for powers of two, like Go's math.Log2 (frexp first, then log). */
  static double log2(double x) {
    if (x > 0 && !Double.isInfinite(x)) {
      int exp = Math.getExponent(x);
      double frac;
      if (exp == Double.MIN_EXPONENT - 1) {
        // Subnormal: normalise first.
        double scaled = x * 0x1p54;
        exp = Math.getExponent(scaled) - 54;
        frac = scaled / Math.scalb(1.0, Math.getExponent(scaled));
      } else {
        frac = x / Math.scalb(1.0, exp);
      }
      // frac in [1, 2); Go splits as frac' in [0.5, 1) and exp+1.
      frac /= 2;
      exp += 1;
      if (frac == 0.5) {
        return exp - 1;
      }
      return Math.log(frac) * LOG2_E + exp;
    }
    return Math.log(x) / Math.log(2);
  }

  /** 2^x, exact for integer x. */
  static double exp2(double x) {
    if (x == Math.rint(x) && Math.abs(x) < 1100) {
      return Math.scalb(1.0, (int) x);
    }
    return Math.pow(2, x);
  }

  @Override
  public String toString() {
    return (lowerInclusive ? "[" : "(") + lower + "," + upper + (upperInclusive ? "]" : ")") + ":"
        + count;
  }
}
