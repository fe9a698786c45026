package dev.vigil.promql.parser;

import java.util.List;

/**
 * A PromQL function's signature, as the parser checks calls against it.
 *
 * @param argTypes declared argument types; with {@code variadic != 0} the last one repeats
 * @param variadic 0: exactly {@code argTypes.size()} args; n > 0: up to n more than that minus
 *     one (the last declared type is optional and may repeat up to n times); -1: unlimited
 * @param experimental only available with experimental functions enabled
 */
public record FunctionSignature(
    String name, List<ValueType> argTypes, int variadic, ValueType returnType,
    boolean experimental) {
  public FunctionSignature {
    argTypes = List.copyOf(argTypes);
  }

  /** Minimum number of arguments a call must pass. */
  public int minArgs() {
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1;
  }

  /** Maximum number of arguments, or {@link Integer#MAX_VALUE} when unlimited. */
  public int maxArgs() {
    if (variadic < 0) {
      return Integer.MAX_VALUE;
    }
    return variadic == 0 ? argTypes.size() : argTypes.size() - 1 + variadic;
  }

  /** The declared type of argument {@code i}, repeating the last type for variadic tails. */
  public ValueType argType(int i) {
    return argTypes.get(Math.min(i, argTypes.size() - 1));
  }
}
