package dev.vigil.model.metadata;

/**
 * Prometheus's metric types, in the order of their wire numbers (remote write 1.0 and 2.0
 * agree on them, and so does the WAL's metadata record).
 */
public enum MetricType {
  UNKNOWN("unknown"),
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  GAUGEHISTOGRAM("gaugehistogram"),
  SUMMARY("summary"),
  INFO("info"),
  STATESET("stateset");

  private static final MetricType[] BY_NUMBER = values();
  private final String promName;

  MetricType(String promName) {
    this.promName = promName;
  }

  /** The name {@code /api/v1/metadata} and {@code # TYPE} lines use. */
  public String promName() {
    return promName;
  }

  /** The number remote write and the WAL encode this type as. */
  public int wireNumber() {
    return ordinal();
  }

  /** The type of wire number {@code n}; numbers this version does not know are unknown. */
  public static MetricType ofWireNumber(long n) {
    return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[(int) n] : UNKNOWN;
  }
}
