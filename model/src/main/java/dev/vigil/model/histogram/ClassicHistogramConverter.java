package dev.vigil.model.histogram;

import java.util.Arrays;
import java.util.List;

/**
 * Collects one classic histogram sample ({@code _bucket} series by {@code le}, {@code _count},
 * {@code _sum}) and converts it into a native histogram with custom buckets (NHCB), as
 * Prometheus's convertnhcb.TempHistogram does for {@code load_with_nhcb} in test scripts.
 *
 * <p>Buckets may arrive in any order; a repeated {@code le} is ignored. The first problem (NaN
 * bound, negative or non-cumulative count) is kept and reported by {@link #convert()}. Reusable
 * via {@link #reset()}; not thread-safe.
 */
public final class ClassicHistogramConverter {
  private double[] les = new double[16];
  private double[] counts = new double[16];
  private int n;
  private double count;
  private double sum;
  private boolean hasCount;
  private String error;

  public ClassicHistogramConverter reset() {
    n = 0;
    count = 0;
    sum = 0;
    hasCount = false;
    error = null;
    return this;
  }

  /** Records the cumulative count of the bucket with upper bound {@code le}. */
  public ClassicHistogramConverter bucket(double le, double cumulativeCount) {
    if (error != null) {
      return this;
    }
    if (Double.isNaN(le)) {
      error = "bucket boundary must not be NaN";
      return this;
    }
    if (cumulativeCount < 0) {
      error = "bucket count must be non-negative: le=" + HistogramNotation.formatFloat(le)
          + ", count=" + HistogramNotation.formatFloat(cumulativeCount);
      return this;
    }
    int i = Arrays.binarySearch(les, 0, n, le);
    if (i >= 0) {
      return this; // duplicate sample
    }
    i = -i - 1;
    if (i > 0 && cumulativeCount < counts[i - 1]) {
      error = "count is not cumulative: " + HistogramNotation.formatFloat(cumulativeCount) + " < "
          + HistogramNotation.formatFloat(counts[i - 1]);
      return this;
    }
    if (i < n && cumulativeCount > counts[i]) {
      error = "count is not cumulative: " + HistogramNotation.formatFloat(cumulativeCount) + " > "
          + HistogramNotation.formatFloat(counts[i]);
      return this;
    }
    if (n == les.length) {
      les = Arrays.copyOf(les, n * 2);
      counts = Arrays.copyOf(counts, n * 2);
    }
    System.arraycopy(les, i, les, i + 1, n - i);
    System.arraycopy(counts, i, counts, i + 1, n - i);
    les[i] = le;
    counts[i] = cumulativeCount;
    n++;
    return this;
  }

  /** Records the {@code _count} sample. */
  public ClassicHistogramConverter count(double c) {
    if (error != null) {
      return this;
    }
    if (c < 0) {
      error = "count must be non-negative: count=" + HistogramNotation.formatFloat(c);
      return this;
    }
    count = c;
    hasCount = true;
    return this;
  }

  /** Records the {@code _sum} sample. */
  public ClassicHistogramConverter sum(double s) {
    if (error == null) {
      sum = s;
    }
    return this;
  }

  /**
   * The NHCB: custom bounds are the finite {@code le} values, bucket counts the differences of
   * the cumulative counts, a +Inf bucket holding the count added if missing; without {@code
   * _count} the highest bucket's count is used. Integral inputs are compacted like Prometheus's
   * integer path ({@code Compact(2)}), others with {@code Compact(0)}. Throws
   * IllegalArgumentException for a recorded problem or when {@code _count} differs from the +Inf
   * bucket.
   */
  public FloatHistogram convert() {
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    double total = count;
    if (!hasCount && n > 0) {
      total = counts[n - 1];
    }
    int m = n;
    boolean addInf = n == 0 || les[n - 1] != Double.POSITIVE_INFINITY;
    if (addInf) {
      m++;
    }
    double[] cumulative = Arrays.copyOf(counts, m);
    if (addInf) {
      cumulative[m - 1] = total;
    }
    boolean integral = total == Math.rint(total) && !Double.isInfinite(total);
    for (int i = 0; i < m && integral; i++) {
      integral = cumulative[i] == Math.rint(cumulative[i]) && !Double.isInfinite(cumulative[i]);
    }
    if (total != cumulative[m - 1]) {
      throw new IllegalArgumentException("count mismatch: count="
          + HistogramNotation.formatFloat(total) + " != le=+Inf count="
          + HistogramNotation.formatFloat(cumulative[m - 1]));
    }
    double[] buckets = new double[m];
    double prev = 0;
    for (int i = 0; i < m; i++) {
      buckets[i] = cumulative[i] - prev;
      prev = cumulative[i];
    }
    double[] bounds = Arrays.copyOf(les, m - 1);
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN,
        FloatHistogram.CUSTOM_BUCKETS_SCHEMA, 0, 0, total, sum, List.of(new Span(0, m)), buckets,
        List.of(), new double[0], bounds);
    return h.compact(integral ? 2 : 0);
  }
}
