package dev.vigil.protocol.remote;

/**
 * A push body that is not a valid message of the announced version: truncated, corrupt, or with
 * references out of range. Nothing of such a body may be stored; the sender gets a 400 with the
 * message.
 */
public final class MalformedBodyException extends Exception {
  public MalformedBodyException(String message) {
    super(message);
  }

  public MalformedBodyException(String message, Throwable cause) {
    super(message, cause);
  }
}
