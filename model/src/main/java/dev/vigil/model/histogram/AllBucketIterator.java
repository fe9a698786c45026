package dev.vigil.model.histogram;

/**
 * Iterates all buckets of a histogram in ascending order (negative buckets, the zero bucket if
 * populated, positive buckets) or in descending order. Buckets overlapping the zero bucket get
 * their bound next to zero clamped to the zero threshold, as Prometheus's {@code
 * AllBucketIterator}. Reusable via {@link #reset}; not thread-safe.
 */
public final class AllBucketIterator {
  private final BucketIterator left = new BucketIterator();
  private final BucketIterator right = new BucketIterator();
  private FloatHistogram h;
  private int state; // -1: left side, 0: zero bucket next, 1: right side, 2: done

  private double lower;
  private double upper;
  private boolean lowerInclusive;
  private boolean upperInclusive;
  private double count;
  private int index;

  public static AllBucketIterator ascending(FloatHistogram h) {
    return new AllBucketIterator().reset(h, true);
  }

  public static AllBucketIterator descending(FloatHistogram h) {
    return new AllBucketIterator().reset(h, false);
  }

  public AllBucketIterator reset(FloatHistogram h, boolean ascending) {
    this.h = h;
    if (ascending) {
      left.reset(h, false, true);
      right.reset(h, true, false);
    } else {
      left.reset(h, true, true);
      right.reset(h, false, false);
    }
    state = -1;
    return this;
  }

  public boolean next() {
    while (true) {
      switch (state) {
        case -1 -> {
          if (left.next()) {
            load(left);
            return true;
          }
          state = 0;
        }
        case 0 -> {
          state = 1;
          if (h.zeroCount() > 0) {
            lower = -h.zeroThreshold();
            upper = h.zeroThreshold();
            lowerInclusive = true;
            upperInclusive = true;
            count = h.zeroCount();
            index = 0;
            return true;
          }
        }
        case 1 -> {
          if (right.next()) {
            load(right);
            return true;
          }
          state = 2;
        }
        default -> {
          return false;
        }
      }
    }
  }

  private void load(BucketIterator it) {
    lower = it.lower();
    upper = it.upper();
    lowerInclusive = it.lowerInclusive();
    upperInclusive = it.upperInclusive();
    count = it.count();
    index = it.index();
    double zt = h.zeroThreshold();
    if (upper < 0 && upper > -zt) {
      upper = -zt;
    } else if (lower > 0 && lower < zt) {
      lower = zt;
    }
  }

  public double lower() {
    return lower;
  }

  public double upper() {
    return upper;
  }

  public boolean lowerInclusive() {
    return lowerInclusive;
  }

  public boolean upperInclusive() {
    return upperInclusive;
  }

  public double count() {
    return count;
  }

  /** Bucket index within its schema and sign; 0 (meaningless) for the zero bucket. */
  public int index() {
    return index;
  }

  public Bucket bucket() {
    return new Bucket(lower, upper, lowerInclusive, upperInclusive, count, index);
  }
}
