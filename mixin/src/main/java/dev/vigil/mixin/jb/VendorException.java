package dev.vigil.mixin.jb;

/** A dependency that cannot be vendored (unknown ref, missing subdir, checksum mismatch...). */
public final class VendorException extends RuntimeException {
  public VendorException(String message) {
    super(message);
  }

  public VendorException(String message, Throwable cause) {
    super(message, cause);
  }
}
