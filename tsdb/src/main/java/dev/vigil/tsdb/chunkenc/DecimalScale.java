package dev.vigil.tsdb.chunkenc;

/**
 * Exact decimal forms of doubles, VictoriaMetrics' trick made lossless: a double {@code v} has
 * scale {@code k} when an integer {@code m} with {@code |m| <= 2^53} satisfies
 * {@code (double) m / 10^k == v} bit for bit. Both operands are then exact doubles and IEEE
 * division rounds correctly, so the decoder's {@link #value} reproduces {@code v} on every JVM.
 * Values with no such form (NaN, infinities, -0.0, subnormals, more than ~16 significant digits)
 * have scale -1 and are stored raw by the packed chunk.
 */
final class DecimalScale {
  /** Largest scale tried; 10^18 is an exact double and keeps the search short. */
  static final int MAX = 18;
  /** Mantissas are at most 2^53 in magnitude so that {@code (double) m} is exact. */
  static final long MAX_MANTISSA = 1L << 53;

  private static final double[] POW10 = new double[MAX + 1];
  private static final long[] LONG_POW10 = new long[MAX + 1];

  static {
    long p = 1;
    for (int k = 0; k <= MAX; k++) {
      LONG_POW10[k] = p;
      POW10[k] = p; // exact: 10^k = 2^k * 5^k and 5^18 < 2^53
      p *= 10;
    }
  }

  private DecimalScale() {}

  /** The smallest scale of {@code v}, or -1 when it has no exact decimal form (see above). */
  static int of(double v) {
    if (v == 0) {
      return Double.doubleToRawLongBits(v) == 0 ? 0 : -1; // -0.0 would decode as +0.0
    }
    if (!(Math.abs(v) <= MAX_MANTISSA)) {
      return -1; // NaN, infinities, values beyond the exact mantissa range
    }
    for (int k = 0; k <= MAX; k++) {
      double x = v * POW10[k];
      if (Math.abs(x) > MAX_MANTISSA) {
        return -1;
      }
      // The product may be off by rounding; the check below accepts only exact round trips.
      if ((double) (long) Math.rint(x) / POW10[k] == v) {
        return k;
      }
    }
    return -1;
  }

  /** The mantissa of {@code v} at its scale {@code k} (as returned by {@link #of}). */
  static long mantissa(double v, int k) {
    return (long) Math.rint(v * POW10[k]);
  }

  /**
   * {@code m * 10^by}, or {@link Long#MIN_VALUE} when the result exceeds {@link #MAX_MANTISSA}
   * (then the value is stored raw).
   */
  static long rescale(long m, int by) {
    long f = LONG_POW10[by];
    if (Math.abs(m) > MAX_MANTISSA / f) {
      return Long.MIN_VALUE;
    }
    return m * f;
  }

  /** The value a mantissa stands for at scale {@code k}; the decoder's only formula. */
  static double value(long m, int k) {
    return (double) m / POW10[k];
  }
}
