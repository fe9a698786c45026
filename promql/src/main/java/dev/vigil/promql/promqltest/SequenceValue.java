package dev.vigil.promql.promqltest;

import dev.vigil.model.histogram.FloatHistogram;

/**
 * One position of an expanded series description: omitted ({@code _}), a float (possibly the
 * stale marker), or a native histogram.
 *
 * @param counterResetHintSet the histogram literal spelled out its counter reset hint, so a
 *     comparison must check it
 */
public record SequenceValue(
    boolean omitted, double value, FloatHistogram histogram, boolean counterResetHintSet) {
  public static final SequenceValue OMITTED = new SequenceValue(true, 0, null, false);

  public static SequenceValue ofFloat(double v) {
    return new SequenceValue(false, v, null, false);
  }

  public static SequenceValue ofHistogram(FloatHistogram h, boolean counterResetHintSet) {
    return new SequenceValue(false, 0, h, counterResetHintSet);
  }

  @Override
  public String toString() {
    if (omitted) {
      return "_";
    }
    return histogram != null
        ? dev.vigil.model.histogram.HistogramNotation.format(histogram)
        : ResultFormat.formatFloat(value);
  }
}
