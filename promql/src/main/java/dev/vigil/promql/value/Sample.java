package dev.vigil.promql.value;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;

/**
 * One element of an instant vector: a float ({@code h == null}) or a native histogram sample.
 */
public record Sample(Labels labels, long t, double f, FloatHistogram h) {
  public static Sample ofFloat(Labels labels, long t, double f) {
    return new Sample(labels, t, f, null);
  }

  public boolean isHistogram() {
    return h != null;
  }
}
