package dev.vigil.model.histogram;

import java.util.List;

/** Prometheus's FloatHistogram.Validate, with its error messages. */
final class Validation {
  private Validation() {}

  static void validate(FloatHistogram h) {
    if (h.usesCustomBuckets()) {
      checkCustomBounds(h.customValues(), h.positiveSpans(), h.positiveBuckets().length);
      if (h.zeroCount() != 0) {
        throw new IllegalArgumentException("custom buckets: must have zero count of 0");
      }
      if (h.zeroThreshold() != 0) {
        throw new IllegalArgumentException("custom buckets: must have zero threshold of 0");
      }
      if (!h.negativeSpans().isEmpty()) {
        throw new IllegalArgumentException("custom buckets: must not have negative spans");
      }
      if (h.negativeBuckets().length > 0) {
        throw new IllegalArgumentException("custom buckets: must not have negative buckets");
      }
    } else if (BucketBounds.isExponentialSchema(h.schema())) {
      checkSpans("positive side: ", h.positiveSpans(), h.positiveBuckets().length);
      checkSpans("negative side: ", h.negativeSpans(), h.negativeBuckets().length);
      checkBuckets("negative side: ", h.negativeBuckets());
      if (h.zeroCount() < 0) {
        throw new IllegalArgumentException("zero bucket has observation count of " + h.zeroCount()
            + ": histogram has a bucket whose observation count is negative");
      }
      if (h.customValues().length > 0) {
        throw new IllegalArgumentException(
            "histogram with exponential schema must not have custom bounds");
      }
    } else {
      throw new IllegalArgumentException("histogram has an invalid schema, which must be between "
          + BucketBounds.EXPONENTIAL_SCHEMA_MIN + " and " + BucketBounds.EXPONENTIAL_SCHEMA_MAX
          + " for exponential buckets, or " + BucketBounds.CUSTOM_BUCKETS_SCHEMA
          + " for custom buckets, got schema " + h.schema());
    }
    if (h.count() < 0) {
      throw new IllegalArgumentException(
          "observation count is  " + h.count() + ": histogram's observation count is negative");
    }
    checkBuckets("positive side: ", h.positiveBuckets());
  }

  private static void checkSpans(String side, List<Span> spans, int numBuckets) {
    int n = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (i > 0 && s.offset() < 0) {
        throw new IllegalArgumentException(side + "span number " + (i + 1) + " with offset "
            + s.offset() + ": histogram has a span whose offset is negative");
      }
      n += s.length();
    }
    if (n != numBuckets) {
      throw new IllegalArgumentException(side + "spans need " + n + " buckets, have " + numBuckets
          + " buckets: histogram spans specify different number of buckets than provided");
    }
  }

  private static void checkBuckets(String side, double[] buckets) {
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] < 0) {
        throw new IllegalArgumentException(side + "bucket number " + (i + 1)
            + " has observation count of " + buckets[i]
            + ": histogram has a bucket whose observation count is negative");
      }
    }
  }

  private static void checkCustomBounds(double[] bounds, List<Span> spans, int numBuckets) {
    double prev = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < bounds.length; i++) {
      double curr = bounds[i];
      if (Double.isNaN(curr)) {
        throw new IllegalArgumentException("custom buckets: histogram custom bounds must not be NaN");
      }
      if (i > 0 && curr <= prev) {
        throw new IllegalArgumentException("custom buckets: previous bound is " + prev
            + " and current is " + curr
            + ": histogram custom bounds must be in strictly increasing order");
      }
      prev = curr;
    }
    if (prev == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("custom buckets: last +Inf bound must not be explicitly "
          + "defined: histogram custom bounds must be finite");
    }
    int n = 0;
    int total = 0;
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (s.offset() < 0) {
        throw new IllegalArgumentException("custom buckets: span number " + (i + 1)
            + " with offset " + s.offset() + ": histogram has a span whose offset is negative");
      }
      n += s.length();
      total += s.length() + s.offset();
    }
    if (n != numBuckets) {
      throw new IllegalArgumentException("custom buckets: spans need " + n + " buckets, have "
          + numBuckets + " buckets: histogram spans specify different number of buckets than provided");
    }
    if (bounds.length + 1 < total) {
      throw new IllegalArgumentException("custom buckets: only " + bounds.length
          + " custom bounds defined which is insufficient to cover total span length of " + total
          + ": histogram custom bounds are too few");
    }
  }
}
