package dev.vigil.collector.remote;

/**
 * What one request attempt came to.
 *
 * @param kind sent, retry later, or drop the batch
 * @param status the HTTP status, or 0 when no answer came
 * @param retryAfterMillis the endpoint's {@code Retry-After} in ms, or -1 when absent
 * @param message for failures, the status and the start of the response body, or the I/O error
 */
record SendOutcome(Kind kind, int status, long retryAfterMillis, String message) {
  enum Kind { SENT, RETRY, DROP }

  static final SendOutcome SENT = new SendOutcome(Kind.SENT, 200, -1, "");
}
