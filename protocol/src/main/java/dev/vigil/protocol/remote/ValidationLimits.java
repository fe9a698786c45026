package dev.vigil.protocol.remote;

/**
 * Per-series validation limits applied while decoding, with Mimir's defaults and flag names
 * ({@code -validation.max-label-names-per-series}, {@code -validation.max-length-label-name},
 * {@code -validation.max-length-label-value}).
 */
public record ValidationLimits(int maxLabelNamesPerSeries, int maxLabelNameLength,
    int maxLabelValueLength) {
  public static final ValidationLimits MIMIR_DEFAULTS = new ValidationLimits(30, 1024, 2048);

  public ValidationLimits {
    if (maxLabelNamesPerSeries <= 0 || maxLabelNameLength <= 0 || maxLabelValueLength <= 0) {
      throw new IllegalArgumentException("validation limits must be positive: "
          + maxLabelNamesPerSeries + ", " + maxLabelNameLength + ", " + maxLabelValueLength);
    }
  }
}
