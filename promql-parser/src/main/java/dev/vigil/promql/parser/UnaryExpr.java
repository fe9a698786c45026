package dev.vigil.promql.parser;

/** Unary {@code -expr} or {@code +expr} ({@code op} is {@link BinaryOp#SUB} or {@link BinaryOp#ADD}). */
public record UnaryExpr(BinaryOp op, Expr expr, PositionRange pos) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}
