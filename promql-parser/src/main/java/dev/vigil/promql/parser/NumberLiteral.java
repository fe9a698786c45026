package dev.vigil.promql.parser;

/**
 * A number. {@code duration} records that it was written as a duration ({@code 5m}, value in
 * seconds), so the printer writes it back that way.
 */
public record NumberLiteral(double value, boolean duration, PositionRange pos) implements Expr {
  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }
}
