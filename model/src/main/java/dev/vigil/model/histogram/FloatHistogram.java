package dev.vigil.model.histogram;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A native histogram sample with float counts (Prometheus's {@code FloatHistogram}): exponential
 * buckets of the given {@code schema} (-4..8), a zero bucket, or custom bucket bounds
 * ({@code schema == CUSTOM_BUCKETS_SCHEMA}, NHCB). Bucket counts are absolute, not deltas.
 *
 * <p>Immutable: operations return new instances. Arrays passed in are owned by the instance.
 */
public final class FloatHistogram {
  /** Schema number Prometheus uses for native histograms with custom buckets. */
  public static final int CUSTOM_BUCKETS_SCHEMA = -53;

  private final CounterResetHint counterResetHint;
  private final int schema;
  private final double zeroThreshold;
  private final double zeroCount;
  private final double count;
  private final double sum;
  private final List<Span> positiveSpans;
  private final double[] positiveBuckets;
  private final List<Span> negativeSpans;
  private final double[] negativeBuckets;
  private final double[] customValues;

  public FloatHistogram(
      CounterResetHint counterResetHint,
      int schema,
      double zeroThreshold,
      double zeroCount,
      double count,
      double sum,
      List<Span> positiveSpans,
      double[] positiveBuckets,
      List<Span> negativeSpans,
      double[] negativeBuckets,
      double[] customValues) {
    this.counterResetHint = Objects.requireNonNull(counterResetHint);
    this.schema = schema;
    this.zeroThreshold = zeroThreshold;
    this.zeroCount = zeroCount;
    this.count = count;
    this.sum = sum;
    this.positiveSpans = List.copyOf(positiveSpans);
    this.positiveBuckets = positiveBuckets;
    this.negativeSpans = List.copyOf(negativeSpans);
    this.negativeBuckets = negativeBuckets;
    this.customValues = customValues == null ? new double[0] : customValues;
  }

  public CounterResetHint counterResetHint() {
    return counterResetHint;
  }

  public int schema() {
    return schema;
  }

  public boolean usesCustomBuckets() {
    return schema == CUSTOM_BUCKETS_SCHEMA;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public double zeroCount() {
    return zeroCount;
  }

  public double count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public List<Span> positiveSpans() {
    return positiveSpans;
  }

  /** The positive bucket counts; the caller must not modify the array. */
  public double[] positiveBuckets() {
    return positiveBuckets;
  }

  public List<Span> negativeSpans() {
    return negativeSpans;
  }

  /** The negative bucket counts; the caller must not modify the array. */
  public double[] negativeBuckets() {
    return negativeBuckets;
  }

  /** Upper bounds of the custom buckets (NHCB); empty for exponential schemas. */
  public double[] customValues() {
    return customValues;
  }

  public FloatHistogram withCounterResetHint(CounterResetHint hint) {
    return new FloatHistogram(hint, schema, zeroThreshold, zeroCount, count, sum, positiveSpans,
        positiveBuckets, negativeSpans, negativeBuckets, customValues);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FloatHistogram h)) {
      return false;
    }
    return h.counterResetHint == counterResetHint && h.schema == schema
        && Double.compare(h.zeroThreshold, zeroThreshold) == 0
        && Double.compare(h.zeroCount, zeroCount) == 0 && Double.compare(h.count, count) == 0
        && Double.compare(h.sum, sum) == 0 && h.positiveSpans.equals(positiveSpans)
        && Arrays.equals(h.positiveBuckets, positiveBuckets) && h.negativeSpans.equals(negativeSpans)
        && Arrays.equals(h.negativeBuckets, negativeBuckets)
        && Arrays.equals(h.customValues, customValues);
  }

  @Override
  public int hashCode() {
    return Objects.hash(schema, count, sum, Arrays.hashCode(positiveBuckets));
  }

  @Override
  public String toString() {
    return "{schema:" + schema + " count:" + count + " sum:" + sum + " z_bucket:" + zeroCount
        + " z_bucket_w:" + zeroThreshold + " pos:" + positiveSpans + Arrays.toString(positiveBuckets)
        + " neg:" + negativeSpans + Arrays.toString(negativeBuckets)
        + (customValues.length > 0 ? " custom:" + Arrays.toString(customValues) : "")
        + " hint:" + counterResetHint + "}";
  }
}
