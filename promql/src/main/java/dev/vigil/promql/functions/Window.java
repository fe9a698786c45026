package dev.vigil.promql.functions;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.parser.PositionRange;

/**
 * The samples of one series inside one range-selector window, as views into the engine's
 * arrays: floats are {@code ft/fv[fFrom, fTo)}, histograms {@code ht/hv[hFrom, hTo)}, both in
 * time order and free of staleness markers. The arrays belong to the engine and are only valid
 * during the call. Reused across steps and series.
 */
public final class Window {
  public Labels metric;
  public long[] ft;
  public double[] fv;
  public int fFrom;
  public int fTo;
  public long[] ht;
  public FloatHistogram[] hv;
  public int hFrom;
  public int hTo;
  /**
   * Start timestamps parallel to {@code ft} / {@code ht} (0 = unknown), or null when the
   * engine does not pass them (start timestamps off, a function that ignores them, subquery
   * input, or a series without any). Read them with {@link #floatStart} / {@link
   * #histogramStart}.
   */
  public long[] fst;
  public long[] hst;
  /** Exclusive start of the range: evaluation time - offset - range. */
  public long rangeStart;
  /** Inclusive end of the range: evaluation time - offset. */
  public long rangeEnd;
  /** The evaluation timestamp (milliseconds). */
  public long ts;
  public boolean anchored;
  public boolean smoothed;
  /** Float samples of the whole series in {@code ft/fv} (the window is a slice of them). */
  public int seriesFloatCount;
  /**
   * Bumped by the engine whenever the window moves to another series, so functions can keep
   * per-series precomputations in {@link #seriesScratch} (e.g. counter-reset prefix counts).
   */
  public int seriesGeneration;
  public int scratchGeneration = -1;
  public int[] seriesScratch;

  /** Position of the range argument, for annotations. */
  public PositionRange argPos = PositionRange.NONE;

  /** Start timestamp of float sample {@code i} (an index into {@code ft}), 0 if unknown. */
  public long floatStart(int i) {
    return fst == null ? 0 : fst[i];
  }

  /** Start timestamp of histogram sample {@code i} (an index into {@code ht}), 0 if unknown. */
  public long histogramStart(int i) {
    return hst == null ? 0 : hst[i];
  }

  public int floatCount() {
    return fTo - fFrom;
  }

  public int histogramCount() {
    return hTo - hFrom;
  }

  public String metricName() {
    return metric.get(Labels.METRIC_NAME);
  }

  /** Range length in seconds. */
  public double rangeSeconds() {
    return (rangeEnd - rangeStart) / 1000.0;
  }
}
