package dev.vigil.protocol.remote;

import java.util.Objects;

/**
 * What a sender says about a metric family: its type, help text and unit, as remote write 1.0
 * {@code MetricMetadata}, remote write 2.0 per-series {@code Metadata} and OTLP metric
 * descriptions carry it, and as {@code /api/v1/metadata} shows it.
 *
 * @param family metric family name (for 2.0 series: the metric name without the
 *     {@code _bucket}/{@code _sum}/{@code _count} suffix of classic histograms and summaries)
 * @param type the family's type
 * @param help help text ("" when none)
 * @param unit unit ("" when none)
 */
public record MetricMetadata(String family, Type type, String help, String unit) {
  public MetricMetadata {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(help, "help");
    Objects.requireNonNull(unit, "unit");
  }

  /** Prometheus's metric types; the wire numbers of both remote write versions agree. */
  public enum Type {
    UNKNOWN("unknown"), COUNTER("counter"), GAUGE("gauge"), HISTOGRAM("histogram"),
    GAUGEHISTOGRAM("gaugehistogram"), SUMMARY("summary"), INFO("info"), STATESET("stateset");

    private static final Type[] BY_NUMBER = values();
    private final String promName;

    Type(String promName) {
      this.promName = promName;
    }

    /** The name {@code /api/v1/metadata} shows. */
    public String promName() {
      return promName;
    }

    /** The type of wire number {@code n}; numbers this version does not know are unknown. */
    public static Type ofWireNumber(long n) {
      return n >= 0 && n < BY_NUMBER.length ? BY_NUMBER[(int) n] : UNKNOWN;
    }
  }
}
