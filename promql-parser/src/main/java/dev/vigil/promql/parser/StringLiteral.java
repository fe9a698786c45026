package dev.vigil.promql.parser;

/** A string literal, already unquoted/unescaped. */
public record StringLiteral(String value, PositionRange pos) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.STRING;
  }
}
