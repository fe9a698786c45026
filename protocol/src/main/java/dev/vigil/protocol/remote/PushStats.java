package dev.vigil.protocol.remote;

/**
 * What one push did: how much was written, how much was refused and why, and the first refusal
 * as a user-facing message. Mutable and reusable ({@link #reset()}); not thread-safe.
 *
 * <p>Only the first refusal is rendered to text: building messages for every bad sample of a
 * large, uniformly broken batch would cost more than ingesting it.
 */
public final class PushStats {
  private static final RejectReason[] REASONS = RejectReason.values();
  private static final ExemplarRejectReason[] EXEMPLAR_REASONS = ExemplarRejectReason.values();

  private long samplesWritten;
  private long histogramsWritten;
  private long exemplarsReceived;
  private long exemplarsWritten;
  private final long[] exemplarsRejected = new long[EXEMPLAR_REASONS.length];
  private long metadataReceived;
  private long seriesReceived;
  private final long[] rejected = new long[REASONS.length];
  private String firstError;

  public void reset() {
    samplesWritten = 0;
    histogramsWritten = 0;
    exemplarsReceived = 0;
    exemplarsWritten = 0;
    java.util.Arrays.fill(exemplarsRejected, 0);
    metadataReceived = 0;
    seriesReceived = 0;
    java.util.Arrays.fill(rejected, 0);
    firstError = null;
  }

  /** For decoders of this module and its sub-packages. */
  public void addSample() {
    samplesWritten++;
  }

  /** For decoders of this module and its sub-packages. */
  public void addHistogram() {
    histogramsWritten++;
  }

  /** For decoders of this module and its sub-packages. */
  public void addExemplars(int n) {
    exemplarsReceived += n;
  }

  /** For decoders of this module and its sub-packages: one exemplar stored. */
  public void addExemplarWritten() {
    exemplarsWritten++;
  }

  /** For decoders of this module and its sub-packages: one exemplar dropped. */
  public void rejectExemplar(ExemplarRejectReason reason) {
    exemplarsRejected[reason.ordinal()]++;
  }

  /** For decoders of this module and its sub-packages. */
  public void addMetadata() {
    metadataReceived++;
  }

  /** For decoders of this module and its sub-packages. */
  public void addSeries() {
    seriesReceived++;
  }

  /** Whether the next rejection still needs its message (only the first one is kept). */
  /** For decoders of this module and its sub-packages. */
  public boolean wantsMessage() {
    return firstError == null;
  }

  /** For decoders of this module and its sub-packages. */
  public void reject(RejectReason reason, long count, String messageOrNull) {
    rejected[reason.ordinal()] += count;
    if (firstError == null && messageOrNull != null) {
      firstError = messageOrNull;
    }
  }

  public long samplesWritten() {
    return samplesWritten;
  }

  public long histogramsWritten() {
    return histogramsWritten;
  }

  /** Exemplars seen in the body (written, dropped, or of refused series). */
  public long exemplarsReceived() {
    return exemplarsReceived;
  }

  /** Exemplars stored (duplicates of the stored newest count too, as in Prometheus). */
  public long exemplarsWritten() {
    return exemplarsWritten;
  }

  /** Exemplars dropped for {@code reason}; they never make the request fail. */
  public long exemplarsRejected(ExemplarRejectReason reason) {
    return exemplarsRejected[reason.ordinal()];
  }

  public long metadataReceived() {
    return metadataReceived;
  }

  public long seriesReceived() {
    return seriesReceived;
  }

  /** Samples and histogram samples refused for {@code reason}. */
  public long rejected(RejectReason reason) {
    return rejected[reason.ordinal()];
  }

  public long rejectedTotal() {
    long n = 0;
    for (long r : rejected) {
      n += r;
    }
    return n;
  }

  /** The message of the first refusal, or null when everything was accepted. */
  public String firstError() {
    return firstError;
  }
}
