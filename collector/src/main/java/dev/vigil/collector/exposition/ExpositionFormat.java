package dev.vigil.collector.exposition;

import java.util.Locale;

/** The text formats we parse, with the media types that select them. */
public enum ExpositionFormat {
  PROMETHEUS_TEXT("text/plain", "0.0.4"),
  OPENMETRICS_TEXT("application/openmetrics-text", "1.0.0");

  private final String mediaType;
  private final String version;

  ExpositionFormat(String mediaType, String version) {
    this.mediaType = mediaType;
    this.version = version;
  }

  public String mediaType() {
    return mediaType;
  }

  public String version() {
    return version;
  }

  /**
   * The format of a response's {@code Content-Type}. Like Prometheus, anything that is not
   * OpenMetrics (including a missing or unknown type) is read as Prometheus text.
   */
  public static ExpositionFormat forContentType(String contentType) {
    if (contentType == null) {
      return PROMETHEUS_TEXT;
    }
    String ct = contentType.toLowerCase(Locale.ROOT).strip();
    return ct.startsWith(OPENMETRICS_TEXT.mediaType) ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
  }
}
