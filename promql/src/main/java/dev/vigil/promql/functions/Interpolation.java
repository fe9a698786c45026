package dev.vigil.promql.functions;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.parser.Expr;

/** Helpers the engine shares with the functions: interpolation and absent()'s labels. */
public final class Interpolation {
  private Interpolation() {}

  /** Linear interpolation at {@code t}; for counters a drop is modelled as a restart at 0. */
  public static double linear(long t1, double y1, long t2, double y2, long t, boolean isCounter) {
    return RateFunctions.interpolate(t1, y1, t2, y2, t, isCounter);
  }

  /** The labels absent()/absent_over_time() report for a selector argument. */
  public static Labels absentLabels(Expr e) {
    return InstantFunctions.absentLabels(e);
  }

  /**
   * Histogram interpolation for smoothed selectors; throws an unchecked exception when the two
   * histograms mix exponential and custom buckets.
   */
  public static dev.vigil.model.histogram.FloatHistogram histograms(
      dev.vigil.model.histogram.FloatHistogram h1, long t1,
      dev.vigil.model.histogram.FloatHistogram h2, long t2, long t, boolean isCounter,
      FunctionContext ctx, dev.vigil.promql.parser.PositionRange pos) {
    return RateFunctions.interpolateHistograms(h1, t1, h2, t2, t, isCounter, ctx, pos);
  }
}
