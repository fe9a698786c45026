package dev.vigil.promql.functions;

import dev.vigil.model.histogram.FloatHistogram;

/** The result slot of a range function for one step: nothing, a float or a histogram. */
public final class RangeOut {
  public boolean present;
  public double f;
  public FloatHistogram h;

  public void reset() {
    present = false;
    f = 0;
    h = null;
  }

  public boolean setFloat(double v) {
    present = true;
    f = v;
    h = null;
    return true;
  }

  public boolean setHistogram(FloatHistogram v) {
    present = true;
    h = v;
    return true;
  }
}
