package dev.vigil.promql.promqltest;

import dev.vigil.model.storage.StaleNaN;

/** Prometheus's {@code util/almost.Equal}: relative float comparison used by the test runner. */
final class Almost {
  static final double DEFAULT_EPSILON = 0.000001;
  private static final double MIN_NORMAL = Double.longBitsToDouble(0x0010000000000000L);

  private Almost() {}

  static boolean equal(double a, double b, double epsilon) {
    if (StaleNaN.is(a) || StaleNaN.is(b)) {
      return StaleNaN.is(a) && StaleNaN.is(b);
    }
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
}
