package dev.vigil.collector.exposition;

/** What {@link ExpositionParser#next()} found. */
public enum Entry {
  /** {@code # TYPE}: see {@link TextParser#metricFamily()} and {@link TextParser#type()}. */
  TYPE,
  /** {@code # HELP}: see {@link TextParser#help()}. */
  HELP,
  /** {@code # UNIT} (OpenMetrics only): see {@link TextParser#unit()}. */
  UNIT,
  /** Any other comment line (Prometheus text only). */
  COMMENT,
  /** A sample: labels, value, optional timestamp and (OpenMetrics) exemplar. */
  SERIES,
  /** A native histogram sample (protobuf format only): see {@link ExpositionParser#histogram()}. */
  HISTOGRAM,
  /** The end of the input (after {@code # EOF} in OpenMetrics). */
  EOF
}
