package dev.vigil.promql.promqltest;

import dev.vigil.promql.parser.AggregateExpr;
import dev.vigil.promql.parser.AtModifier;
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
import dev.vigil.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prometheus's step-invariance check for instant queries: pin every selector (and every subquery,
 * whose insides are then left alone) to the evaluation time with {@code @}, and expect the same
 * result at other evaluation times.
 */
final class AtModifierVariants {
  /** Functions whose result depends on the evaluation time even with pinned arguments. */
  private static final Set<String> AT_MODIFIER_UNSAFE = Set.of("days_in_month", "day_of_month",
      "day_of_week", "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time",
      "timestamp", "start", "end", "step", "range");

  private AtModifierVariants() {}

  /** The expression with {@code @ evalTime} on every selector, or null when it is not safe. */
  static Expr pin(Expr e, long evalTime) {
    if (containsUnsafe(e)) {
      return null;
    }
    return rewrite(e, AtModifier.at(evalTime));
  }

  /** The extra evaluation times Prometheus checks a pinned expression at. */
  static List<Long> evalTimes(long ts) {
    List<Long> out = new ArrayList<>();
    if (ts == 0) {
      out.add(-1000L);
      out.add(0L);
      out.add(1000L);
    } else {
      out.add(-10 * ts);
      out.add(0L);
      out.add(ts / 5);
      out.add(ts);
      out.add(10 * ts);
    }
    return out;
  }

  private static boolean containsUnsafe(Expr e) {
    return switch (e) {
      case Call c -> AT_MODIFIER_UNSAFE.contains(c.function().name())
          || c.args().stream().anyMatch(AtModifierVariants::containsUnsafe);
      case AggregateExpr a -> containsUnsafe(a.expr()) || (a.param() != null && containsUnsafe(a.param()));
      case BinaryExpr b -> containsUnsafe(b.lhs()) || containsUnsafe(b.rhs());
      case ParenExpr p -> containsUnsafe(p.expr());
      case UnaryExpr u -> containsUnsafe(u.expr());
      case SubqueryExpr s -> containsUnsafe(s.expr());
      case MatrixSelector m -> false;
      case VectorSelector v -> false;
      case NumberLiteral n -> false;
      case StringLiteral s -> false;
      case DurationExpr d -> false;
    };
  }

  private static Expr rewrite(Expr e, AtModifier at) {
    return switch (e) {
      case VectorSelector v -> pinSelector(v, at);
      case MatrixSelector m -> new MatrixSelector(pinSelector(m.vectorSelector(), at), m.range(), m.pos());
      case SubqueryExpr s -> pinned(s.at())
          ? s
          : new SubqueryExpr(s.expr(), s.range(), s.step(), s.offset(), at, s.pos());
      case Call c -> new Call(c.function(), c.args().stream().map(a -> rewrite(a, at)).toList(), c.pos());
      case AggregateExpr a -> new AggregateExpr(a.op(), rewrite(a.expr(), at),
          a.param() == null ? null : rewrite(a.param(), at), a.grouping(), a.without(), a.pos());
      case BinaryExpr b -> new BinaryExpr(b.op(), rewrite(b.lhs(), at), rewrite(b.rhs(), at),
          b.matching(), b.returnBool(), b.pos());
      case ParenExpr p -> new ParenExpr(rewrite(p.expr(), at), p.pos());
      case UnaryExpr u -> new UnaryExpr(u.op(), rewrite(u.expr(), at), u.pos());
      case NumberLiteral n -> n;
      case StringLiteral s -> s;
      case DurationExpr d -> d;
    };
  }

  private static boolean pinned(AtModifier at) {
    return at != null && at.kind() == AtModifier.Kind.TIMESTAMP;
  }

  private static VectorSelector pinSelector(VectorSelector v, AtModifier at) {
    if (pinned(v.at())) {
      return v;
    }
    return new VectorSelector(v.name(), v.matchers(), v.offset(), at, v.anchored(), v.smoothed(),
        v.pos());
  }
}
