package dev.vigil.protocol.remote;

/**
 * Why a series or sample of a push was refused. {@link #label()} is the {@code reason} label of
 * the discarded-samples counter (Mimir's names); {@link #errorId()} ends the error message so
 * users can look it up in Mimir's runbooks.
 */
public enum RejectReason {
  MISSING_METRIC_NAME("missing_metric_name", "err-mimir-missing-metric-name"),
  INVALID_METRIC_NAME("metric_name_invalid", "err-mimir-metric-name-invalid"),
  INVALID_LABEL("label_invalid", "err-mimir-label-invalid"),
  INVALID_LABEL_VALUE("label_value_invalid", "err-mimir-label-value-invalid"),
  DUPLICATE_LABEL_NAMES("duplicate_label_names", "err-mimir-duplicate-label-names"),
  LABELS_NOT_SORTED("labels_not_sorted", "err-mimir-labels-not-sorted"),
  MAX_LABEL_NAMES_PER_SERIES("max_label_names_per_series", "err-mimir-max-label-names-per-series"),
  LABEL_NAME_TOO_LONG("label_name_too_long", "err-mimir-label-name-too-long"),
  LABEL_VALUE_TOO_LONG("label_value_too_long", "err-mimir-label-value-too-long"),
  INVALID_NATIVE_HISTOGRAM("invalid_native_histogram", "err-mimir-invalid-native-histogram"),
  /** A new series over the tenant's {@code max_global_series_per_user}. */
  PER_USER_SERIES_LIMIT("per_user_series_limit", "err-mimir-max-series-per-user"),
  /** OTLP data Vigil does not translate (delta temporality, exponential scale out of range). */
  UNSUPPORTED_OTLP("otlp_unsupported", "err-vigil-otlp-unsupported"),
  /** The store refused the sample (out of order, duplicate timestamp, too old, a limit). */
  STORAGE("storage_rejected", "err-vigil-storage-rejected");

  private final String label;
  private final String errorId;

  RejectReason(String label, String errorId) {
    this.label = label;
    this.errorId = errorId;
  }

  public String label() {
    return label;
  }

  public String errorId() {
    return errorId;
  }
}
