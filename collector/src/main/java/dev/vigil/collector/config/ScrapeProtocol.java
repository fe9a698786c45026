package dev.vigil.collector.config;

import java.util.List;

/**
 * The exposition protocols a scrape may ask for (Prometheus's {@code scrape_protocols}), with the
 * media type each puts into the {@code Accept} header.
 */
public enum ScrapeProtocol {
  PROMETHEUS_PROTO("PrometheusProto",
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"),
  PROMETHEUS_TEXT_0_0_4("PrometheusText0.0.4", "text/plain;version=0.0.4"),
  PROMETHEUS_TEXT_1_0_0("PrometheusText1.0.0", "text/plain;version=1.0.0"),
  OPENMETRICS_TEXT_0_0_1("OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1"),
  OPENMETRICS_TEXT_1_0_0("OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0");

  /** Prometheus's default order when native histograms are off. */
  public static final List<ScrapeProtocol> DEFAULT =
      List.of(OPENMETRICS_TEXT_1_0_0, OPENMETRICS_TEXT_0_0_1, PROMETHEUS_TEXT_1_0_0, PROMETHEUS_TEXT_0_0_4);

  /** Prometheus's default order when the job scrapes native histograms (only protobuf has them). */
  public static final List<ScrapeProtocol> PROTO_FIRST = List.of(PROMETHEUS_PROTO, OPENMETRICS_TEXT_1_0_0,
      OPENMETRICS_TEXT_0_0_1, PROMETHEUS_TEXT_1_0_0, PROMETHEUS_TEXT_0_0_4);

  private final String configName;
  private final String mediaType;

  ScrapeProtocol(String configName, String mediaType) {
    this.configName = configName;
    this.mediaType = mediaType;
  }

  public String configName() {
    return configName;
  }

  /** The media type without parameters added per request (escaping, q). */
  public String mediaType() {
    return mediaType;
  }

  /** Whether the format version understands the {@code escaping} parameter (UTF-8 names). */
  public boolean supportsEscaping() {
    return this == PROMETHEUS_TEXT_1_0_0 || this == OPENMETRICS_TEXT_1_0_0;
  }

  /** @throws IllegalArgumentException {@code unknown scrape protocol X, supported: [...]} */
  public static ScrapeProtocol parse(String s) {
    for (ScrapeProtocol p : values()) {
      if (p.configName.equals(s)) {
        return p;
      }
    }
    StringBuilder sb = new StringBuilder("unknown scrape protocol ").append(s).append(", supported: [");
    for (ScrapeProtocol p : values()) {
      sb.append(p.ordinal() == 0 ? "" : " ").append(p.configName);
    }
    throw new IllegalArgumentException(sb.append(']').toString());
  }

  @Override
  public String toString() {
    return configName;
  }
}
