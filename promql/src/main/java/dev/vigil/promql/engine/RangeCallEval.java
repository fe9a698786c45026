package dev.vigil.promql.engine;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.Series;
import dev.vigil.promql.functions.Annotations;
import dev.vigil.promql.functions.FunctionImpl;
import dev.vigil.promql.functions.RangeOut;
import dev.vigil.promql.functions.Window;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.ValueType;
import dev.vigil.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Calls of range-vector functions (rate, *_over_time, ...), evaluated series at a time as
 * Prometheus does: each series' samples are loaded once into primitive arrays and two cursors
 * slide the window across the steps, so a step costs only the function itself. Results can be
 * streamed to a sink (aggregations) instead of being materialized.
 */
final class RangeCallEval {
  private static final Set<String> ANCHORED_SAFE =
      new TreeSet<>(List.of("changes", "delta", "increase", "rate", "resets"));
  private static final Set<String> SMOOTHED_SAFE =
      new TreeSet<>(List.of("delta", "increase", "rate"));

  private final Evaluator ev;

  RangeCallEval(Evaluator ev) {
    this.ev = ev;
  }

  private static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  List<SeriesPoints> eval(Call e, FunctionImpl.RangeFunction fn, boolean keepName,
      Evaluator.SeriesSink sink) {
    String name = e.function().name();
    List<Expr> args = e.args();
    int matrixIdx = -1;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type() == ValueType.MATRIX) {
        matrixIdx = i;
        break;
      }
    }
    Expr marg = unwrap(args.get(matrixIdx));
    // Scalar arguments, one value per step.
    List<List<SeriesPoints>> scalarVals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      if (i != matrixIdx && args.get(i).type() != ValueType.STRING) {
        scalarVals.add(ev.eval(args.get(i)));
      }
    }
    double[] scalarArgs = new double[scalarVals.size()];

    long off;
    long at;
    long range;
    boolean anchored = false;
    boolean smoothed = false;
    List<Series> storageSeries = null;
    List<SeriesPoints> subSeries = null;
    long lb = ev.lookback();
    if (marg instanceof MatrixSelector ms) {
      VectorSelector vs = ms.vectorSelector();
      anchored = vs.anchored();
      smoothed = vs.smoothed();
      if (anchored && !ANCHORED_SAFE.contains(name)) {
        throw new QueryException("anchored modifier can only be used with: "
            + String.join(", ", ANCHORED_SAFE) + " - not with " + name);
      }
      if (smoothed && !SMOOTHED_SAFE.contains(name)) {
        throw new QueryException("smoothed modifier can only be used with: "
            + String.join(", ", SMOOTHED_SAFE) + " - not with " + name);
      }
      off = ev.durationMillis(vs.offset(), true);
      at = ev.atMillis(vs.at());
      range = ev.durationMillis(ms.range(), false);
      long minRef = (at != Long.MIN_VALUE ? at : ev.start) - off;
      long maxRef = (at != Long.MIN_VALUE ? at : ev.end) - off;
      long extraBefore = (anchored || smoothed) ? lb : 0;
      long extraAfter = smoothed ? lb : 0;
      storageSeries = new SelectorEval(ev).select(vs, minRef - range - extraBefore, maxRef + extraAfter, range, name);
    } else if (marg instanceof SubqueryExpr sq) {
      off = ev.durationMillis(sq.offset(), true);
      at = ev.atMillis(sq.at());
      range = ev.durationMillis(sq.range(), false);
      subSeries = ev.subqueryEvaluator(sq).eval(sq.expr());
      forgetCounterResetHints(subSeries);
    } else {
      throw new QueryException("unexpected range argument of " + name);
    }

    boolean fixed = at != Long.MIN_VALUE;
    long minRef = (fixed ? at : ev.start) - off;
    long maxRef = (fixed ? at : ev.end) - off;
    long windowBefore = (anchored || smoothed) ? lb : 0;
    long windowAfter = smoothed ? lb : 0;

    SelectorEval sel = new SelectorEval(ev);
    Window w = new Window();
    w.anchored = anchored;
    w.smoothed = smoothed;
    w.argPos = args.get(matrixIdx).pos();
    RangeOut ro = new RangeOut();
    int steps = ev.numSteps();
    int count = storageSeries != null ? storageSeries.size() : subSeries.size();
    List<SeriesPoints> out = new ArrayList<>();
    SeriesPoints buf = new SeriesPoints(Labels.EMPTY, false, 64);
    // When streaming, one result buffer serves every series.
    SeriesPoints shared = sink == null ? null : new SeriesPoints(Labels.EMPTY, false, steps);
    SampleIterator reuse = null;
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    // Start timestamps reach only these functions, and only from a selector: a subquery's
    // points carry none (Prometheus: "subqueries cut the propagation of start timestamps").
    boolean withStart = storageSeries != null && ev.qc.options.useStartTimestamps()
        && (counterCheck || name.equals("irate") || name.equals("resets"));
    Set<String> nonCounterNames = counterCheck ? new java.util.HashSet<>() : null;
    for (int si = 0; si < count; si++) {
      ev.qc.maybeCheckTimeout();
      SeriesPoints src;
      Labels metric;
      boolean inputDropName;
      if (storageSeries != null) {
        Series s = storageSeries.get(si);
        reuse = sel.load(s, minRef - range - windowBefore, maxRef + windowAfter, true,
            withStart, buf, reuse);
        src = buf;
        metric = s.labels();
        inputDropName = false;
      } else {
        src = subSeries.get(si);
        metric = src.labels;
        inputDropName = src.dropName;
      }
      if (src.size() == 0) {
        continue;
      }
      boolean dropName = !keepName || inputDropName;
      w.metric = metric;
      w.seriesGeneration++;
      w.seriesFloatCount = src.fn;
      w.ft = src.ft;
      w.fv = src.fv;
      w.ht = src.ht;
      w.hv = src.hv;
      w.fst = withStart ? src.fst : null;
      w.hst = withStart ? src.hst : null;
      SeriesPoints res = null;
      int fLo = 0;
      int fHi = 0;
      int hLo = 0;
      int hHi = 0;
      int step = 0;
      int maxWindow = 0;
      for (long t = ev.start; t <= ev.end; t += ev.interval, step++) {
        long ref = (fixed ? at : t) - off;
        long wStart = ref - range - windowBefore;
        long wEnd = ref + windowAfter;
        while (fLo < src.fn && src.ft[fLo] <= wStart) {
          fLo++;
        }
        if (fHi < fLo) {
          fHi = fLo;
        }
        while (fHi < src.fn && src.ft[fHi] <= wEnd) {
          fHi++;
        }
        while (hLo < src.hn && src.ht[hLo] <= wStart) {
          hLo++;
        }
        if (hHi < hLo) {
          hHi = hLo;
        }
        while (hHi < src.hn && src.ht[hHi] <= wEnd) {
          hHi++;
        }
        if (fHi == fLo && hHi == hLo) {
          continue;
        }
        maxWindow = Math.max(maxWindow, fHi - fLo + hHi - hLo);
        for (int k = 0; k < scalarArgs.length; k++) {
          scalarArgs[k] = scalarVals.get(k).get(0).fv[step];
        }
        w.fFrom = fLo;
        w.fTo = fHi;
        w.hFrom = hLo;
        w.hTo = hHi;
        w.rangeStart = ref - range;
        w.rangeEnd = ref;
        w.ts = t;
        ev.ts = t;
        ro.reset();
        if (fn.apply(w, scalarArgs, e, ev, ro)) {
          if (res == null) {
            if (shared != null) {
              res = shared;
              res.clearPoints();
              res.labels = metric;
              res.dropName = dropName;
            } else {
              res = new SeriesPoints(metric, dropName, Math.min(steps, 1024));
            }
          }
          res.add(t, ro.f, ro.h);
        }
      }
      // Like Prometheus, the samples of a window count against the limit while it is in use.
      int before = ev.qc.currentSamples;
      ev.qc.addSamples(maxWindow);
      ev.qc.setSamples(before);
      if (res != null && res.size() > 0) {
        if (counterCheck && res.fn > 0) {
          String mn = metric.metricName();
          if (!mn.isEmpty() && !mn.endsWith("_total") && !mn.endsWith("_sum")
              && !mn.endsWith("_count") && !mn.endsWith("_bucket") && nonCounterNames.add(mn)) {
            ev.annotate(Annotations.possibleNonCounter(mn, args.get(0).pos()));
          }
        }
        if (sink != null) {
          sink.accept(res);
        } else {
          ev.qc.addSamples(res.size());
          out.add(res);
        }
      }
    }
    if (name.equals("absent_over_time")) {
      return absentOverTime(out, marg);
    }
    return out;
  }

  /**
   * Turns the explicit counter reset hints of a subquery's histograms into "unknown", so the
   * range function detects resets from the values (as Prometheus's evalSubquery does): a
   * subquery may skip the sample that carried a reset, or repeat it at several steps, so the
   * stored hints do not describe the sequence of points it returns.
   */
  private static void forgetCounterResetHints(List<SeriesPoints> mat) {
    for (SeriesPoints s : mat) {
      for (int i = 0; i < s.hn; i++) {
        FloatHistogram h = s.hv[i];
        CounterResetHint hint = h.counterResetHint();
        if (hint == CounterResetHint.NOT_COUNTER_RESET || hint == CounterResetHint.COUNTER_RESET) {
          s.hv[i] = h.withCounterResetHint(CounterResetHint.UNKNOWN);
        }
      }
    }
  }

  private List<SeriesPoints> absentOverTime(List<SeriesPoints> mat, Expr marg) {
    int steps = ev.numSteps();
    for (SeriesPoints s : mat) {
      if (s.size() == steps) {
        return new ArrayList<>();
      }
    }
    boolean[] found = new boolean[steps];
    int foundCount = 0;
    for (SeriesPoints s : mat) {
      for (int i = 0; i < s.fn; i++) {
        int k = (int) ((s.ft[i] - ev.start) / ev.interval);
        if (!found[k]) {
          found[k] = true;
          foundCount++;
        }
      }
      for (int i = 0; i < s.hn; i++) {
        int k = (int) ((s.ht[i] - ev.start) / ev.interval);
        if (!found[k]) {
          found[k] = true;
          foundCount++;
        }
      }
    }
    List<SeriesPoints> out = new ArrayList<>();
    if (foundCount == steps) {
      return out;
    }
    Labels l = marg instanceof MatrixSelector
        ? dev.vigil.promql.functions.Interpolation.absentLabels(marg) : Labels.EMPTY;
    SeriesPoints s = new SeriesPoints(l, true, steps - foundCount);
    int k = 0;
    for (long t = ev.start; t <= ev.end; t += ev.interval, k++) {
      if (!found[k]) {
        s.addF(t, 1);
      }
    }
    out.add(s);
    return out;
  }
}
