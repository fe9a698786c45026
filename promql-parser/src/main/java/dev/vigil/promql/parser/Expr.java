package dev.vigil.promql.parser;

/**
 * A PromQL expression node. The set of nodes is closed: the engine and the printer switch over it
 * exhaustively (no default branch), so a new node breaks the build wherever it must be handled.
 *
 * <p>Durations (offsets, ranges, subquery steps) are expressions too, because Prometheus's
 * experimental duration arithmetic allows {@code [5m * 2]} or {@code offset step()}: a plain
 * {@code 5m} is a {@link NumberLiteral} in seconds with {@code duration == true}.
 */
public sealed interface Expr
    permits AggregateExpr,
        BinaryExpr,
        Call,
        DurationExpr,
        MatrixSelector,
        NumberLiteral,
        ParenExpr,
        StringLiteral,
        SubqueryExpr,
        UnaryExpr,
        VectorSelector {

  PositionRange pos();

  /** The type of value this expression evaluates to. */
  ValueType type();
}
