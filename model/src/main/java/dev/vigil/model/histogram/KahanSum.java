package dev.vigil.model.histogram;

/**
 * Kahan-Babuska-Neumaier summation step, as Prometheus's {@code kahansum.Inc}: the new sum is
 * always {@code sum + inc}; {@link #compensation} returns the new compensation term. Split into
 * two pure functions so callers keep primitives in arrays or fields without a pair object.
 */
final class KahanSum {
  private KahanSum() {}

  /** New compensation after adding {@code inc} to {@code sum} with compensation {@code c}. */
  static double compensation(double inc, double sum, double c) {
    double t = sum + inc;
    if (Double.isInfinite(t)) {
      return 0;
    }
    if (Math.abs(sum) >= Math.abs(inc)) {
      return c + ((sum - t) + inc);
    }
    return c + ((inc - t) + sum);
  }
}
