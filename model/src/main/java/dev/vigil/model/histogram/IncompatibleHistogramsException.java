package dev.vigil.model.histogram;

/**
 * An operation combined a histogram with exponential buckets and one with custom buckets
 * (Prometheus's {@code ErrHistogramsIncompatibleSchema}; the message is Prometheus's).
 */
public final class IncompatibleHistogramsException extends IllegalArgumentException {
  public static final String MESSAGE =
      "cannot apply this operation on histograms with a mix of exponential and custom bucket schemas";

  public IncompatibleHistogramsException() {
    super(MESSAGE);
  }
}
