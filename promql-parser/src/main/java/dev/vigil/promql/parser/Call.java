package dev.vigil.promql.parser;

import java.util.List;

/** A function call; {@code function} comes from {@link Functions}. */
public record Call(FunctionSignature function, List<Expr> args, PositionRange pos) implements Expr {
  public Call {
    args = List.copyOf(args);
  }

  @Override
  public ValueType type() {
    return function.returnType();
  }
}
