package dev.vigil.model.histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A mutable histogram for summing many histograms without allocating per addition: PromQL's
 * {@code sum}, {@code avg}, {@code sum_over_time}, rate corrections. Implements Prometheus's
 * {@code FloatHistogram.Add}/{@code Sub} (or {@code KahanAdd} when built with {@link #kahan()}):
 * the result takes the lower of the two schemas, the wider zero bucket (widened further if the
 * new threshold would cut a populated bucket), and for custom buckets either the same bounds or,
 * if they differ, the intersection of both bound sets ({@link #customBoundsReconciled()}).
 *
 * <p>Buckets are kept densely per side between the lowest and highest index seen, with a
 * presence flag per slot so the built layout matches Prometheus's (explicit zero buckets
 * survive until compaction). Kahan mode keeps a compensation term per field and bucket and folds
 * it in at {@link #build}. Flags are sticky until {@link #reset}. Not thread-safe.
 */
public final class HistogramAccumulator {
  private static final double[] NO_VALUES = new double[0];

  private final boolean kahan;
  private final Side positive = new Side();
  private final Side negative = new Side();

  private boolean empty = true;
  private CounterResetHint hint = CounterResetHint.UNKNOWN;
  private int schema;
  private double zeroThreshold;
  private double zeroCount;
  private double zeroCountC;
  private double count;
  private double countC;
  private double sum;
  private double sumC;
  private double[] customValues = NO_VALUES;
  private boolean counterResetCollision;
  private boolean customBoundsReconciled;

  // Results of zeroCountForLargerThreshold, kept in fields to avoid a pair object.
  private double otherZeroCount;
  private double otherZeroCountC;
  private double otherZeroThreshold;
  // Scratch sum of widenZeroBucket, shared with absorbBelow (two doubles cannot be returned).
  private double widenedZeroCount;
  private double widenedZeroCountC;

  private HistogramAccumulator(boolean kahan) {
    this.kahan = kahan;
  }

  /** Plain summation, bit-for-bit like Prometheus's {@code Add}/{@code Sub} (binary operators). */
  public static HistogramAccumulator plain() {
    return new HistogramAccumulator(false);
  }

  /** Kahan summation like Prometheus's {@code KahanAdd} (aggregations, {@code *_over_time}). */
  public static HistogramAccumulator kahan() {
    return new HistogramAccumulator(true);
  }

  /** Empties the accumulator and clears the sticky flags. */
  public HistogramAccumulator reset() {
    empty = true;
    hint = CounterResetHint.UNKNOWN;
    schema = 0;
    zeroThreshold = 0;
    zeroCount = 0;
    zeroCountC = 0;
    count = 0;
    countC = 0;
    sum = 0;
    sumC = 0;
    customValues = NO_VALUES;
    positive.clear();
    negative.clear();
    counterResetCollision = false;
    customBoundsReconciled = false;
    return this;
  }

  /** Resets and loads {@code h} as the starting value. */
  public HistogramAccumulator set(FloatHistogram h) {
    reset();
    load(h);
    return this;
  }

  /**
   * Resets and loads {@code h} with the Kahan compensation terms of {@code compensation} (same
   * layout as {@code h}), e.g. to resume a sum. Only meaningful in Kahan mode.
   */
  public HistogramAccumulator setWithCompensation(FloatHistogram h, FloatHistogram compensation) {
    set(h);
    if (compensation == null) {
      return this;
    }
    zeroCountC = compensation.zeroCount();
    countC = compensation.count();
    sumC = compensation.sum();
    positive.loadCompensation(compensation.positiveSpans(), compensation.positiveBuckets());
    negative.loadCompensation(compensation.negativeSpans(), compensation.negativeBuckets());
    return this;
  }

  /**
   * Makes this accumulator an exact copy of {@code o} (values, compensation, flags), reusing this
   * one's arrays: lets a caller try an addition on a scratch copy and keep or drop the result, as
   * PromQL's avg does to detect overflow. Both must use the same summation mode.
   */
  public HistogramAccumulator copyFrom(HistogramAccumulator o) {
    if (o.kahan != kahan) {
      throw new IllegalArgumentException("cannot copy between plain and Kahan accumulators");
    }
    empty = o.empty;
    hint = o.hint;
    schema = o.schema;
    zeroThreshold = o.zeroThreshold;
    zeroCount = o.zeroCount;
    zeroCountC = o.zeroCountC;
    count = o.count;
    countC = o.countC;
    sum = o.sum;
    sumC = o.sumC;
    customValues = o.customValues;
    counterResetCollision = o.counterResetCollision;
    customBoundsReconciled = o.customBoundsReconciled;
    positive.copyFrom(o.positive);
    negative.copyFrom(o.negative);
    return this;
  }

  /**
   * Whether a count, the sum or a bucket (not counting Kahan compensation) is infinite, like
   * Prometheus's HasOverflow on the running sum.
   */
  public boolean hasOverflow() {
    if (Double.isInfinite(zeroCount) || Double.isInfinite(count) || Double.isInfinite(sum)) {
      return true;
    }
    return positive.hasInfinite() || negative.hasInfinite();
  }

  /** Clears the sticky flags, e.g. to learn whether the next operation reconciles bounds. */
  public HistogramAccumulator clearFlags() {
    counterResetCollision = false;
    customBoundsReconciled = false;
    return this;
  }

  public boolean isEmpty() {
    return empty;
  }

  /** True once any addition combined a {@code COUNTER_RESET} with a {@code NOT_COUNTER_RESET} hint. */
  public boolean counterResetCollision() {
    return counterResetCollision;
  }

  /** True once any addition had to reconcile mismatched custom bucket bounds. */
  public boolean customBoundsReconciled() {
    return customBoundsReconciled;
  }

  public int schema() {
    return schema;
  }

  public CounterResetHint counterResetHint() {
    return hint;
  }

  /** Overrides the counter reset hint of the result (e.g. GAUGE after a PromQL '-'). */
  public HistogramAccumulator counterResetHint(CounterResetHint h) {
    this.hint = h;
    return this;
  }

  /**
   * Adds {@code h}. Returns false, leaving the accumulator unchanged, if one histogram uses custom
   * buckets and the other does not (Prometheus's ErrHistogramsIncompatibleSchema).
   */
  public boolean add(FloatHistogram h) {
    return combine(h, false);
  }

  /** Subtracts {@code h}; same rules as {@link #add}. The hint is adjusted as for addition. */
  public boolean sub(FloatHistogram h) {
    return combine(h, true);
  }

  /** Multiplies all counts and the sum by {@code factor}; a negative factor makes it a gauge. */
  public HistogramAccumulator mul(double factor) {
    zeroCount *= factor;
    zeroCountC *= factor;
    count *= factor;
    countC *= factor;
    sum *= factor;
    sumC *= factor;
    positive.scale(factor);
    negative.scale(factor);
    if (factor < 0) {
      hint = CounterResetHint.GAUGE;
    }
    return this;
  }

  /** Divides all counts and the sum; dividing by zero drops all buckets, as Prometheus's Div. */
  public HistogramAccumulator div(double divisor) {
    if (divisor == 0) {
      zeroCount /= divisor;
      count /= divisor;
      sum /= divisor;
      zeroCountC = 0;
      countC = 0;
      sumC = 0;
      positive.clear();
      negative.clear();
      return this;
    }
    zeroCount /= divisor;
    zeroCountC /= divisor;
    count /= divisor;
    countC /= divisor;
    sum /= divisor;
    sumC /= divisor;
    positive.divide(divisor);
    negative.divide(divisor);
    if (divisor < 0) {
      hint = CounterResetHint.GAUGE;
    }
    return this;
  }

  /**
   * The current value as an immutable histogram (Kahan compensation folded in). With {@code
   * compact}, empty buckets are dropped as by {@code Compact(0)}; otherwise every bucket either
   * input had is kept. An empty accumulator builds an empty schema-0 histogram.
   */
  public FloatHistogram build(boolean compact) {
    List<Span> posSpans = new ArrayList<>();
    double[] posBuckets = positive.export(posSpans, compact, kahan);
    List<Span> negSpans = new ArrayList<>();
    double[] negBuckets = negative.export(negSpans, compact, kahan);
    return new FloatHistogram(hint, schema, zeroThreshold,
        kahan ? zeroCount + zeroCountC : zeroCount,
        kahan ? count + countC : count,
        kahan ? sum + sumC : sum,
        posSpans, posBuckets, negSpans, negBuckets, customValues);
  }

  private void load(FloatHistogram h) {
    empty = false;
    hint = h.counterResetHint();
    schema = h.schema();
    zeroThreshold = h.zeroThreshold();
    zeroCount = h.zeroCount();
    count = h.count();
    sum = h.sum();
    customValues = h.customValues();
    positive.load(h.positiveSpans(), h.positiveBuckets());
    negative.load(h.negativeSpans(), h.negativeBuckets());
  }

  private boolean combine(FloatHistogram other, boolean subtract) {
    if (empty) {
      load(other);
      if (subtract) {
        // 0 - other, keeping other's layout and hint like Prometheus's Sub on an empty receiver.
        zeroCount = -zeroCount;
        count = -count;
        sum = -sum;
        positive.scale(-1);
        negative.scale(-1);
      }
      return true;
    }
    boolean custom = schema == FloatHistogram.CUSTOM_BUCKETS_SCHEMA;
    if (custom != other.usesCustomBuckets()) {
      return false;
    }
    adjustCounterReset(other.counterResetHint());
    double sign = subtract ? -1 : 1;
    if (!custom) {
      reconcileZeroBuckets(other);
      addScalar(0, sign * otherZeroCount);
      if (kahan) {
        addScalar(0, sign * otherZeroCountC);
      }
    }
    addScalar(1, sign * other.count());
    addScalar(2, sign * other.sum());

    if (custom) {
      if (BucketBounds.customBoundsMatch(customValues, other.customValues())) {
        positive.addBuckets(other.positiveSpans(), other.positiveBuckets(), schema, schema, sign,
            Double.NaN, kahan);
      } else {
        customBoundsReconciled = true;
        reconcileCustomBuckets(other, sign);
      }
      return true;
    }

    if (other.schema() < schema) {
      positive.reduceResolution(schema, other.schema(), kahan);
      negative.reduceResolution(schema, other.schema(), kahan);
      schema = other.schema();
    }
    positive.addBuckets(other.positiveSpans(), other.positiveBuckets(), other.schema(), schema,
        sign, zeroThreshold, kahan);
    negative.addBuckets(other.negativeSpans(), other.negativeBuckets(), other.schema(), schema,
        sign, zeroThreshold, kahan);
    return true;
  }

  /** field 0: zero count, 1: count, 2: sum. */
  private void addScalar(int field, double inc) {
    switch (field) {
      case 0 -> {
        if (kahan) {
          zeroCountC = KahanSum.compensation(inc, zeroCount, zeroCountC);
        }
        zeroCount += inc;
      }
      case 1 -> {
        if (kahan) {
          countC = KahanSum.compensation(inc, count, countC);
        }
        count += inc;
      }
      default -> {
        if (kahan) {
          sumC = KahanSum.compensation(inc, sum, sumC);
        }
        sum += inc;
      }
    }
  }

  private void adjustCounterReset(CounterResetHint other) {
    if (other == hint || hint == CounterResetHint.GAUGE) {
      return;
    }
    if (other == CounterResetHint.GAUGE) {
      hint = CounterResetHint.GAUGE;
    } else if (hint == CounterResetHint.UNKNOWN) {
      // stays unknown
    } else if (other == CounterResetHint.UNKNOWN) {
      hint = CounterResetHint.UNKNOWN;
    } else {
      // COUNTER_RESET meets NOT_COUNTER_RESET.
      hint = CounterResetHint.UNKNOWN;
      counterResetCollision = true;
    }
  }

  /**
   * Makes both zero buckets equally wide (Prometheus's reconcileZeroBuckets): leaves the other
   * histogram's effective zero count in {@link #otherZeroCount}/{@link #otherZeroCountC} and
   * widens this one's zero bucket, folding the covered buckets into it.
   */
  private void reconcileZeroBuckets(FloatHistogram other) {
    otherZeroCount = other.zeroCount();
    otherZeroCountC = 0;
    otherZeroThreshold = other.zeroThreshold();
    while (otherZeroThreshold != zeroThreshold) {
      if (zeroThreshold > otherZeroThreshold) {
        otherZeroCountForLargerThreshold(other, zeroThreshold);
      }
      if (otherZeroThreshold > zeroThreshold) {
        widenZeroBucket(otherZeroThreshold);
      }
    }
    if (!kahan) {
      otherZeroCountC = 0;
    }
  }

  private void otherZeroCountForLargerThreshold(FloatHistogram h, double larger) {
    ZeroWidening w = ZeroWidening.of(h, larger);
    otherZeroCount = w.zeroCount();
    otherZeroCountC = w.compensation();
    otherZeroThreshold = w.threshold();
  }

  /** Widens this zero bucket to at least {@code larger}, then trims and compacts like Prometheus. */
  private void widenZeroBucket(double larger) {
    // As Prometheus's widenZeroBucket: a non-empty bucket straddling the new threshold widens it
    // to that bucket's upper bound. Widening on the negative side restarts the sum, because
    // positive buckets below the new bound were not absorbed yet; on the positive side it needn't.
    while (true) {
      widenedZeroCount = zeroCount;
      widenedZeroCountC = kahan ? zeroCountC : 0;
      larger = absorbBelow(positive, larger);
      double negativeBound = absorbBelow(negative, larger);
      if (negativeBound == larger) {
        break;
      }
      larger = negativeBound;
    }
    zeroCount = widenedZeroCount;
    if (kahan) {
      zeroCountC = widenedZeroCountC;
    }
    zeroThreshold = larger;
    // Drop the buckets now inside the zero bucket. Prometheus compacts the whole histogram here
    // (it reuses Compact(0) for the trimming), so every empty bucket goes, not just trimmed ones.
    positive.trimBelow(zeroThreshold, schema);
    negative.trimBelow(zeroThreshold, schema);
    positive.dropEmpty();
    negative.dropEmpty();
  }

  /**
   * Adds the buckets of {@code s} (by absolute bounds) that lie below {@code threshold} to the
   * widened zero count, and returns the threshold widened to the upper bound of a non-empty
   * bucket straddling it, or {@code threshold} itself.
   */
  private double absorbBelow(Side s, double threshold) {
    for (int i = 0; i < s.size; i++) {
      if (!s.present[i]) {
        continue;
      }
      int idx = s.base + i;
      if (BucketBounds.exponentialBound(idx - 1, schema) >= threshold) {
        break;
      }
      widenedZeroCountC = KahanSum.compensation(s.v[i], widenedZeroCount, widenedZeroCountC);
      widenedZeroCount += s.v[i];
      if (kahan) {
        widenedZeroCountC = KahanSum.compensation(s.c[i], widenedZeroCount, widenedZeroCountC);
        widenedZeroCount += s.c[i];
      }
      double upper = BucketBounds.exponentialBound(idx, schema);
      if (upper > threshold) {
        return s.v[i] != 0 ? upper : threshold;
      }
    }
    return threshold;
  }

  private void reconcileCustomBuckets(FloatHistogram other, double sign) {
    double[] a = customValues;
    double[] b = other.customValues();
    double[] bounds = intersect(a, b);
    double[] tv = new double[bounds.length + 1];
    double[] tc = new double[bounds.length + 1];
    // Map this histogram's buckets (with their compensation) onto the common bounds.
    int intersectIdx = 0;
    Side s = positive;
    for (int i = 0; i < s.size; i++) {
      if (!s.present[i]) {
        continue;
      }
      int srcIdx = s.base + i;
      int t = tv.length - 1;
      if (srcIdx < a.length) {
        double srcBound = a[srcIdx];
        while (intersectIdx < bounds.length) {
          if (bounds[intersectIdx] >= srcBound) {
            t = intersectIdx;
            break;
          }
          intersectIdx++;
        }
      }
      tc[t] = KahanSum.compensation(s.v[i], tv[t], tc[t]);
      tv[t] += s.v[i];
      if (kahan) {
        tc[t] = KahanSum.compensation(s.c[i], tv[t], tc[t]);
        tv[t] += s.c[i];
      }
    }
    intersectIdx = 0;
    BucketIterator it = BucketIterator.positive(other);
    while (it.next()) {
      int srcIdx = it.index();
      int t = tv.length - 1;
      if (srcIdx < b.length) {
        double srcBound = b[srcIdx];
        while (intersectIdx < bounds.length) {
          if (bounds[intersectIdx] >= srcBound) {
            t = intersectIdx;
            break;
          }
          intersectIdx++;
        }
      }
      double inc = sign * it.count();
      tc[t] = KahanSum.compensation(inc, tv[t], tc[t]);
      tv[t] += inc;
    }
    s.clear();
    for (int t = 0; t < tv.length; t++) {
      if (tv[t] == 0 && tc[t] == 0) {
        continue;
      }
      int slot = s.slot(t);
      s.v[slot] = tv[t];
      s.c[slot] = kahan ? tc[t] : 0;
      s.present[slot] = true;
    }
    customValues = bounds;
  }

  /** Bounds present in both sorted arrays. */
  static double[] intersect(double[] a, double[] b) {
    double[] out = new double[Math.min(a.length, b.length)];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        out[n++] = a[i];
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * One side's buckets, densely: slot {@code i} holds bucket index {@code base + i}. Slots at and
   * beyond {@code size} are always zero and absent, so growing never needs clearing.
   */
  private static final class Side {
    int base;
    int size;
    double[] v = new double[8];
    double[] c = new double[8];
    boolean[] present = new boolean[8];

    void clear() {
      Arrays.fill(v, 0, size, 0);
      Arrays.fill(c, 0, size, 0);
      Arrays.fill(present, 0, size, false);
      size = 0;
      base = 0;
    }

    private void ensureCapacity(int n) {
      if (n > v.length) {
        int cap = Math.max(n, v.length * 2);
        v = Arrays.copyOf(v, cap);
        c = Arrays.copyOf(c, cap);
        present = Arrays.copyOf(present, cap);
      }
    }

    /** The slot of bucket {@code index}, growing the window in either direction as needed. */
    int slot(int index) {
      if (size == 0) {
        base = index;
        size = 1;
        return 0;
      }
      if (index < base) {
        int shift = base - index;
        ensureCapacity(size + shift);
        System.arraycopy(v, 0, v, shift, size);
        System.arraycopy(c, 0, c, shift, size);
        System.arraycopy(present, 0, present, shift, size);
        Arrays.fill(v, 0, shift, 0);
        Arrays.fill(c, 0, shift, 0);
        Arrays.fill(present, 0, shift, false);
        base = index;
        size += shift;
        return 0;
      }
      int s = index - base;
      if (s >= size) {
        ensureCapacity(s + 1);
        size = s + 1;
      }
      return s;
    }

    void load(List<Span> spans, double[] buckets) {
      clear();
      if (spans.isEmpty() || buckets.length == 0) {
        return;
      }
      int idx = 0;
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      for (int si = 0; si < spans.size(); si++) {
        Span span = spans.get(si);
        idx += span.offset();
        if (span.length() > 0) {
          first = Math.min(first, idx);
          last = Math.max(last, idx + span.length() - 1);
        }
        idx += span.length();
      }
      if (first == Integer.MAX_VALUE) {
        return;
      }
      ensureCapacity(last - first + 1);
      base = first;
      size = last - first + 1;
      idx = 0;
      int bi = 0;
      for (int si = 0; si < spans.size(); si++) {
        Span span = spans.get(si);
        idx += span.offset();
        for (int j = 0; j < span.length() && bi < buckets.length; j++) {
          int s = idx + j - base;
          v[s] = buckets[bi++];
          present[s] = true;
        }
        idx += span.length();
      }
    }

    void loadCompensation(List<Span> spans, double[] buckets) {
      int idx = 0;
      int bi = 0;
      for (int si = 0; si < spans.size(); si++) {
        Span span = spans.get(si);
        idx += span.offset();
        for (int j = 0; j < span.length() && bi < buckets.length; j++) {
          int s = idx + j - base;
          if (s >= 0 && s < size) {
            c[s] = buckets[bi];
          }
          bi++;
        }
        idx += span.length();
      }
    }

    void copyFrom(Side o) {
      clear();
      ensureCapacity(o.size);
      System.arraycopy(o.v, 0, v, 0, o.size);
      System.arraycopy(o.c, 0, c, 0, o.size);
      System.arraycopy(o.present, 0, present, 0, o.size);
      base = o.base;
      size = o.size;
    }

    boolean hasInfinite() {
      for (int i = 0; i < size; i++) {
        if (Double.isInfinite(v[i])) {
          return true;
        }
      }
      return false;
    }

    void scale(double factor) {
      for (int i = 0; i < size; i++) {
        v[i] *= factor;
        c[i] *= factor;
      }
    }

    void divide(double divisor) {
      for (int i = 0; i < size; i++) {
        v[i] /= divisor;
        c[i] /= divisor;
      }
    }

    /**
     * Adds (sign 1) or subtracts (sign -1) the buckets of another histogram given in {@code
     * fromSchema}, merging them into this side's {@code toSchema} first (summed per target bucket
     * before adding, like Prometheus which reduces the other histogram first). Target buckets whose
     * absolute upper bound is at most {@code threshold} lie inside the zero bucket and are skipped
     * (NaN threshold: custom buckets, never skip).
     */
    void addBuckets(List<Span> spans, double[] buckets, int fromSchema, int toSchema, double sign,
        double threshold, boolean kahan) {
      boolean reduce = fromSchema != toSchema;
      boolean checkThreshold = !Double.isNaN(threshold);
      int idx = 0;
      int bi = 0;
      boolean haveGroup = false;
      int groupIdx = 0;
      double groupV = 0;
      double groupC = 0;
      // Indexed loop: no Iterator allocation on the summing hot path.
      for (int si = 0; si < spans.size(); si++) {
        Span span = spans.get(si);
        idx += span.offset();
        for (int j = 0; j < span.length() && bi < buckets.length; j++, idx++) {
          double val = buckets[bi++];
          int t = reduce ? BucketBounds.targetIndex(idx, fromSchema, toSchema) : idx;
          if (checkThreshold && BucketBounds.exponentialBound(t, toSchema) <= threshold) {
            continue;
          }
          if (haveGroup && t == groupIdx) {
            if (kahan) {
              groupC = KahanSum.compensation(val, groupV, groupC);
            }
            groupV += val;
            continue;
          }
          if (haveGroup) {
            flush(groupIdx, sign * groupV, sign * groupC, kahan);
          }
          haveGroup = true;
          groupIdx = t;
          groupV = val;
          groupC = 0;
        }
      }
      if (haveGroup) {
        flush(groupIdx, sign * groupV, sign * groupC, kahan);
      }
    }

    private void flush(int index, double val, double comp, boolean kahan) {
      int s = slot(index);
      present[s] = true;
      if (kahan) {
        c[s] = KahanSum.compensation(val, v[s], c[s]);
        v[s] += val;
        if (comp != 0) {
          c[s] = KahanSum.compensation(comp, v[s], c[s]);
          v[s] += comp;
        }
      } else {
        v[s] += val;
      }
    }

    /** Merges buckets in place into the lower-resolution {@code to} schema. */
    void reduceResolution(int from, int to, boolean kahan) {
      if (size == 0) {
        return;
      }
      int newBase = BucketBounds.targetIndex(base, from, to);
      int last = -1;
      for (int i = 0; i < size; i++) {
        if (!present[i]) {
          continue;
        }
        double val = v[i];
        double comp = c[i];
        v[i] = 0;
        c[i] = 0;
        present[i] = false;
        int t = BucketBounds.targetIndex(base + i, from, to) - newBase;
        if (t == last) {
          if (kahan) {
            c[t] = KahanSum.compensation(val, v[t], c[t]);
            v[t] += val;
            c[t] = KahanSum.compensation(comp, v[t], c[t]);
            v[t] += comp;
          } else {
            v[t] += val;
          }
        } else {
          v[t] = val;
          c[t] = comp;
          present[t] = true;
          last = t;
        }
      }
      base = newBase;
      size = last + 1;
    }

    /** Removes buckets whose absolute lower bound is below {@code threshold}. */
    void trimBelow(double threshold, int schema) {
      for (int i = 0; i < size; i++) {
        if (!present[i]) {
          continue;
        }
        if (BucketBounds.exponentialBound(base + i - 1, schema) >= threshold) {
          break;
        }
        v[i] = 0;
        c[i] = 0;
        present[i] = false;
      }
    }

    void dropEmpty() {
      for (int i = 0; i < size; i++) {
        if (present[i] && v[i] == 0 && c[i] == 0) {
          present[i] = false;
          v[i] = 0; // normalises -0.0
        }
      }
    }

    /** Appends the spans to {@code spans} and returns the bucket values. */
    double[] export(List<Span> spans, boolean compact, boolean kahan) {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (keep(i, compact, kahan)) {
          n++;
        }
      }
      double[] out = new double[n];
      int k = 0;
      int prevEnd = 0; // bucket index after the last exported span
      int spanStart = 0;
      int spanLen = 0;
      for (int i = 0; i < size; i++) {
        if (!keep(i, compact, kahan)) {
          continue;
        }
        int idx = base + i;
        out[k++] = kahan ? v[i] + c[i] : v[i];
        if (spanLen > 0 && idx == spanStart + spanLen) {
          spanLen++;
          continue;
        }
        if (spanLen > 0) {
          spans.add(new Span(spans.isEmpty() ? spanStart : spanStart - prevEnd, spanLen));
          prevEnd = spanStart + spanLen;
        }
        spanStart = idx;
        spanLen = 1;
      }
      if (spanLen > 0) {
        spans.add(new Span(spans.isEmpty() ? spanStart : spanStart - prevEnd, spanLen));
      }
      return out;
    }

    private boolean keep(int i, boolean compact, boolean kahan) {
      if (!present[i]) {
        return false;
      }
      return !compact || (kahan ? v[i] + c[i] : v[i]) != 0;
    }
  }
}
