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
  /**
   * Start timestamps parallel to {@code ft} / {@code ht} (0 = unknown), or null while no
   * sample of a loaded series had one. Only filled by {@link #addF(long, double, long)} and
   * {@link #addH(long, FloatHistogram, long)}, i.e. by selectors loading for functions that
   * use start timestamps; once allocated, every later sample writes its slot.
   */
  long[] fst;
  long[] hst;
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
      if (fst != null) {
        fst = Arrays.copyOf(fst, fn * 2);
      }
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
      if (hst != null) {
        hst = Arrays.copyOf(hst, hn * 2);
      }
    }
    ht[hn] = t;
    hv[hn] = h;
    hn++;
  }

  /** A float sample with its start timestamp {@code st} (0 = unknown). */
  void addF(long t, double v, long st) {
    if (st != 0 && fst == null) {
      fst = new long[ft.length];
    }
    if (fst != null) {
      if (fst.length < ft.length) {
        fst = Arrays.copyOf(fst, ft.length);
      }
      if (fn == fst.length) {
        fst = Arrays.copyOf(fst, fn * 2);
      }
      fst[fn] = st;
    }
    addF(t, v);
  }

  /** A histogram sample with its start timestamp {@code st} (0 = unknown). */
  void addH(long t, FloatHistogram h, long st) {
    addH(t, h);
    if (st != 0 && hst == null) {
      hst = new long[ht.length];
    }
    if (hst != null) {
      if (hst.length < ht.length) {
        hst = Arrays.copyOf(hst, ht.length);
      }
      hst[hn - 1] = st;
    }
  }

  /** Start timestamp of float sample {@code i}, 0 if unknown. */
  long floatStart(int i) {
    return fst == null ? 0 : fst[i];
  }

  /** Start timestamp of histogram sample {@code i}, 0 if unknown. */
  long histogramStart(int i) {
    return hst == null ? 0 : hst[i];
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
