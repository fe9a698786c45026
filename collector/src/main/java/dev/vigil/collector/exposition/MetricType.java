package dev.vigil.collector.exposition;

/** A metric family's type from {@code # TYPE}; {@code untyped} (Prometheus text) is UNKNOWN. */
public enum MetricType {
  COUNTER,
  GAUGE,
  HISTOGRAM,
  GAUGEHISTOGRAM,
  SUMMARY,
  INFO,
  STATESET,
  UNKNOWN
}
