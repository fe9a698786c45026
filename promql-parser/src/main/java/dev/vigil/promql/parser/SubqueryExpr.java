package dev.vigil.promql.parser;

/**
 * A subquery {@code expr[range:step] offset D @ T}.
 *
 * @param range range duration expression in seconds
 * @param step step duration expression in seconds, or null for the default evaluation interval
 * @param offset offset duration expression in seconds, or null
 * @param at the {@code @} modifier, or null
 */
public record SubqueryExpr(
    Expr expr, Expr range, Expr step, Expr offset, AtModifier at, PositionRange pos)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }
}
