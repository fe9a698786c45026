package dev.vigil.promql.value;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;

/**
 * One series of a matrix: float points and histogram points, each in timestamp order (as in
 * Prometheus, the two kinds are kept apart). Arrays are owned by the record; do not modify.
 */
public record RangeSeries(
    Labels labels,
    long[] floatTimestamps,
    double[] floatValues,
    long[] histogramTimestamps,
    FloatHistogram[] histograms) {
  public int floatCount() {
    return floatTimestamps.length;
  }

  public int histogramCount() {
    return histogramTimestamps.length;
  }
}
