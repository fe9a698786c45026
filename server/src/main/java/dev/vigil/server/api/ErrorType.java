package dev.vigil.server.api;

/** Prometheus's API error types and the HTTP status each one answers with. */
public enum ErrorType {
  BAD_DATA("bad_data", 400),
  EXECUTION("execution", 422),
  CANCELED("canceled", 503),
  TIMEOUT("timeout", 503),
  INTERNAL("internal", 500),
  UNAVAILABLE("unavailable", 503),
  NOT_FOUND("not_found", 404),
  NOT_ACCEPTABLE("not_acceptable", 406);

  private final String wireName;
  private final int status;

  ErrorType(String wireName, int status) {
    this.wireName = wireName;
    this.status = status;
  }

  /** The {@code errorType} field of the JSON envelope. */
  public String wireName() {
    return wireName;
  }

  public int status() {
    return status;
  }
}
