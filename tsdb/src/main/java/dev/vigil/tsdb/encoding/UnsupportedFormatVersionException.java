package dev.vigil.tsdb.encoding;

/** A well-formed header whose version this reader does not accept. */
public final class UnsupportedFormatVersionException extends CorruptDataException {
  public UnsupportedFormatVersionException(
      String resource, long offset, int actual, int minAccepted, int maxAccepted) {
    super(resource, offset, "unsupported format version " + actual + ", this reader accepts ["
        + minAccepted + ", " + maxAccepted + "]");
  }
}
