package dev.vigil.protocol.remote;

import dev.vigil.model.storage.StorageException;

/**
 * A sample refused by a per-tenant limit enforced around the store (such as Mimir's
 * {@code max_global_series_per_user}): the decoders count it under {@link #reason()} and use
 * the message unchanged, which is Mimir's full text with its error ID.
 */
public final class LimitExceededException extends StorageException {
  private final RejectReason reason;

  public LimitExceededException(RejectReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
