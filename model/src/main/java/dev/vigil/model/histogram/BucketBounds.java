package dev.vigil.model.histogram;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Bucket boundaries of native histograms: exponential schemas -4..8 (bucket {@code i} covers
 * {@code (2^((i-1)/2^schema), 2^(i/2^schema)]}) and custom buckets (schema -53, upper bounds in
 * {@code customValues}, the last bucket reaching +Inf).
 */
public final class BucketBounds {
  public static final int EXPONENTIAL_SCHEMA_MIN = -4;
  public static final int EXPONENTIAL_SCHEMA_MAX = 8;
  public static final int CUSTOM_BUCKETS_SCHEMA = FloatHistogram.CUSTOM_BUCKETS_SCHEMA;

  /**
   * {@code FRACTIONS[j] = 2^(j/256) / 2}, the mantissas in [0.5, 1) of every bucket bound of schema
   * 8; schema {@code s} uses every {@code 2^(8-s)}-th entry (Prometheus's per-schema tables are
   * the same subsets). Computed once with 60 decimal digits and rounded to the nearest double.
   * Deviation: Prometheus ships a literal table that is not correctly rounded, so a bound here can
   * differ from Prometheus's by up to 4 ulps (~1e-15 relative); swapping in that table is a
   * change to this initializer only.
   */
  private static final double[] FRACTIONS = fractions();

  private BucketBounds() {}

  private static double[] fractions() {
    MathContext mc = new MathContext(60);
    BigDecimal two = BigDecimal.valueOf(2);
    BigDecimal step = two;
    for (int i = 0; i < 8; i++) {
      step = step.sqrt(mc);
    }
    double[] out = new double[256];
    BigDecimal p = BigDecimal.ONE;
    for (int j = 0; j < 256; j++) {
      out[j] = p.divide(two, mc).doubleValue();
      p = p.multiply(step, mc);
    }
    return out;
  }

  public static boolean isExponentialSchema(int schema) {
    return schema >= EXPONENTIAL_SCHEMA_MIN && schema <= EXPONENTIAL_SCHEMA_MAX;
  }

  public static boolean isCustomBucketsSchema(int schema) {
    return schema == CUSTOM_BUCKETS_SCHEMA;
  }

  public static boolean isValidSchema(int schema) {
    return isExponentialSchema(schema) || isCustomBucketsSchema(schema);
  }

  /**
   * Upper bound of bucket {@code index} (the lower bound is {@code bound(index - 1, ...)}). For
   * custom buckets, index -1 gives -Inf and {@code customValues.length} gives +Inf.
   */
  public static double bound(int index, int schema, double[] customValues) {
    if (schema == CUSTOM_BUCKETS_SCHEMA) {
      if (index == customValues.length) {
        return Double.POSITIVE_INFINITY;
      }
      if (index == -1) {
        return Double.NEGATIVE_INFINITY;
      }
      if (index < -1 || index > customValues.length) {
        throw new IndexOutOfBoundsException(
            "index " + index + " out of bounds for custom bounds of length " + customValues.length);
      }
      return customValues[index];
    }
    return exponentialBound(index, schema);
  }

  /** Upper bound of bucket {@code index} in exponential {@code schema}. */
  public static double exponentialBound(int index, int schema) {
    // The last finite bucket's computed upper bound would be 2^1024 = +Inf; Prometheus uses
    // MaxFloat64 instead so that the next bucket (bound +Inf) counts only observations of Inf.
    if (schema < 0) {
      long exp = ((long) index) << -schema;
      if (exp == 1024) {
        return Double.MAX_VALUE;
      }
      return ldexp(1, exp);
    }
    int fracIdx = index & ((1 << schema) - 1);
    double frac = FRACTIONS[fracIdx << (8 - schema)];
    long exp = (index >> schema) + 1L;
    if (fracIdx == 0 && exp == 1025) {
      return Double.MAX_VALUE;
    }
    return ldexp(frac, exp);
  }

  private static double ldexp(double frac, long exp) {
    if (exp > 2000) {
      return Double.POSITIVE_INFINITY;
    }
    if (exp < -2000) {
      return 0;
    }
    return Math.scalb(frac, (int) exp);
  }

  /** Index in {@code targetSchema} of the bucket that contains bucket {@code index} of {@code originSchema}. */
  public static int targetIndex(int index, int originSchema, int targetSchema) {
    return ((index - 1) >> (originSchema - targetSchema)) + 1;
  }

  /** Whether two custom bound arrays are equal value by value (NaN never matches). */
  public static boolean customBoundsMatch(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    return true;
  }
}
