package dev.vigil.server.tenant;

/** A request whose tenant cannot be determined; {@link #status()} is the HTTP answer. */
public final class TenantException extends Exception {
  private final int status;

  public TenantException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
