package dev.vigil.collector.exposition;

import java.util.Locale;

/** The exposition formats we parse, with the media types that select them. */
public enum ExpositionFormat {
  PROMETHEUS_TEXT("text/plain", "0.0.4"),
  OPENMETRICS_TEXT("application/openmetrics-text", "1.0.0"),
  /** Length-delimited {@code io.prometheus.client.MetricFamily} messages (native histograms). */
  PROMETHEUS_PROTOBUF("application/vnd.google.protobuf", "");

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
   * The format of a response's {@code Content-Type}. Like Prometheus 2, anything that is neither
   * OpenMetrics nor the protobuf {@code MetricFamily} type (a missing or unknown type included)
   * is read as Prometheus text.
   */
  public static ExpositionFormat forContentType(String contentType) {
    if (contentType == null) {
      return PROMETHEUS_TEXT;
    }
    String ct = contentType.toLowerCase(Locale.ROOT).strip();
    if (ct.startsWith(OPENMETRICS_TEXT.mediaType)) {
      return OPENMETRICS_TEXT;
    }
    return isMetricFamilyProtobuf(ct) ? PROMETHEUS_PROTOBUF : PROMETHEUS_TEXT;
  }

  /**
   * Whether a (lower-case) content type is the delimited protobuf format: the media type with
   * {@code proto=io.prometheus.client.MetricFamily} and {@code encoding=delimited}, as Prometheus
   * requires.
   */
  public static boolean isMetricFamilyProtobuf(String ct) {
    if (!ct.startsWith(PROMETHEUS_PROTOBUF.mediaType)) {
      return false;
    }
    boolean proto = false;
    boolean delimited = false;
    for (String param : ct.split(";")) {
      String p = param.strip();
      proto |= p.equals("proto=io.prometheus.client.metricfamily");
      delimited |= p.equals("encoding=delimited");
    }
    return proto && delimited;
  }
}
