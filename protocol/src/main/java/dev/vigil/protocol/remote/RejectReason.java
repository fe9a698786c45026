package dev.vigil.protocol.remote;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleRejectedException;
import dev.vigil.model.storage.StorageException;

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
  /** Before what the store still takes (Mimir's ingester reason and error ID). */
  SAMPLE_TIMESTAMP_TOO_OLD("sample-timestamp-too-old", "err-mimir-sample-timestamp-too-old"),
  /** Not after its series' newest sample, with no out-of-order window. */
  SAMPLE_OUT_OF_ORDER("sample-out-of-order", "err-mimir-sample-out-of-order"),
  /** Not after its series' newest sample, and behind the out-of-order window. */
  SAMPLE_TOO_OLD("sample-too-old", "err-mimir-sample-timestamp-too-old"),
  /** Another value at a timestamp the series holds. */
  NEW_VALUE_FOR_TIMESTAMP("new-value-for-timestamp", "err-mimir-sample-duplicate-timestamp"),
  /** The store refused the sample for another reason. */
  STORAGE("storage_rejected", "err-vigil-storage-rejected");

  private final String label;
  private final String errorId;

  RejectReason(String label, String errorId) {
    this.label = label;
    this.errorId = errorId;
  }

  /** The reason for a sample the store refused: its kind of refusal, or {@link #STORAGE}. */
  public static RejectReason of(StorageException e) {
    if (!(e instanceof SampleRejectedException r)) {
      return STORAGE;
    }
    return switch (r.kind()) {
      case OUT_OF_BOUNDS -> SAMPLE_TIMESTAMP_TOO_OLD;
      case OUT_OF_ORDER -> SAMPLE_OUT_OF_ORDER;
      case TOO_OLD -> SAMPLE_TOO_OLD;
      case DUPLICATE_TIMESTAMP -> NEW_VALUE_FOR_TIMESTAMP;
    };
  }

  /**
   * The answer's text for a sample the store refused: the store's message, the sample, and the
   * error ID of its reason (Mimir's, where Mimir has one).
   */
  public static String message(StorageException e, Labels labels, long t) {
    return e.getMessage() + ", timestamp: " + t + ", series: '" + labels + "' ("
        + of(e).errorId() + ")";
  }

  public String label() {
    return label;
  }

  public String errorId() {
    return errorId;
  }
}
