package dev.vigil.promql.engine;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.promql.functions.Annotations;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Storage access and selectors: instant lookups with lookback and staleness, bare range
 * selectors, and the experimental anchored/smoothed variants. Each series is loaded once into a
 * reused primitive buffer and walked with cursors across the steps.
 */
final class SelectorEval {
  private final Evaluator ev;

  SelectorEval(Evaluator ev) {
    this.ev = ev;
  }

  // ---- storage access ----

  /** Selects the series of {@code vs} whose samples may fall in [mint, maxt]. */
  List<Series> select(VectorSelector vs, long mint, long maxt, long rangeMillis, String func) {
    SelectHints hints = new SelectHints(mint, maxt, ev.interval, func, List.of(), false, rangeMillis);
    SeriesSet set = ev.qc.querier.select(false, hints, vs.matchers());
    List<Series> out = new ArrayList<>();
    boolean stats = ev.qc.statsSelectors.contains(vs);
    while (set.next()) {
      out.add(stats ? HistogramStatsDecoding.wrap(set.at()) : set.at());
    }
    return out;
  }

  /**
   * Loads the samples of {@code s} with {@code mint < t <= maxt} into {@code buf} (reused).
   * Staleness markers are kept for instant lookups and dropped for range windows.
   */
  SampleIterator load(Series s, long mint, long maxt, boolean dropStale, SeriesPoints buf,
      SampleIterator reuse) {
    return load(s, mint, maxt, dropStale, false, buf, reuse);
  }

  /**
   * As above; with {@code withStart} the samples' start timestamps are kept too (see {@link
   * SeriesPoints#fst}). A separate path so that the common case pays nothing for them.
   */
  SampleIterator load(Series s, long mint, long maxt, boolean dropStale, boolean withStart,
      SeriesPoints buf, SampleIterator reuse) {
    buf.clearPoints();
    if (withStart) {
      return loadWithStart(s, mint, maxt, dropStale, buf, reuse);
    }
    SampleIterator it = s.iterator(reuse);
    ValueKind k = mint == Long.MAX_VALUE ? ValueKind.NONE : it.seek(mint + 1);
    int n = 0;
    while (k != ValueKind.NONE) {
      long t = it.atT();
      if (t > maxt) {
        break;
      }
      if (k == ValueKind.FLOAT) {
        double v = it.atF();
        if (!(dropStale && StaleNaN.is(v))) {
          buf.addF(t, v);
        }
      } else {
        FloatHistogram h = it.atHistogram();
        if (!(dropStale && StaleNaN.is(h.sum()))) {
          buf.addH(t, h);
        }
      }
      n++;
      k = it.next();
    }
    ev.qc.samplesScanned += n;
    return it;
  }

  private SampleIterator loadWithStart(Series s, long mint, long maxt, boolean dropStale,
      SeriesPoints buf, SampleIterator reuse) {
    SampleIterator it = s.iterator(reuse);
    ValueKind k = mint == Long.MAX_VALUE ? ValueKind.NONE : it.seek(mint + 1);
    int n = 0;
    while (k != ValueKind.NONE) {
      long t = it.atT();
      if (t > maxt) {
        break;
      }
      if (k == ValueKind.FLOAT) {
        double v = it.atF();
        if (!(dropStale && StaleNaN.is(v))) {
          buf.addF(t, v, it.atST());
        }
      } else {
        FloatHistogram h = it.atHistogram();
        if (!(dropStale && StaleNaN.is(h.sum()))) {
          buf.addH(t, h, it.atST());
        }
      }
      n++;
      k = it.next();
    }
    ev.qc.samplesScanned += n;
    return it;
  }

  // ---- selectors ----

  /**
   * An instant vector selector at every step: the newest sample within the lookback window
   * before the (offset, @-adjusted) step time, unless it is a staleness marker. With {@code
   * timestampValues} the value is the sample's own timestamp in seconds (for timestamp()).
   */
  List<SeriesPoints> evalVectorSelector(VectorSelector vs, boolean timestampValues) {
    return evalVectorSelector(vs, timestampValues, false);
  }

  /**
   * start_timestamp() of a selector: at every step, the start timestamp (seconds; 0 if unknown)
   * of the sample the selector would return.
   */
  List<SeriesPoints> evalStartTimestamps(VectorSelector vs) {
    return evalVectorSelector(vs, true, true);
  }

  private List<SeriesPoints> evalVectorSelector(VectorSelector vs, boolean timestampValues,
      boolean startValues) {
    long off = ev.durationMillis(vs.offset(), true);
    long at = ev.atMillis(vs.at());
    boolean fixed = at != Long.MIN_VALUE;
    long minRef = (fixed ? at : ev.start) - off;
    long maxRef = (fixed ? at : ev.end) - off;
    long lb = ev.lookback();
    if (vs.smoothed()) {
      return evalSmoothedSelector(vs, off, at);
    }
    List<Series> series = select(vs, minRef - lb, maxRef, 0, "");
    return evalSeries(series, off, at, timestampValues, false, startValues, null);
  }

  /**
   * Instant lookups of {@code series} at every step (offset and @ applied). With {@code
   * timestampValues} each value is the sample's own timestamp in seconds.
   */
  List<SeriesPoints> evalSeries(List<Series> series, long off, long at,
      boolean timestampValues) {
    return evalSeries(series, off, at, timestampValues, false);
  }

  /** As above; {@code infoSeries} rejects histogram samples (info metrics are floats). */
  List<SeriesPoints> evalSeries(List<Series> series, long off, long at,
      boolean timestampValues, boolean infoSeries) {
    return evalSeries(series, off, at, timestampValues, infoSeries, false, null);
  }

  /** Streams the selector's series to {@code sink} through one reused buffer. */
  void evalVectorSelectorInto(VectorSelector vs, Evaluator.SeriesSink sink) {
    long off = ev.durationMillis(vs.offset(), true);
    long at = ev.atMillis(vs.at());
    boolean fixed = at != Long.MIN_VALUE;
    long minRef = (fixed ? at : ev.start) - off;
    long maxRef = (fixed ? at : ev.end) - off;
    List<Series> series = select(vs, minRef - ev.lookback(), maxRef, 0, "");
    evalSeries(series, off, at, false, false, false, sink);
  }

  private List<SeriesPoints> evalSeries(List<Series> series, long off, long at,
      boolean timestampValues, boolean infoSeries, boolean startValues,
      Evaluator.SeriesSink sink) {
    boolean fixed = at != Long.MIN_VALUE;
    long minRef = (fixed ? at : ev.start) - off;
    long maxRef = (fixed ? at : ev.end) - off;
    long lb = ev.lookback();
    List<SeriesPoints> out = new ArrayList<>(sink == null ? series.size() : 0);
    SeriesPoints buf = new SeriesPoints(Labels.EMPTY, false, 16);
    int steps = ev.numSteps();
    SeriesPoints shared = sink == null ? null : new SeriesPoints(Labels.EMPTY, false, steps);
    SampleIterator reuse = null;
    for (Series s : series) {
      ev.qc.maybeCheckTimeout();
      reuse = load(s, minRef - lb, maxRef, false, startValues, buf, reuse);
      if (buf.size() == 0) {
        continue;
      }
      SeriesPoints res = null;
      int fp = 0;
      int hp = 0;
      for (long t = ev.start; t <= ev.end; t += ev.interval) {
        long ref = (fixed ? at : t) - off;
        while (fp < buf.fn && buf.ft[fp] <= ref) {
          fp++;
        }
        while (hp < buf.hn && buf.ht[hp] <= ref) {
          hp++;
        }
        boolean useH;
        if (fp == 0 && hp == 0) {
          continue;
        } else if (fp == 0) {
          useH = true;
        } else if (hp == 0) {
          useH = false;
        } else {
          useH = buf.ht[hp - 1] > buf.ft[fp - 1];
        }
        long st = useH ? buf.ht[hp - 1] : buf.ft[fp - 1];
        if (st <= ref - lb) {
          continue;
        }
        if (res == null) {
          if (shared != null) {
            res = shared;
            res.clearPoints();
            res.labels = s.labels();
            res.dropName = false;
          } else {
            res = new SeriesPoints(s.labels(), false, Math.min(steps, 1024));
          }
        }
        if (useH) {
          FloatHistogram h = buf.hv[hp - 1];
          if (StaleNaN.is(h.sum())) {
            continue;
          }
          if (infoSeries) {
            throw new QueryException(
                "this should be an info metric, with float samples: " + s.labels());
          }
          if (startValues) {
            res.addF(t, buf.histogramStart(hp - 1) / 1000.0);
          } else if (timestampValues) {
            res.addF(t, st / 1000.0);
          } else {
            res.addH(t, h);
          }
        } else {
          double v = buf.fv[fp - 1];
          if (StaleNaN.is(v)) {
            continue;
          }
          res.addF(t, startValues ? buf.floatStart(fp - 1) / 1000.0
              : timestampValues ? st / 1000.0 : v);
        }
        if (sink == null) {
          ev.qc.addSamples(1);
        }
      }
      if (res != null && res.size() > 0) {
        if (timestampValues) {
          res.dropName = true;
        }
        if (sink != null) {
          sink.accept(res);
        } else {
          out.add(res);
        }
      }
    }
    return out;
  }

  /**
   * Experimental {@code smoothed} instant selector (Prometheus's smoothSeries): the value at the
   * step time interpolated between the neighbouring samples within the lookback delta on either
   * side, or the last value before it when there is none after.
   */
  private List<SeriesPoints> evalSmoothedSelector(VectorSelector vs, long off, long at) {
    boolean fixed = at != Long.MIN_VALUE;
    long lb = ev.lookback();
    long minRef = (fixed ? at : ev.start) - off;
    long maxRef = (fixed ? at : ev.end) - off;
    List<Series> series = select(vs, minRef - lb, maxRef + lb, 0, "");
    List<SeriesPoints> out = new ArrayList<>();
    SeriesPoints buf = new SeriesPoints(Labels.EMPTY, false, 16);
    SampleIterator reuse = null;
    for (Series s : series) {
      reuse = load(s, minRef - lb, maxRef + lb, true, buf, reuse);
      String name = s.labels().metricName();
      SeriesPoints res = new SeriesPoints(s.labels(), false, 16);
      for (long t = ev.start; t <= ev.end; t += ev.interval) {
        ev.ts = t;
        long ref = (fixed ? at : t) - off;
        int lo = lowerBound(buf.ft, 0, buf.fn, ref - lb + 1);
        int hi = upperBound(buf.ft, 0, buf.fn, ref + lb);
        int hlo = buf.hn == 0 ? 0 : lowerBound(buf.ht, 0, buf.hn, ref - lb + 1);
        int hhi = buf.hn == 0 ? 0 : upperBound(buf.ht, 0, buf.hn, ref + lb);
        if (lo >= hi && hlo >= hhi) {
          continue;
        }
        if (lo < hi && hlo < hhi) {
          ev.annotate(Annotations.mixedFloatsHistograms(name, vs.pos()));
          continue;
        }
        if (hlo < hhi) {
          int i = lowerBound(buf.ht, hlo, hhi, ref);
          if (i < hhi && buf.ht[i] == ref) {
            res.addH(t, buf.hv[i]);
          } else if (i > hlo && i < hhi) {
            FloatHistogram prev = buf.hv[i - 1];
            FloatHistogram next = buf.hv[i];
            if (prev.usesCustomBuckets() != next.usesCustomBuckets()) {
              ev.annotate(Annotations.mixedExponentialCustom(name, vs.pos()));
              continue;
            }
            boolean isCounter = prev.counterResetHint() != CounterResetHint.GAUGE
                || next.counterResetHint() != CounterResetHint.GAUGE;
            try {
              res.addH(t, dev.vigil.promql.functions.Interpolation.histograms(prev,
                  buf.ht[i - 1], next, buf.ht[i], ref, isCounter, ev, vs.pos()));
            } catch (RuntimeException e) {
              ev.annotate(Annotations.mixedExponentialCustom(name, vs.pos()));
            }
          } else if (i > hlo) {
            res.addH(t, buf.hv[i - 1].withCounterResetHint(CounterResetHint.UNKNOWN));
          }
          continue;
        }
        int i = lowerBound(buf.ft, lo, hi, ref);
        if (i < hi && buf.ft[i] == ref) {
          res.addF(t, buf.fv[i]);
        } else if (i > lo && i < hi) {
          res.addF(t, dev.vigil.promql.functions.Interpolation.linear(buf.ft[i - 1],
              buf.fv[i - 1], buf.ft[i], buf.fv[i], ref, false));
        } else if (i > lo) {
          res.addF(t, buf.fv[i - 1]);
        }
      }
      if (res.size() > 0) {
        ev.qc.addSamples(res.size());
        out.add(res);
      }
    }
    return out;
  }

  static int lowerBound(long[] a, int from, int to, long t) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static int upperBound(long[] a, int from, int to, long t) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] <= t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A bare range selector (instant queries only): the raw points of each series' window. */
  List<SeriesPoints> evalMatrixSelector(MatrixSelector ms) {
    VectorSelector vs = ms.vectorSelector();
    long off = ev.durationMillis(vs.offset(), true);
    long at = ev.atMillis(vs.at());
    long range = ev.durationMillis(ms.range(), false);
    long maxt = (at != Long.MIN_VALUE ? at : ev.start) - off;
    long mint = maxt - range;
    long matrixMint = mint;
    long matrixMaxt = maxt;
    long lb = ev.lookback();
    if (vs.anchored()) {
      mint -= lb;
    } else if (vs.smoothed()) {
      mint -= lb;
      maxt += lb;
    }
    List<Series> series = select(vs, mint, maxt, range, "");
    List<SeriesPoints> out = new ArrayList<>();
    SampleIterator reuse = null;
    for (Series s : series) {
      SeriesPoints sp = new SeriesPoints(s.labels(), false, 16);
      reuse = load(s, mint, maxt, true, sp, reuse);
      if (vs.anchored() || vs.smoothed()) {
        if (sp.hn > 0) {
          throw new QueryException((vs.anchored() ? "anchored" : "smoothed")
              + " modifier is not supported with histograms");
        }
        if (sp.fn == 0) {
          continue;
        }
        extendFloats(sp, matrixMint, matrixMaxt, vs.smoothed());
      }
      if (sp.size() > 0) {
        ev.qc.addSamples(sp.size());
        out.add(sp);
      }
    }
    return out;
  }

  /** Prometheus's extendFloats: boundary points at the range edges for anchored/smoothed. */
  private static void extendFloats(SeriesPoints sp, long mint, long maxt, boolean smoothed) {
    long[] ft = sp.ft;
    double[] fv = sp.fv;
    int last = sp.fn - 1;
    int first = Math.max(0, upperBound(ft, 0, last, mint) - 1);
    if (smoothed) {
      last = lowerBound(ft, 0, last, maxt);
    }
    if (ft[last] <= mint) {
      sp.clearPoints();
      return;
    }
    double left = smoothed && ft[first] < mint
        ? dev.vigil.promql.functions.Interpolation.linear(ft[first], fv[first],
            ft[first + 1], fv[first + 1], mint, false)
        : fv[first];
    double right = smoothed && last > 0 && ft[last] > maxt
        ? dev.vigil.promql.functions.Interpolation.linear(ft[last - 1], fv[last - 1],
            ft[last], fv[last], maxt, false)
        : fv[last];
    if (ft[first] <= mint) {
      first++;
    }
    if (ft[last] >= maxt) {
      last--;
    }
    int count = Math.max(last - first + 1, 0);
    long[] nt = new long[count + 2];
    double[] nv = new double[count + 2];
    nt[0] = mint;
    nv[0] = left;
    if (count > 0) {
      System.arraycopy(ft, first, nt, 1, count);
      System.arraycopy(fv, first, nv, 1, count);
    }
    nt[count + 1] = maxt;
    nv[count + 1] = right;
    sp.ft = nt;
    sp.fv = nv;
    sp.fn = count + 2;
  }
}
