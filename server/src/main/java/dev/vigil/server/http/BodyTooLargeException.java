package dev.vigil.server.http;

/** A request body over the endpoint's limit; answered with 413. */
public final class BodyTooLargeException extends Exception {
  private final long size;
  private final long limit;

  public BodyTooLargeException(long size, long limit) {
    super("request body of " + (size < 0 ? "more than " + limit : size) + " bytes is larger than "
        + "the limit of " + limit + " bytes");
    this.size = size;
    this.limit = limit;
  }

  /** The announced size, or -1 when only known to be over the limit. */
  public long size() {
    return size;
  }

  public long limit() {
    return limit;
  }
}
