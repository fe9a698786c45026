package dev.vigil.promql.engine;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.DurationExpr;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.UnaryExpr;
import dev.vigil.promql.parser.ValueType;
import dev.vigil.promql.parser.VectorSelector;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.StringValue;
import dev.vigil.promql.value.Value;
import dev.vigil.promql.value.Vector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs PromQL queries against a {@link Queryable}. Thread-safe and stateless between queries:
 * every query gets its own querier, evaluators and accounting, so one engine serves a whole
 * server (and two servers in one JVM do not interfere).
 */
public final class Engine {
  private final EngineOptions options;

  public Engine(EngineOptions options) {
    this.options = options;
  }

  public EngineOptions options() {
    return options;
  }

  /** Evaluates {@code expr} at one instant. */
  public QueryResult instantQuery(Queryable storage, Expr expr, long timeMillis) {
    return exec(storage, expr, timeMillis, timeMillis, 0);
  }

  /** Evaluates {@code expr} at {@code start, start+step, ... <= end}; a matrix sorted by labels. */
  public QueryResult rangeQuery(Queryable storage, Expr expr, long startMillis, long endMillis,
      long stepMillis) {
    if (stepMillis <= 0) {
      throw new QueryException(
          "zero or negative query resolution step widths are not accepted. Try a positive integer");
    }
    if (endMillis < startMillis) {
      throw new QueryException("end timestamp must not be before start time");
    }
    ValueType t = expr.type();
    if (t != ValueType.VECTOR && t != ValueType.SCALAR) {
      throw new QueryException("invalid expression type \"" + t.displayName()
          + "\" for range query, must be Scalar or instant Vector");
    }
    return exec(storage, expr, startMillis, endMillis, stepMillis);
  }

  private QueryResult exec(Queryable storage, Expr expr, long start, long end, long step) {
    QueryContext timing = new QueryContext(null, options, start, end, step);
    Evaluator timingEv = new Evaluator(timing, start, end, step == 0 ? 1 : step);
    long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
    findMinMaxTime(timingEv, expr, 0, 0, Long.MIN_VALUE, 0, range);
    if (range[1] == Long.MIN_VALUE) {
      range[0] = 0;
      range[1] = 0;
    }
    try (Querier querier = storage.querier(range[0], range[1])) {
      QueryContext qc = new QueryContext(querier, options, start, end, step,
          HistogramStatsDecoding.selectors(expr));
      Evaluator ev = new Evaluator(qc, start, end, step == 0 ? 1 : step);
      Expr top = expr;
      while (top instanceof ParenExpr p) {
        top = p.expr();
      }
      if (top instanceof StringLiteral s) {
        return new QueryResult(new StringValue(start, s.value()), qc.annotations.toList(),
            qc.samplesScanned, qc.peakSamples);
      }
      List<SeriesPoints> mat = ev.eval(expr);
      Value value = toValue(ev, expr.type(), mat, start, step == 0);
      return new QueryResult(value, qc.annotations.toList(), qc.samplesScanned,
          qc.peakSamples);
    } catch (StackOverflowError e) {
      throw new QueryException("query too deeply nested", e);
    }
  }

  private static final Set<String> METADATA_LABELS =
      new HashSet<>(List.of(Labels.METRIC_NAME, "__type__", "__unit__"));

  private Value toValue(Evaluator ev, ValueType type, List<SeriesPoints> mat, long start,
      boolean instant) {
    if (options.delayedNameRemoval()) {
      for (SeriesPoints s : mat) {
        if (s.dropName) {
          s.labels = s.labels.drop(METADATA_LABELS);
        }
      }
    }
    if (instant && type == ValueType.SCALAR) {
      return new Scalar(start, mat.isEmpty() || mat.get(0).fn == 0 ? Double.NaN
          : mat.get(0).fv[0]);
    }
    if (instant && type == ValueType.VECTOR) {
      List<Sample> samples = new ArrayList<>(mat.size());
      Set<Labels> seen = new HashSet<>();
      for (SeriesPoints s : mat) {
        if (!seen.add(s.labels)) {
          throw new QueryException("vector cannot contain metrics with the same labelset");
        }
        if (s.hn > 0) {
          samples.add(new Sample(s.labels, start, 0, s.hv[0]));
        } else if (s.fn > 0) {
          samples.add(Sample.ofFloat(s.labels, start, s.fv[0]));
        }
      }
      return new Vector(samples);
    }
    List<SeriesPoints> merged = ev.mergeSameLabels(mat);
    List<RangeSeries> out = new ArrayList<>(merged.size());
    for (SeriesPoints s : merged) {
      long[] ht = s.hn == 0 ? new long[0] : Arrays.copyOf(s.ht, s.hn);
      FloatHistogram[] hv = s.hn == 0 ? new FloatHistogram[0] : Arrays.copyOf(s.hv, s.hn);
      out.add(new RangeSeries(s.labels, Arrays.copyOf(s.ft, s.fn), Arrays.copyOf(s.fv, s.fn),
          ht, hv));
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return new Matrix(out);
  }

  /**
   * Prometheus's FindMinMaxTime: the earliest and latest sample time any selector may read,
   * given offsets, @, ranges, enclosing subqueries and the lookback delta.
   */
  private void findMinMaxTime(Evaluator ev, Expr e, long subOffset, long subRange, long subAt,
      long evalRange, long[] out) {
    switch (e) {
      case VectorSelector vs -> {
        long start = ev.start;
        long end = ev.end;
        if (subAt != Long.MIN_VALUE) {
          start = subAt;
          end = subAt;
        }
        long at = ev.atMillis(vs.at());
        if (at != Long.MIN_VALUE) {
          start = at;
          end = at;
        } else {
          start = start - subOffset - subRange;
          end -= subOffset;
        }
        long lb = options.lookbackDeltaMillis();
        if (evalRange == 0) {
          start -= lb - 1;
          if (vs.smoothed()) {
            end += lb;
          }
        } else if (vs.anchored()) {
          start -= lb + evalRange - 1;
        } else if (vs.smoothed()) {
          start -= lb + evalRange - 1;
          end += lb;
        } else {
          start -= evalRange - 1;
        }
        long off = ev.durationMillis(vs.offset(), true);
        start -= off;
        end -= off;
        out[0] = Math.min(out[0], start);
        out[1] = Math.max(out[1], end);
      }
      case MatrixSelector ms -> findMinMaxTime(ev, ms.vectorSelector(), subOffset, subRange,
          subAt, ev.durationMillis(ms.range(), false), out);
      case SubqueryExpr sq -> {
        long off = ev.durationMillis(sq.offset(), true);
        long rng = ev.durationMillis(sq.range(), false);
        long at = ev.atMillis(sq.at());
        if (at != Long.MIN_VALUE) {
          findMinMaxTime(ev, sq.expr(), off, rng, at, 0, out);
        } else {
          findMinMaxTime(ev, sq.expr(), subOffset + off, subRange + rng, subAt, 0, out);
        }
      }
      case AggregateExpr a -> {
        if (a.param() != null) {
          findMinMaxTime(ev, a.param(), subOffset, subRange, subAt, 0, out);
        }
        findMinMaxTime(ev, a.expr(), subOffset, subRange, subAt, 0, out);
      }
      case BinaryExpr b -> {
        findMinMaxTime(ev, b.lhs(), subOffset, subRange, subAt, 0, out);
        findMinMaxTime(ev, b.rhs(), subOffset, subRange, subAt, 0, out);
      }
      case Call c -> {
        for (Expr a : c.args()) {
          findMinMaxTime(ev, a, subOffset, subRange, subAt, 0, out);
        }
      }
      case ParenExpr p -> findMinMaxTime(ev, p.expr(), subOffset, subRange, subAt, evalRange, out);
      case UnaryExpr u -> findMinMaxTime(ev, u.expr(), subOffset, subRange, subAt, 0, out);
      case DurationExpr d -> { }
      case NumberLiteral n -> { }
      case StringLiteral s -> { }
    }
  }
}
