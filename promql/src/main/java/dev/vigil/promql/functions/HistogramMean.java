package dev.vigil.promql.functions;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramAccumulator;

/**
 * The mean of native histograms as Prometheus computes it for avg and avg_over_time: a Kahan
 * sum divided by the count, switching to an incremental mean once the sum would overflow.
 * Reusable via {@link #reset()}; not thread-safe.
 */
public final class HistogramMean {
  private final HistogramAccumulator sum = HistogramAccumulator.kahan();
  private final HistogramAccumulator mean = HistogramAccumulator.kahan();
  private FloatHistogram lastSum;
  private double count;
  private boolean incremental;
  private boolean reconciled;

  public HistogramMean reset() {
    sum.reset();
    mean.reset();
    lastSum = null;
    count = 0;
    incremental = false;
    reconciled = false;
    return this;
  }

  /** Adds {@code h}; false (state unchanged) when it mixes exponential and custom buckets. */
  public boolean add(FloatHistogram h) {
    if (count == 0) {
      count = 1;
      sum.set(h);
      lastSum = h;
      return true;
    }
    if (!incremental) {
      if (!sum.add(h)) {
        return false;
      }
      count++;
      reconciled |= sum.customBoundsReconciled();
      FloatHistogram s = sum.build(false);
      if (!s.hasOverflow()) {
        lastSum = s;
        return true;
      }
      incremental = true;
      mean.set(lastSum).div(count - 1);
    } else {
      count++;
    }
    mean.mul((count - 1) / count);
    boolean ok = mean.add(h.div(count));
    reconciled |= mean.customBoundsReconciled();
    return ok;
  }

  /** Whether custom bucket bounds had to be reconciled while adding. */
  public boolean customBoundsReconciled() {
    return reconciled;
  }

  public double count() {
    return count;
  }

  /** The mean of everything added (compacted); call once. */
  public FloatHistogram result() {
    if (incremental) {
      return mean.build(true);
    }
    return sum.div(count).build(true);
  }
}
