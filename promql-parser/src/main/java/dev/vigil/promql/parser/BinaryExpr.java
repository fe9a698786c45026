package dev.vigil.promql.parser;

/**
 * {@code lhs op [bool] [on/ignoring(...)] [group_left/right(...)] [fill...] rhs}.
 *
 * @param matching non-null when both operands are vectors (one-to-one by default)
 * @param returnBool the {@code bool} modifier of comparisons
 */
public record BinaryExpr(
    BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool,
    PositionRange pos)
    implements Expr {
  @Override
  public ValueType type() {
    return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
        ? ValueType.SCALAR
        : ValueType.VECTOR;
  }
}
