package dev.vigil.promql.engine;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.promql.functions.Annotations;
import dev.vigil.promql.functions.GoMath;
import dev.vigil.promql.functions.FunctionContext;
import dev.vigil.promql.functions.FunctionException;
import dev.vigil.promql.functions.FunctionImpl;
import dev.vigil.promql.functions.FunctionTable;
import dev.vigil.promql.functions.StepVector;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.AtModifier;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.BinaryOp;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.DurationExpr;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.PositionRange;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.UnaryExpr;
import dev.vigil.promql.parser.ValueType;
import dev.vigil.promql.parser.VectorSelector;
import dev.vigil.promql.value.Annotation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates expressions over the steps {@code start, start+interval, ..., <= end}. Every node
 * yields a matrix of {@link SeriesPoints} (scalars are one series without labels), as in
 * Prometheus's engine. Selectors and range functions run series at a time over primitive
 * arrays; operators and aggregations run step at a time over reusable {@link StepVector}s.
 */
final class Evaluator implements FunctionContext {

  final QueryContext qc;
  final long start;
  final long end;
  final long interval;
  long ts;

  Evaluator(QueryContext qc, long start, long end, long interval) {
    this.qc = qc;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.ts = start;
  }

  // ---- FunctionContext ----

  @Override
  public long ts() {
    return ts;
  }

  @Override
  public long queryStart() {
    return qc.queryStart;
  }

  @Override
  public long queryEnd() {
    return qc.queryEnd;
  }

  @Override
  public long queryStep() {
    return qc.queryStep;
  }

  @Override
  public boolean delayedNameRemoval() {
    return qc.options.delayedNameRemoval();
  }

  @Override
  public void annotate(Annotation annotation) {
    qc.annotations.add(annotation);
  }

  @Override
  public void forcedMonotonicity(String metricName, PositionRange pos, double minBucket,
      double maxBucket, double maxDiff) {
    qc.annotations.forcedMonotonicity(metricName, pos, ts, minBucket, maxBucket, maxDiff);
  }

  int numSteps() {
    return (int) ((end - start) / interval) + 1;
  }

  long lookback() {
    return qc.options.lookbackDeltaMillis();
  }

  // ---- dispatch ----

  List<SeriesPoints> eval(Expr expr) {
    qc.checkTimeout();
    if (end < start) {
      return new ArrayList<>();
    }
    return switch (expr) {
      case AggregateExpr e -> new AggregationEval(this, e).eval();
      case BinaryExpr e -> BinaryEval.eval(this, e);
      case Call e -> evalCall(e);
      case DurationExpr e -> constant(durationSeconds(e));
      case MatrixSelector e -> new SelectorEval(this).evalMatrixSelector(e);
      case NumberLiteral e -> constant(e.value());
      case ParenExpr e -> eval(e.expr());
      case StringLiteral e -> throw new QueryException("unexpected string literal in a vector context");
      case SubqueryExpr e -> evalSubquery(e);
      case UnaryExpr e -> evalUnary(e);
      case VectorSelector e -> new SelectorEval(this).evalVectorSelector(e, false);
    };
  }

  /** A scalar: one label-less series with {@code v} at every step. */
  List<SeriesPoints> constant(double v) {
    int n = numSteps();
    SeriesPoints s = new SeriesPoints(Labels.EMPTY, false, n);
    for (long t = start; t <= end; t += interval) {
      s.addF(t, v);
    }
    List<SeriesPoints> out = new ArrayList<>(1);
    out.add(s);
    return out;
  }

  // ---- durations, offsets, @ ----

  double durationSeconds(Expr e) {
    return switch (e) {
      case NumberLiteral n -> n.value();
      case ParenExpr p -> durationSeconds(p.expr());
      case UnaryExpr u -> u.op() == BinaryOp.SUB ? -durationSeconds(u.expr())
          : durationSeconds(u.expr());
      case DurationExpr d -> durationOp(d);
      case AggregateExpr a -> throw badDuration(e);
      case BinaryExpr b -> {
        double l = durationSeconds(b.lhs());
        double r = durationSeconds(b.rhs());
        yield switch (b.op()) {
          case ADD -> l + r;
          case SUB -> l - r;
          case MUL -> l * r;
          case DIV -> l / r;
          case MOD -> l % r;
          case POW -> GoMath.pow(l, r);
          default -> throw badDuration(e);
        };
      }
      case Call c -> throw badDuration(e);
      case MatrixSelector m -> throw badDuration(e);
      case StringLiteral s -> throw badDuration(e);
      case SubqueryExpr s -> throw badDuration(e);
      case VectorSelector v -> throw badDuration(e);
    };
  }

  private static QueryException badDuration(Expr e) {
    return new QueryException("unexpected duration expression type " + e.getClass().getSimpleName());
  }

  private double durationOp(DurationExpr d) {
    double l = d.lhs() == null ? 0 : durationSeconds(d.lhs());
    double r = d.rhs() == null ? 0 : durationSeconds(d.rhs());
    return switch (d.op()) {
      case STEP -> qc.queryStep / 1000.0;
      case RANGE -> (qc.queryEnd - qc.queryStart) / 1000.0;
      case MIN_OF -> Math.min(l, r);
      case MAX_OF -> Math.max(l, r);
      case NEG -> -(d.lhs() != null ? l : r);
      case POS -> d.lhs() != null ? l : r;
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> {
        if (r == 0) {
          throw new QueryException(d.pos().start() + ":" + d.pos().end() + ": division by zero");
        }
        yield l / r;
      }
      case MOD -> {
        if (r == 0) {
          throw new QueryException(d.pos().start() + ":" + d.pos().end() + ": modulo by zero");
        }
        yield l % r;
      }
      case POW -> GoMath.pow(l, r);
    };
  }

  /** A duration expression in milliseconds, validated as Prometheus does. */
  long durationMillis(Expr e, boolean allowNegative) {
    if (e == null) {
      return 0;
    }
    double s = durationSeconds(e);
    PositionRange p = e.pos();
    if (Double.isNaN(s) || Double.isInfinite(s)) {
      throw new QueryException(p.start() + ":" + p.end() + ": duration is NaN or infinite");
    }
    if (s <= 0 && !allowNegative) {
      throw new QueryException(p.start() + ":" + p.end() + ": duration must be greater than 0");
    }
    // Rounded: the AST carries seconds as doubles and 1.001 * 1000 is 1000.9999...
    return Math.round(s * 1000);
  }

  /** The {@code @} time in milliseconds, or {@code Long.MIN_VALUE} for none. */
  long atMillis(AtModifier at) {
    if (at == null) {
      return Long.MIN_VALUE;
    }
    return switch (at.kind()) {
      case TIMESTAMP -> at.timestampMillis();
      case START -> qc.queryStart;
      case END -> qc.queryEnd;
    };
  }

  // ---- subqueries ----

  /** A child evaluator for a subquery's inner expression, on the subquery's step grid. */
  Evaluator subqueryEvaluator(SubqueryExpr e) {
    long off = durationMillis(e.offset(), true);
    long range = durationMillis(e.range(), false);
    long step = e.step() == null ? qc.options.noStepSubqueryIntervalMillis()
        : durationMillis(e.step(), false);
    long at = atMillis(e.at());
    long parentStart;
    long parentEnd;
    if (at != Long.MIN_VALUE) {
      parentStart = at;
      parentEnd = at;
    } else {
      parentStart = start;
      parentEnd = start + ((end - start) / interval) * interval;
    }
    long subEnd = parentEnd - off;
    long base = parentStart - off - range;
    // Go's integer division truncates toward zero; the first aligned step after base.
    long subStart = step * (base / step);
    if (subStart <= base) {
      subStart += step;
    }
    return new Evaluator(qc, subStart, subEnd, step);
  }

  private List<SeriesPoints> evalSubquery(SubqueryExpr e) {
    Evaluator child = subqueryEvaluator(e);
    return child.eval(e.expr());
  }

  // ---- unary ----

  private List<SeriesPoints> evalUnary(UnaryExpr e) {
    List<SeriesPoints> mat = eval(e.expr());
    if (e.op() == BinaryOp.SUB) {
      for (SeriesPoints s : mat) {
        s.dropName = true;
        if (!delayedNameRemoval()) {
          s.labels = s.labels.withoutMetricName();
        }
        for (int i = 0; i < s.fn; i++) {
          s.fv[i] = -s.fv[i];
        }
        for (int i = 0; i < s.hn; i++) {
          s.hv[i] = s.hv[i].mul(-1);
        }
      }
    }
    return mat;
  }

  // ---- functions ----

  private static Expr unwrap(Expr e) {
    while (e instanceof ParenExpr p) {
      e = p.expr();
    }
    return e;
  }

  private List<SeriesPoints> evalCall(Call e) {
    String name = e.function().name();
    FunctionImpl impl = FunctionTable.get(name);
    if (impl == null) {
      throw new QueryException("unknown function " + name);
    }
    if (name.equals("timestamp") && unwrap(e.args().get(0)) instanceof VectorSelector vs) {
      return new SelectorEval(this).evalVectorSelector(vs, true);
    }
    if (name.equals("start_timestamp")) {
      // Start timestamps only reach the function straight from a selector; over any other
      // expression (or with start timestamps off) the result is empty, as in Prometheus.
      return qc.options.useStartTimestamps()
          && unwrap(e.args().get(0)) instanceof VectorSelector vs
          ? new SelectorEval(this).evalStartTimestamps(vs) : new ArrayList<>();
    }
    if ((name.equals("sort") || name.equals("sort_desc") || name.equals("sort_by_label")
        || name.equals("sort_by_label_desc")) && start != end) {
      annotate(Annotations.sortInRangeQuery(e.pos()));
    }
    try {
      return switch (impl) {
        case FunctionImpl.Instant i -> evalInstantCall(e, i.fn());
        case FunctionImpl.OverRange r -> new RangeCallEval(this).eval(e, r.fn(), r.keepName(), null);
        case FunctionImpl.Engine x -> switch (name) {
          case "label_replace" -> LabelFunctions.labelReplace(this, e);
          case "label_join" -> LabelFunctions.labelJoin(this, e);
          case "info" -> LabelFunctions.info(this, e);
          default -> throw new IllegalStateException("no engine implementation for " + name);
        };
      };
    } catch (FunctionException ex) {
      throw new QueryException(ex.getMessage(), ex);
    }
  }

  private List<SeriesPoints> evalInstantCall(Call e, FunctionImpl.InstantFunction fn) {
    List<Expr> args = e.args();
    Expr[] exprs = new Expr[args.size()];
    for (int i = 0; i < exprs.length; i++) {
      Expr a = args.get(i);
      exprs[i] = a.type() == ValueType.STRING ? null : a;
    }
    return new StepLoop(this, exprs).run((in, out) -> fn.apply(in, e, this, out));
  }

  /** Receives the series of a node one at a time; the instance may be reused afterwards. */
  interface SeriesSink {
    void accept(SeriesPoints s);
  }

  /**
   * Evaluates {@code expr} and hands each result series to {@code sink}. Range functions stream
   * (one reused buffer, nothing materialized); other nodes are evaluated, then replayed.
   */
  void evalInto(Expr expr, SeriesSink sink) {
    Expr u = unwrap(expr);
    if (end >= start && u instanceof Call c
        && FunctionTable.get(c.function().name()) instanceof FunctionImpl.OverRange r
        && !c.function().name().equals("absent_over_time")) {
      try {
        new RangeCallEval(this).eval(c, r.fn(), r.keepName(), sink);
      } catch (FunctionException ex) {
        throw new QueryException(ex.getMessage(), ex);
      }
      return;
    }
    if (end >= start && u instanceof VectorSelector vs && !vs.smoothed()) {
      new SelectorEval(this).evalVectorSelectorInto(vs, sink);
      return;
    }
    for (SeriesPoints s : eval(expr)) {
      sink.accept(s);
    }
  }

  // ---- step loop plumbing shared with operators ----

  /** Merges series that became equal after label changes; duplicates at a timestamp fail. */
  List<SeriesPoints> mergeSameLabels(List<SeriesPoints> mat) {
    if (mat.size() <= 1) {
      return mat;
    }
    Map<Labels, SeriesPoints> byLabels = new HashMap<>();
    List<SeriesPoints> out = new ArrayList<>(mat.size());
    boolean merged = false;
    for (SeriesPoints s : mat) {
      SeriesPoints prev = byLabels.putIfAbsent(s.labels, s);
      if (prev == null) {
        out.add(s);
        continue;
      }
      merged = true;
      for (int i = 0; i < s.fn; i++) {
        prev.addF(s.ft[i], s.fv[i]);
      }
      for (int i = 0; i < s.hn; i++) {
        prev.addH(s.ht[i], s.hv[i]);
      }
    }
    if (merged) {
      for (SeriesPoints s : out) {
        sortAndCheck(s);
      }
    }
    return out;
  }

  private static void sortAndCheck(SeriesPoints s) {
    if (s.fn > 1) {
      Integer[] idx = new Integer[s.fn];
      for (int i = 0; i < s.fn; i++) {
        idx[i] = i;
      }
      long[] ft = s.ft;
      Arrays.sort(idx, (a, b) -> Long.compare(ft[a], ft[b]));
      long[] nt = new long[s.fn];
      double[] nv = new double[s.fn];
      for (int i = 0; i < s.fn; i++) {
        nt[i] = s.ft[idx[i]];
        nv[i] = s.fv[idx[i]];
      }
      for (int i = 1; i < s.fn; i++) {
        if (nt[i] == nt[i - 1]) {
          throw new QueryException("vector cannot contain metrics with the same labelset");
        }
      }
      s.ft = nt;
      s.fv = nv;
    }
    if (s.hn > 1) {
      Integer[] idx = new Integer[s.hn];
      for (int i = 0; i < s.hn; i++) {
        idx[i] = i;
      }
      long[] ht = s.ht;
      Arrays.sort(idx, (a, b) -> Long.compare(ht[a], ht[b]));
      long[] nt = new long[s.hn];
      FloatHistogram[] nv = new FloatHistogram[s.hn];
      for (int i = 0; i < s.hn; i++) {
        nt[i] = s.ht[idx[i]];
        nv[i] = s.hv[idx[i]];
      }
      for (int i = 1; i < s.hn; i++) {
        if (nt[i] == nt[i - 1]) {
          throw new QueryException("vector cannot contain metrics with the same labelset");
        }
      }
      s.ht = nt;
      s.hv = nv;
    }
  }
}
