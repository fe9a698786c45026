package dev.vigil.protocol.remote;

/**
 * Why an exemplar of a push was dropped. A dropped exemplar never fails its request or its
 * series' samples: Prometheus's remote-write handler only logs such errors, and Mimir's
 * distributor drops invalid exemplars and counts them ({@code cortex_discarded_exemplars_total}
 * with these {@link #label()}s), because OTLP senders routinely send empty ones.
 */
public enum ExemplarRejectReason {
  /** No labels at all (Mimir: {@code err-mimir-exemplar-labels-missing}). */
  LABELS_MISSING("exemplar_labels_missing"),
  /** Names and values over 128 UTF-8 characters (OpenMetrics's limit). */
  LABELS_TOO_LONG("exemplar_labels_too_long"),
  /** Timestamp 0, i.e. not set (Mimir: {@code err-mimir-exemplar-timestamp-invalid}). */
  TIMESTAMP_INVALID("exemplar_timestamp_invalid"),
  /** The store refused it: out of order, or its series was refused. */
  STORAGE("storage_rejected");

  private final String label;

  ExemplarRejectReason(String label) {
    this.label = label;
  }

  /** The {@code reason} label of the discarded-exemplars counter. */
  public String label() {
    return label;
  }

  /**
   * Mimir's distributor checks, in its order; null when the exemplar may be stored. The
   * 128-character rule counts Unicode code points of names and values, as Go's
   * {@code utf8.RuneCountInString}.
   */
  public static ExemplarRejectReason validate(dev.vigil.model.labels.Labels labels, long t) {
    if (labels.isEmpty()) {
      return LABELS_MISSING;
    }
    if (t == 0) {
      return TIMESTAMP_INVALID;
    }
    int runes = 0;
    for (int i = 0; i < labels.size(); i++) {
      String n = labels.name(i);
      String v = labels.value(i);
      runes += n.codePointCount(0, n.length()) + v.codePointCount(0, v.length());
    }
    return runes > dev.vigil.model.exemplar.Exemplar.MAX_LABELS_RUNES ? LABELS_TOO_LONG : null;
  }
}
