package dev.vigil.protocol.snappy;

/** A snappy block that cannot be decoded; the message says why (truncated, corrupt, too large). */
public final class SnappyFormatException extends Exception {
  public SnappyFormatException(String message) {
    super(message);
  }
}
