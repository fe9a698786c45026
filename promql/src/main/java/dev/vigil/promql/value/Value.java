package dev.vigil.promql.value;

/** The result of evaluating a PromQL expression: one of the four PromQL value types. */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {}
