package dev.vigil.model.storage;

/**
 * A sample the store refuses for its timestamp: the kind of refusal, for the senders' error
 * answers and the discarded-samples counter, beside the message that says which sample and why.
 */
public final class SampleRejectedException extends StorageException {
  /** Why the store refuses the sample. */
  public enum Kind {
    /** Before what the store still takes: in a block already, or too far behind its newest sample. */
    OUT_OF_BOUNDS,
    /** Not after its series' newest sample, and out-of-order samples are not taken. */
    OUT_OF_ORDER,
    /** Not after its series' newest sample, and behind the out-of-order window. */
    TOO_OLD,
    /** Another value at a timestamp the series holds. */
    DUPLICATE_TIMESTAMP
  }

  private final Kind kind;

  public SampleRejectedException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
