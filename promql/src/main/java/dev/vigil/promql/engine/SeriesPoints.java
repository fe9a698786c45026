package dev.vigil.promql.engine;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import java.util.Arrays;

/**
 * One series of an intermediate matrix: float points and histogram points in primitive arrays
 * (kept apart as Prometheus does), plus the delayed-name-removal mark. Mutable while a node
 * builds it, then read-only.
 */
final class SeriesPoints {
  Labels labels;
  boolean dropName;
  long[] ft;
  double[] fv;
  int fn;
  long[] ht;
  FloatHistogram[] hv;
  int hn;
  /** Last step timestamp written, to detect duplicate output series within one step. */
  long lastT = Long.MIN_VALUE;

  SeriesPoints(Labels labels, boolean dropName, int capacity) {
    this.labels = labels;
    this.dropName = dropName;
    int c = Math.max(capacity, 1);
    ft = new long[c];
    fv = new double[c];
  }

  void addF(long t, double v) {
    if (fn == ft.length) {
      ft = Arrays.copyOf(ft, fn * 2);
      fv = Arrays.copyOf(fv, fn * 2);
    }
    ft[fn] = t;
    fv[fn] = v;
    fn++;
  }

  void addH(long t, FloatHistogram h) {
    if (ht == null) {
      ht = new long[4];
      hv = new FloatHistogram[4];
    } else if (hn == ht.length) {
      ht = Arrays.copyOf(ht, hn * 2);
      hv = Arrays.copyOf(hv, hn * 2);
    }
    ht[hn] = t;
    hv[hn] = h;
    hn++;
  }

  void add(long t, double f, FloatHistogram h) {
    if (h == null) {
      addF(t, f);
    } else {
      addH(t, h);
    }
  }

  int size() {
    return fn + hn;
  }

  void clearPoints() {
    fn = 0;
    if (hn > 0) {
      Arrays.fill(hv, 0, hn, null);
    }
    hn = 0;
  }
}
