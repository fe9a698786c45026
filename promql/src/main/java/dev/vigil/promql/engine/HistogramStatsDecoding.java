package dev.vigil.promql.engine;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.BinaryExpr;
import dev.vigil.promql.parser.BinaryOp;
import dev.vigil.promql.parser.Call;
import dev.vigil.promql.parser.DurationExpr;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.MatrixSelector;
import dev.vigil.promql.parser.NumberLiteral;
import dev.vigil.promql.parser.ParenExpr;
import dev.vigil.promql.parser.StringLiteral;
import dev.vigil.promql.parser.SubqueryExpr;
import dev.vigil.promql.parser.UnaryExpr;
import dev.vigil.promql.parser.VectorSelector;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Prometheus's histogram statistics decoding (detectHistogramStatsDecoding and
 * HistogramStatsIterator): selectors read only for histogram_count/sum/avg get histograms
 * reduced to count and sum, and a stored "unknown" counter reset hint is replaced on the fly by
 * "reset" or "not_reset" from comparing each histogram with the previous one read. Beyond
 * saving work, this is visible: aggregating such samples can meet a "reset" next to a
 * "not_reset" and warn about conflicting counter resets, as Prometheus does.
 */
final class HistogramStatsDecoding {
  private HistogramStatsDecoding() {}

  /**
   * The selectors of {@code e} (by identity) that may be read as statistics: those below
   * histogram_count, histogram_sum or histogram_avg with no subquery (which needs the buckets
   * for its own reset detection), no histogram_quantile(s)/histogram_fraction and no trim
   * operator anywhere on their path.
   */
  static Set<VectorSelector> selectors(Expr e) {
    Set<VectorSelector> out = Collections.newSetFromMap(new IdentityHashMap<>());
    walk(e, false, out);
    return out;
  }

  private static void walk(Expr e, boolean stats, Set<VectorSelector> out) {
    switch (e) {
      case VectorSelector vs -> {
        if (stats) {
          out.add(vs);
        }
      }
      case MatrixSelector ms -> walk(ms.vectorSelector(), stats, out);
      case SubqueryExpr sq -> { } // nothing below a subquery qualifies
      case Call c -> {
        String name = c.function().name();
        switch (name) {
          case "histogram_quantile", "histogram_quantiles", "histogram_fraction" -> { }
          default -> {
            boolean s = stats || name.equals("histogram_count") || name.equals("histogram_sum")
                || name.equals("histogram_avg");
            walkAll(c.args(), s, out);
          }
        }
      }
      case BinaryExpr b -> {
        if (b.op() != BinaryOp.TRIM_UPPER && b.op() != BinaryOp.TRIM_LOWER) {
          walk(b.lhs(), stats, out);
          walk(b.rhs(), stats, out);
        }
      }
      case AggregateExpr a -> {
        walk(a.expr(), stats, out);
        if (a.param() != null) {
          walk(a.param(), stats, out);
        }
      }
      case ParenExpr p -> walk(p.expr(), stats, out);
      case UnaryExpr u -> walk(u.expr(), stats, out);
      case DurationExpr d -> { }
      case NumberLiteral n -> { }
      case StringLiteral s -> { }
    }
  }

  private static void walkAll(List<Expr> es, boolean stats, Set<VectorSelector> out) {
    for (Expr e : es) {
      walk(e, stats, out);
    }
  }

  /** {@code s} read through a {@link StatsIterator}. */
  static Series wrap(Series s) {
    return new Series() {
      @Override
      public Labels labels() {
        return s.labels();
      }

      @Override
      public SampleIterator iterator(SampleIterator reuse) {
        return new StatsIterator(s.iterator(null));
      }
    };
  }

  /**
   * Histograms as count and sum only, with counter reset hints detected while iterating. The
   * detection compares with the previous full histogram read, so a seek past the current sample
   * forgets it (the skipped samples were not compared), as in Prometheus.
   */
  static final class StatsIterator implements SampleIterator {
    private final SampleIterator in;
    private FloatHistogram last; // previous histogram read, full, with its detected hint
    private FloatHistogram current; // the reduced current sample, once computed
    private boolean positioned;

    StatsIterator(SampleIterator in) {
      this.in = in;
    }

    @Override
    public ValueKind next() {
      current = null;
      positioned = true;
      return in.next();
    }

    @Override
    public ValueKind seek(long t) {
      if (!positioned || t > in.atT()) {
        last = null;
      }
      current = null;
      positioned = true;
      return in.seek(t);
    }

    @Override
    public long atT() {
      return in.atT();
    }

    @Override
    public double atF() {
      return in.atF();
    }

    @Override
    public long atST() {
      return in.atST();
    }

    @Override
    public FloatHistogram atHistogram() {
      if (current != null) {
        return current;
      }
      FloatHistogram h = in.atHistogram();
      if (StaleNaN.is(h.sum())) {
        current = reduced(h, h.counterResetHint());
        return current;
      }
      CounterResetHint hint = h.counterResetHint();
      if (hint == CounterResetHint.UNKNOWN && last != null) {
        hint = h.detectReset(last) ? CounterResetHint.COUNTER_RESET
            : CounterResetHint.NOT_COUNTER_RESET;
      }
      last = h.withCounterResetHint(hint);
      current = reduced(h, hint);
      return current;
    }

    private static FloatHistogram reduced(FloatHistogram h, CounterResetHint hint) {
      return new FloatHistogram(hint, h.schema(), 0, 0, h.count(), h.sum(), List.of(),
          new double[0], List.of(), new double[0], h.customValues());
    }
  }
}
