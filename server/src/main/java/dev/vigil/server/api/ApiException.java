package dev.vigil.server.api;

/** A request the API answers with an error envelope; the message is shown to the user as is. */
public final class ApiException extends Exception {
  private final ErrorType type;

  public ApiException(ErrorType type, String message) {
    super(message);
    this.type = type;
  }

  public ApiException(ErrorType type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public ErrorType type() {
    return type;
  }

  /** Prometheus's {@code invalidParamError}: {@code invalid parameter "name": reason}. */
  public static ApiException invalidParam(String param, String reason) {
    return new ApiException(ErrorType.BAD_DATA, "invalid parameter \"" + param + "\": " + reason);
  }
}
