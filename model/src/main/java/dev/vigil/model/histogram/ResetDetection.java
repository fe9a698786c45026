package dev.vigil.model.histogram;

/** Counter reset detection between consecutive histogram samples (Prometheus's DetectReset). */
final class ResetDetection {
  private ResetDetection() {}

  static boolean detectReset(FloatHistogram h, FloatHistogram previous) {
    if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
      return true;
    }
    if (h.counterResetHint() == CounterResetHint.NOT_COUNTER_RESET) {
      return false;
    }
    // UNKNOWN and GAUGE: do the work (PromQL may apply counter functions to gauges; it warns).
    if (h.count() < previous.count()) {
      return true;
    }
    if (h.usesCustomBuckets() != previous.usesCustomBuckets()) {
      // A switch between exponential and custom buckets means the producer changed or restarted.
      return true;
    }
    if (h.usesCustomBuckets()) {
      if (!BucketBounds.customBoundsMatch(h.customValues(), previous.customValues())) {
        return resetWithMismatchedCustomBounds(h, previous);
      }
    } else {
      if (h.schema() > previous.schema()) {
        return true;
      }
      if (h.zeroThreshold() < previous.zeroThreshold()) {
        return true;
      }
      ZeroWidening w = ZeroWidening.of(previous, h.zeroThreshold());
      if (w.threshold() != h.zeroThreshold()) {
        // The threshold lies inside a populated bucket of the previous histogram.
        return true;
      }
      if (h.zeroCount() < w.zeroCount()) {
        return true;
      }
    }
    double start = h.usesCustomBuckets() ? 0 : h.zeroThreshold();
    if (reset(new MergingIterator(h, true, start, h.schema()),
        new MergingIterator(previous, true, start, h.schema()))) {
      return true;
    }
    return reset(new MergingIterator(h, false, start, h.schema()),
        new MergingIterator(previous, false, start, h.schema()));
  }

  private static boolean reset(MergingIterator curr, MergingIterator prev) {
    if (!prev.next()) {
      return false;
    }
    if (!curr.next()) {
      return anyPopulated(prev);
    }
    while (true) {
      while (curr.index < prev.index) {
        if (!curr.next()) {
          // The previous histogram has buckets the current one lacks.
          return anyPopulated(prev);
        }
      }
      if (curr.index > prev.index) {
        if (prev.count != 0) {
          return true;
        }
      } else if (curr.count < prev.count) {
        return true;
      }
      if (!prev.next()) {
        return false;
      }
    }
  }

  /** Whether the current or any later bucket of {@code it} is populated. */
  private static boolean anyPopulated(MergingIterator it) {
    do {
      if (it.count != 0) {
        return true;
      }
    } while (it.next());
    return false;
  }

  /**
   * Custom buckets with different bounds: compare cumulative counts at every bound both share
   * (and +Inf); any decrease is a reset.
   */
  private static boolean resetWithMismatchedCustomBounds(FloatHistogram h, FloatHistogram prev) {
    double[] cb = h.customValues();
    double[] pb = prev.customValues();
    Rollup curr = new Rollup(h);
    Rollup previous = new Rollup(prev);
    int ci = 0;
    int pi = 0;
    while (ci <= cb.length && pi <= pb.length) {
      double c = ci < cb.length ? cb[ci] : Double.POSITIVE_INFINITY;
      double p = pi < pb.length ? pb[pi] : Double.POSITIVE_INFINITY;
      if (c == p) {
        if (curr.sumUpTo(c) < previous.sumUpTo(c)) {
          return true;
        }
        ci++;
        pi++;
      } else if (c < p) {
        ci++;
      } else {
        pi++;
      }
    }
    return false;
  }

  /** Sums bucket counts up to a bound, each bucket at most once. */
  private static final class Rollup {
    private final BucketIterator it;
    private boolean pending;
    private boolean done;

    Rollup(FloatHistogram h) {
      it = BucketIterator.positive(h);
    }

    double sumUpTo(double bound) {
      double s = 0;
      while (!done) {
        if (!pending) {
          if (!it.next()) {
            done = true;
            break;
          }
          pending = true;
        }
        if (it.upper() > bound) {
          break;
        }
        s += it.count();
        pending = false;
      }
      return s;
    }
  }

  /**
   * One side's buckets merged into a lower {@code targetSchema}, skipping leading buckets whose
   * absolute upper bound is at most {@code startValue} (exponential schemas only).
   */
  static final class MergingIterator {
    private final BucketIterator it;
    private final int originSchema;
    private final int targetSchema;
    private final double startValue;
    private boolean started;
    private boolean hasPending;
    private int pendingIdx;
    private double pendingCount;
    int index;
    double count;

    MergingIterator(FloatHistogram h, boolean positive, double startValue, int targetSchema) {
      if (targetSchema > h.schema()) {
        throw new IllegalArgumentException(
            "cannot merge from schema " + h.schema() + " to " + targetSchema);
      }
      this.it = new BucketIterator().reset(h, positive, false);
      this.originSchema = h.schema();
      this.targetSchema = targetSchema;
      this.startValue = startValue;
      this.started = startValue == 0;
    }

    private int target(int idx) {
      return originSchema == targetSchema
          ? idx
          : BucketBounds.targetIndex(idx, originSchema, targetSchema);
    }

    boolean next() {
      while (true) {
        if (!hasPending) {
          if (!it.next()) {
            return false;
          }
          pendingIdx = target(it.index());
          pendingCount = it.count();
        }
        index = pendingIdx;
        count = pendingCount;
        hasPending = false;
        while (it.next()) {
          int t = target(it.index());
          if (t == index) {
            count += it.count();
          } else {
            pendingIdx = t;
            pendingCount = it.count();
            hasPending = true;
            break;
          }
        }
        if (!started && BucketBounds.isExponentialSchema(targetSchema)
            && BucketBounds.exponentialBound(index, targetSchema) <= startValue) {
          continue;
        }
        started = true;
        return true;
      }
    }
  }
}
