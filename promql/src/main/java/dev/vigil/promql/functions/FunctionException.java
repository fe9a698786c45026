package dev.vigil.promql.functions;

/**
 * A function rejected its input in a way that fails the whole query (e.g. an invalid smoothing
 * factor); the message is Prometheus's error text. The engine rethrows it as a query error.
 */
public final class FunctionException extends RuntimeException {
  public FunctionException(String message) {
    super(message);
  }
}
