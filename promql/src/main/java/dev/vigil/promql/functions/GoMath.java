package dev.vigil.promql.functions;

/**
 * The few places where Go's math package and java.lang.Math disagree on special values; PromQL
 * results must match Prometheus's (Go) results.
 */
public final class GoMath {
  private static final double LN2 = 0.693147180559945309417232121458176568;

  private GoMath() {}

  /** Go's math.Pow: Pow(1, y) = 1 and Pow(-1, ±Inf) = 1, where Java gives NaN. */
  public static double pow(double x, double y) {
    if (x == 1 || y == 0) {
      return 1;
    }
    if (x == -1 && Double.isInfinite(y)) {
      return 1;
    }
    return Math.pow(x, y);
  }

  /** Go's math.Log2: exact for powers of two (via the binary exponent). */
  public static double log2(double x) {
    if (Double.isNaN(x) || x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      return x;
    }
    // Frexp: x = frac * 2^exp with frac in [0.5, 1).
    int exp = Math.getExponent(x);
    double frac;
    if (exp == Double.MIN_EXPONENT - 1) {
      // Subnormal: normalise first.
      double scaled = x * 0x1p54;
      exp = Math.getExponent(scaled) - 54;
      frac = scaled / Math.scalb(1.0, Math.getExponent(scaled) + 1);
    } else {
      frac = x / Math.scalb(1.0, exp + 1);
    }
    exp += 1;
    if (frac == 0.5) {
      return exp - 1;
    }
    return Math.log(frac) * (1 / LN2) + exp;
  }
}
