package dev.vigil.model.storage;

/**
 * The staleness marker: a NaN with a specific bit pattern (Prometheus's {@code value.StaleNaN})
 * that says a series ended. Ordinary NaNs are values; only this one marks staleness.
 */
public final class StaleNaN {
  public static final long BITS = 0x7ff0000000000002L;
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleNaN() {}

  public static boolean is(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
