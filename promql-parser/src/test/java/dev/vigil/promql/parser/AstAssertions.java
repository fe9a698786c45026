package dev.vigil.promql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * AST comparison that ignores where nodes stand in the text and the order of a selector's
 * matchers (the printer sorts them, as Prometheus's does; the engine treats them as a set).
 */
final class AstAssertions {
  private AstAssertions() {}

  /** True when both trees are equal once every {@link PositionRange} is ignored. */
  static boolean equalIgnoringPositions(Expr a, Expr b) {
    return strip(a).equals(strip(b));
  }

  private static List<dev.vigil.model.labels.Matcher> sorted(
      List<dev.vigil.model.labels.Matcher> ms) {
    List<dev.vigil.model.labels.Matcher> out = new ArrayList<>(ms);
    out.sort(java.util.Comparator.comparing(Printer::matcherString));
    return out;
  }

  /** The same tree with every position replaced by {@link PositionRange#NONE}. */
  static Expr strip(Expr e) {
    if (e == null) {
      return null;
    }
    PositionRange none = PositionRange.NONE;
    return switch (e) {
      case AggregateExpr a -> new AggregateExpr(a.op(), strip(a.expr()), strip(a.param()),
          a.grouping(), a.without(), none);
      case BinaryExpr b -> new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(),
          b.returnBool(), none);
      case Call c -> {
        List<Expr> args = new ArrayList<>();
        for (Expr arg : c.args()) {
          args.add(strip(arg));
        }
        yield new Call(c.function(), args, none);
      }
      case DurationExpr d -> new DurationExpr(d.op(), strip(d.lhs()), strip(d.rhs()), d.wrapped(),
          none);
      case MatrixSelector m -> new MatrixSelector((VectorSelector) strip(m.vectorSelector()),
          strip(m.range()), none);
      case NumberLiteral n -> new NumberLiteral(n.value(), n.duration(), none);
      case ParenExpr p -> new ParenExpr(strip(p.expr()), none);
      case StringLiteral s -> new StringLiteral(s.value(), none);
      case SubqueryExpr s -> new SubqueryExpr(strip(s.expr()), strip(s.range()), strip(s.step()),
          strip(s.offset()), s.at(), none);
      case UnaryExpr u -> new UnaryExpr(u.op(), strip(u.expr()), none);
      case VectorSelector v -> new VectorSelector(v.name(), sorted(v.matchers()), strip(v.offset()),
          v.at(), v.anchored(), v.smoothed(), none);
    };
  }
}
