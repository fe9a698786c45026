package dev.vigil.model.histogram;

import java.util.List;

/**
 * Iterates the buckets of one side (positive or negative) of a histogram, outward from zero or
 * (reverse) inward towards zero, without allocating per bucket. Reusable: call {@link #reset}.
 *
 * <p>Positive buckets go up from the zero bucket (reverse: from the highest bucket down); negative
 * buckets go down from the zero bucket (reverse: from the lowest bucket up). Not thread-safe.
 */
public final class BucketIterator {
  private List<Span> spans = List.of();
  private double[] buckets = new double[0];
  private double[] customValues = new double[0];
  private int schema;
  private boolean positive;
  private boolean reverse;

  private int spanIdx;
  private int idxInSpan;
  private int bucketIdx;
  private int base; // bucket index of the first bucket of the current span
  private int currIdx;
  private double currCount;

  public static BucketIterator positive(FloatHistogram h) {
    return new BucketIterator().reset(h, true, false);
  }

  public static BucketIterator negative(FloatHistogram h) {
    return new BucketIterator().reset(h, false, false);
  }

  public static BucketIterator positiveReverse(FloatHistogram h) {
    return new BucketIterator().reset(h, true, true);
  }

  public static BucketIterator negativeReverse(FloatHistogram h) {
    return new BucketIterator().reset(h, false, true);
  }

  /** Restarts this iterator on a side of {@code h}; returns this. */
  public BucketIterator reset(FloatHistogram h, boolean positive, boolean reverse) {
    return reset(
        positive ? h.positiveSpans() : h.negativeSpans(),
        positive ? h.positiveBuckets() : h.negativeBuckets(),
        h.schema(),
        positive,
        positive ? h.customValues() : new double[0],
        reverse);
  }

  BucketIterator reset(
      List<Span> spans, double[] buckets, int schema, boolean positive, double[] customValues,
      boolean reverse) {
    this.spans = spans;
    this.buckets = buckets;
    this.schema = schema;
    this.positive = positive;
    this.customValues = customValues;
    this.reverse = reverse;
    currCount = 0;
    currIdx = 0;
    if (!reverse) {
      spanIdx = 0;
      idxInSpan = 0;
      bucketIdx = 0;
      base = spans.isEmpty() ? 0 : spans.getFirst().offset();
    } else {
      spanIdx = spans.size() - 1;
      bucketIdx = buckets.length - 1;
      int b = 0;
      for (int i = 0; i < spans.size(); i++) {
        b += spans.get(i).offset();
        if (i < spans.size() - 1) {
          b += spans.get(i).length();
        }
      }
      base = b;
      idxInSpan = spanIdx >= 0 ? spans.get(spanIdx).length() - 1 : -1;
    }
    return this;
  }

  /** Advances to the next bucket; false when exhausted. */
  public boolean next() {
    int n = spans.size();
    if (!reverse) {
      while (spanIdx < n && idxInSpan >= spans.get(spanIdx).length()) {
        int end = base + spans.get(spanIdx).length();
        spanIdx++;
        idxInSpan = 0;
        if (spanIdx < n) {
          base = end + spans.get(spanIdx).offset();
        }
      }
      if (spanIdx >= n || bucketIdx >= buckets.length) {
        return false;
      }
      currIdx = base + idxInSpan;
      currCount = buckets[bucketIdx];
      idxInSpan++;
      bucketIdx++;
      return true;
    }
    while (spanIdx >= 0 && idxInSpan < 0) {
      spanIdx--;
      if (spanIdx >= 0) {
        base -= spans.get(spanIdx + 1).offset() + spans.get(spanIdx).length();
        idxInSpan = spans.get(spanIdx).length() - 1;
      }
    }
    if (spanIdx < 0 || bucketIdx < 0) {
      return false;
    }
    currIdx = base + idxInSpan;
    currCount = buckets[bucketIdx];
    idxInSpan--;
    bucketIdx--;
    return true;
  }

  public int index() {
    return currIdx;
  }

  public double count() {
    return currCount;
  }

  public double lower() {
    return positive
        ? BucketBounds.bound(currIdx - 1, schema, customValues)
        : -BucketBounds.bound(currIdx, schema, customValues);
  }

  public double upper() {
    return positive
        ? BucketBounds.bound(currIdx, schema, customValues)
        : -BucketBounds.bound(currIdx - 1, schema, customValues);
  }

  public boolean lowerInclusive() {
    return schema == BucketBounds.CUSTOM_BUCKETS_SCHEMA ? currIdx == 0 : lower() < 0;
  }

  public boolean upperInclusive() {
    return schema == BucketBounds.CUSTOM_BUCKETS_SCHEMA || upper() > 0;
  }

  /** The current bucket as a value (allocates; prefer the accessors in loops). */
  public Bucket bucket() {
    return new Bucket(lower(), upper(), lowerInclusive(), upperInclusive(), currCount, currIdx);
  }
}
