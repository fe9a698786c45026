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

  /**
   * A histogram of no observations with this one's schema, zero threshold and custom bounds,
   * hinted as a counter reset: where a counter histogram begins, the zero sample stored at its
   * start timestamp.
   */
  public FloatHistogram emptyStart() {
    return new FloatHistogram(CounterResetHint.COUNTER_RESET, schema, zeroThreshold, 0, 0, 0,
        List.of(), new double[0], List.of(), new double[0], customValues);
  }

  /** A copy with all bucket counts, the zero count, the count and the sum scaled by factor. */
  public FloatHistogram mul(double factor) {
    double[] pos = positiveBuckets.clone();
    for (int i = 0; i < pos.length; i++) {
      pos[i] *= factor;
    }
    double[] neg = negativeBuckets.clone();
    for (int i = 0; i < neg.length; i++) {
      neg[i] *= factor;
    }
    return new FloatHistogram(factor < 0 ? CounterResetHint.GAUGE : counterResetHint, schema,
        zeroThreshold, zeroCount * factor, count * factor, sum * factor, positiveSpans, pos,
        negativeSpans, neg, customValues);
  }

  /**
   * A copy divided by {@code divisor}. Dividing by zero drops every bucket (count, zero count
   * and sum become ±Inf or NaN), as Prometheus's {@code Div}; a negative divisor makes a gauge.
   */
  public FloatHistogram div(double divisor) {
    if (divisor == 0) {
      return new FloatHistogram(counterResetHint, schema, zeroThreshold, zeroCount / divisor,
          count / divisor, sum / divisor, List.of(), new double[0], List.of(), new double[0],
          customValues);
    }
    double[] pos = positiveBuckets.clone();
    for (int i = 0; i < pos.length; i++) {
      pos[i] /= divisor;
    }
    double[] neg = negativeBuckets.clone();
    for (int i = 0; i < neg.length; i++) {
      neg[i] /= divisor;
    }
    return new FloatHistogram(divisor < 0 ? CounterResetHint.GAUGE : counterResetHint, schema,
        zeroThreshold, zeroCount / divisor, count / divisor, sum / divisor, positiveSpans, pos,
        negativeSpans, neg, customValues);
  }

  /** Unary minus: {@code mul(-1)}, which also makes the result a gauge histogram. */
  public FloatHistogram negate() {
    return mul(-1);
  }

  /**
   * {@code this + other} with Prometheus's {@code Add} semantics (plain, not Kahan, summation;
   * result not compacted). Throws {@link IncompatibleHistogramsException} when mixing exponential
   * and custom buckets.
   */
  public CombineResult add(FloatHistogram other) {
    return combine(other, false);
  }

  /**
   * {@code this - other} with Prometheus's {@code Sub} semantics. The hint is adjusted as for
   * addition; PromQL's '-' operator must then set it to GAUGE itself.
   */
  public CombineResult sub(FloatHistogram other) {
    return combine(other, true);
  }

  private CombineResult combine(FloatHistogram other, boolean subtract) {
    HistogramAccumulator acc = HistogramAccumulator.plain().set(this);
    boolean ok = subtract ? acc.sub(other) : acc.add(other);
    if (!ok) {
      throw new IncompatibleHistogramsException();
    }
    return new CombineResult(acc.build(false), acc.counterResetCollision(),
        acc.customBoundsReconciled());
  }

  /**
   * PromQL's trim operators: {@code h </ rhs} ({@code upperTrim}, keep observations below rhs)
   * and {@code h >/ rhs} (keep those above). Buckets on the dropped side are emptied and a bucket
   * containing rhs keeps its interpolated share; if anything changed, count and sum are
   * re-estimated from bucket midpoints and the result is compacted. Returns this if nothing was
   * trimmed.
   */
  public FloatHistogram trimBuckets(double rhs, boolean upperTrim) {
    return BucketTrimming.trim(this, rhs, upperTrim);
  }

  /** {@code compact(0)}: drops every empty bucket and merges adjacent spans. */
  public FloatHistogram compact() {
    return compact(0);
  }

  /**
   * Prometheus's {@code Compact(maxEmptyBuckets)}: drops empty buckets at span edges, splits
   * spans at runs of more than {@code maxEmptyBuckets} empty buckets and merges spans at most that
   * many buckets apart. Returns this instance when nothing changes.
   */
  public FloatHistogram compact(int maxEmptyBuckets) {
    Layout pos = Layout.compact(positiveSpans, positiveBuckets, maxEmptyBuckets);
    Layout neg = Layout.compact(negativeSpans, negativeBuckets, maxEmptyBuckets);
    if (pos.spans().equals(positiveSpans) && Arrays.equals(pos.buckets(), positiveBuckets)
        && neg.spans().equals(negativeSpans) && Arrays.equals(neg.buckets(), negativeBuckets)) {
      return this;
    }
    return new FloatHistogram(counterResetHint, schema, zeroThreshold, zeroCount, count, sum,
        pos.spans(), pos.buckets(), neg.spans(), neg.buckets(), customValues);
  }

  /**
   * Prometheus's {@code CopyToSchema}: the same observations in the lower-resolution {@code
   * targetSchema} (≤ schema). Like Prometheus, the copy's counter reset hint is UNKNOWN unless the
   * schema is unchanged (then this instance is returned).
   */
  public FloatHistogram copyToSchema(int targetSchema) {
    if (targetSchema == schema) {
      return this;
    }
    if (usesCustomBuckets()) {
      throw new IllegalStateException(
          "cannot reduce resolution to " + targetSchema + " when there are custom buckets");
    }
    if (targetSchema == CUSTOM_BUCKETS_SCHEMA) {
      throw new IllegalArgumentException("cannot reduce resolution to custom buckets schema");
    }
    if (targetSchema > schema) {
      throw new IllegalArgumentException(
          "cannot copy from schema " + schema + " to " + targetSchema);
    }
    Layout pos = Layout.reduceResolution(positiveSpans, positiveBuckets, schema, targetSchema);
    Layout neg = Layout.reduceResolution(negativeSpans, negativeBuckets, schema, targetSchema);
    return new FloatHistogram(CounterResetHint.UNKNOWN, targetSchema, zeroThreshold, zeroCount,
        count, sum, pos.spans(), pos.buckets(), neg.spans(), neg.buckets(), null);
  }

  /**
   * Prometheus's {@code ReduceResolution}: like {@link #copyToSchema} but keeps the hint and
   * requires {@code targetSchema < schema}; throws IllegalArgumentException otherwise.
   */
  public FloatHistogram reduceResolution(int targetSchema) {
    if (usesCustomBuckets()) {
      throw new IllegalArgumentException("cannot reduce resolution when there are custom buckets");
    }
    if (targetSchema == CUSTOM_BUCKETS_SCHEMA) {
      throw new IllegalArgumentException("cannot reduce resolution to custom buckets schema");
    }
    if (targetSchema >= schema) {
      throw new IllegalArgumentException(
          "cannot reduce resolution from schema " + schema + " to " + targetSchema);
    }
    Layout pos = Layout.reduceResolution(positiveSpans, positiveBuckets, schema, targetSchema);
    Layout neg = Layout.reduceResolution(negativeSpans, negativeBuckets, schema, targetSchema);
    return new FloatHistogram(counterResetHint, targetSchema, zeroThreshold, zeroCount, count,
        sum, pos.spans(), pos.buckets(), neg.spans(), neg.buckets(), null);
  }

  /**
   * Prometheus's {@code DetectReset}: whether this histogram, following {@code previous}, shows
   * a counter reset. Trusts an explicit COUNTER_RESET / NOT_COUNTER_RESET hint; otherwise a reset
   * is any decrease of the count, the zero count or a bucket (after bringing {@code previous} to
   * this schema and zero threshold), a resolution increase or a zero-threshold decrease.
   */
  public boolean detectReset(FloatHistogram previous) {
    return ResetDetection.detectReset(this, previous);
  }

  /**
   * Prometheus's {@code Equals}: same schema, zero threshold, custom bounds, bucket layout
   * (ignoring zero-length spans) and bit-identical count, sum, zero count and bucket counts. The
   * counter reset hint is not compared.
   */
  public boolean equalsExact(FloatHistogram o) {
    if (o == null) {
      return false;
    }
    if (schema != o.schema || !sameBits(count, o.count) || !sameBits(sum, o.sum)) {
      return false;
    }
    if (usesCustomBuckets() && !BucketBounds.customBoundsMatch(customValues, o.customValues)) {
      return false;
    }
    if (zeroThreshold != o.zeroThreshold || !sameBits(zeroCount, o.zeroCount)) {
      return false;
    }
    return Layout.spansMatch(negativeSpans, o.negativeSpans)
        && bucketsSameBits(negativeBuckets, o.negativeBuckets)
        && Layout.spansMatch(positiveSpans, o.positiveSpans)
        && bucketsSameBits(positiveBuckets, o.positiveBuckets);
  }

  private static boolean sameBits(double a, double b) {
    return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
  }

  private static boolean bucketsSameBits(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!sameBits(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  /** The zero bucket [-zeroThreshold, zeroThreshold]; custom-bucket histograms have none. */
  public Bucket zeroBucket() {
    if (usesCustomBuckets()) {
      throw new IllegalStateException("histograms with custom buckets have no zero bucket");
    }
    return new Bucket(-zeroThreshold, zeroThreshold, true, true, zeroCount, 0);
  }

  /** Whether any count, the sum or a custom bound is infinite (aggregation overflow). */
  public boolean hasOverflow() {
    if (Double.isInfinite(zeroCount) || Double.isInfinite(count) || Double.isInfinite(sum)) {
      return true;
    }
    for (double v : positiveBuckets) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    for (double v : negativeBuckets) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    for (double v : customValues) {
      if (Double.isInfinite(v)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Prometheus's {@code Validate}: spans consistent with buckets, no negative counts, a valid
   * schema, custom bounds strictly increasing and finite. Throws IllegalArgumentException with
   * Prometheus's message.
   */
  public void validate() {
    Validation.validate(this);
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
