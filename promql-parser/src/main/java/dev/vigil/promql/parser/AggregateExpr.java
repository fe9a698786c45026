package dev.vigil.promql.parser;

import java.util.List;

/**
 * {@code op [by|without (labels)] ([param,] expr)}.
 *
 * @param param the first argument of topk/bottomk/quantile/count_values/limitk/limit_ratio, or
 *     null
 * @param without true for {@code without}, false for {@code by} (or no grouping)
 */
public record AggregateExpr(
    AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
    PositionRange pos)
    implements Expr {
  public AggregateExpr {
    grouping = List.copyOf(grouping);
  }

  @Override
  public ValueType type() {
    return ValueType.VECTOR;
  }
}
