package dev.vigil.server.query;

import dev.vigil.model.labels.Matcher;
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
import dev.vigil.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus's {@code parser.ExtractSelectors}: the matchers of every vector selector of an
 * expression (range selectors included), in the order Prometheus's {@code Inspect} visits
 * them. {@code /api/v1/query_exemplars} turns a query into matcher sets this way.
 */
final class SelectorExtraction {
  private SelectorExtraction() {}

  static List<List<Matcher>> of(Expr expr) {
    List<List<Matcher>> out = new ArrayList<>();
    visit(expr, out);
    return out;
  }

  private static void visit(Expr e, List<List<Matcher>> out) {
    switch (e) {
      case VectorSelector v -> out.add(v.matchers());
      case MatrixSelector m -> visit(m.vectorSelector(), out);
      case AggregateExpr a -> {
        visit(a.expr(), out);
        if (a.param() != null) {
          visit(a.param(), out);
        }
      }
      case BinaryExpr b -> {
        visit(b.lhs(), out);
        visit(b.rhs(), out);
      }
      case Call c -> {
        for (Expr arg : c.args()) {
          visit(arg, out);
        }
      }
      case ParenExpr p -> visit(p.expr(), out);
      case SubqueryExpr s -> visit(s.expr(), out);
      case UnaryExpr u -> visit(u.expr(), out);
      case DurationExpr d -> { }
      case NumberLiteral n -> { }
      case StringLiteral s -> { }
    }
  }
}
