package dev.vigil.promql.parser;

/**
 * A range vector selector {@code selector[range]}. Offset, {@code @} and the anchored/smoothed
 * modifiers live on the inner {@link VectorSelector}.
 *
 * @param range the range duration expression in seconds
 */
public record MatrixSelector(VectorSelector vectorSelector, Expr range, PositionRange pos)
    implements Expr {
  @Override
  public ValueType type() {
    return ValueType.MATRIX;
  }
}
