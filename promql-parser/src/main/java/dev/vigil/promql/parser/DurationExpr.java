package dev.vigil.promql.parser;

/**
 * Experimental duration arithmetic inside ranges, offsets and subquery steps, e.g. {@code
 * [5m * 2]}, {@code offset (1h + step())}, {@code [min_of(range(), 1h)]}. Values are seconds.
 *
 * @param lhs left operand (the operand of unary ops; null for {@code step()} and {@code range()})
 * @param rhs right operand (null for unary ops, {@code step()} and {@code range()})
 * @param wrapped written inside parentheses
 */
public record DurationExpr(Op op, Expr lhs, Expr rhs, boolean wrapped, PositionRange pos)
    implements Expr {
  public enum Op {
    ADD,
    SUB,
    MUL,
    DIV,
    MOD,
    POW,
    /** unary minus */
    NEG,
    /** unary plus */
    POS,
    /** {@code step()}: the query's step (0 for instant queries) */
    STEP,
    /** {@code range()}: the query's range, end - start */
    RANGE,
    MIN_OF,
    MAX_OF
  }

  @Override
  public ValueType type() {
    return ValueType.SCALAR;
  }
}
