package dev.vigil.promql.functions;

import dev.vigil.promql.parser.Call;

/**
 * How a function is evaluated. The engine switches over these kinds exhaustively.
 */
public sealed interface FunctionImpl {
  /**
   * Called once per step with the step's argument values: instant-vector arguments as vectors,
   * scalar arguments as one-sample vectors, string arguments as null (read them from the call).
   */
  record Instant(InstantFunction fn) implements FunctionImpl {}

  /**
   * Called once per series and step with the window of the range argument and the step's
   * values of the scalar arguments (in argument order, the range argument left out).
   *
   * @param keepName true for functions that act like an offset and keep {@code __name__}
   */
  record OverRange(RangeFunction fn, boolean keepName) implements FunctionImpl {}

  /** Evaluated by the engine on whole series (label_replace, label_join, info, absent_over_time). */
  record Engine() implements FunctionImpl {}

  @FunctionalInterface
  interface InstantFunction {
    void apply(StepVector[] args, Call call, FunctionContext ctx, StepVector out);
  }

  @FunctionalInterface
  interface RangeFunction {
    /** Writes the step's result to {@code out}; returns false (and leaves it empty) for none. */
    boolean apply(Window w, double[] scalarArgs, Call call, FunctionContext ctx, RangeOut out);
  }
}
