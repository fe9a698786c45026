package dev.vigil.promql.parser;

/** A parenthesised expression, kept so the printer can reproduce the query. */
public record ParenExpr(Expr expr, PositionRange pos) implements Expr {
  @Override
  public ValueType type() {
    return expr.type();
  }
}
