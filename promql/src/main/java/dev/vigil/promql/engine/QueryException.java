package dev.vigil.promql.engine;

/**
 * A query failed. {@link #getMessage()} is exactly Prometheus's error text (API clients and the
 * conformance suite compare it), e.g. "vector cannot contain metrics with the same labelset" or
 * "query processing would load too many samples into memory in query execution".
 */
public class QueryException extends RuntimeException {
  public QueryException(String message) {
    super(message);
  }

  public QueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
