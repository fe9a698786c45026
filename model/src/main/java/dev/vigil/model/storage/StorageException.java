package dev.vigil.model.storage;

/** A sample or request the store rejects; the message says which and why. */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
