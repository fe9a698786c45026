package dev.vigil.collector.exposition;

import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;

/**
 * A pull parser over one scrape body, whatever its format: call {@link #next()} until it returns
 * {@link Entry#EOF}; after each entry the accessors for that kind of entry are valid.
 * {@link #seriesHash()}/{@link #seriesBytesEqual} identify a series by bytes (its raw text, or a
 * canonical encoding for protobuf) so callers can cache per-series work, as Prometheus's scrape
 * cache does. Not thread-safe; one instance per body.
 */
public sealed interface ExpositionParser permits TextParser, ProtobufParser {
  /** A parser for {@code body} in {@code format}; native histograms only come from protobuf. */
  static ExpositionParser create(ExpositionFormat format, byte[] body) {
    return format == ExpositionFormat.PROMETHEUS_PROTOBUF
        ? ProtobufParser.create(body, false)
        : TextParser.create(format, body);
  }

  /**
   * As {@link #create(ExpositionFormat, byte[])} with a scrape job's histogram settings (they only
   * matter for protobuf): see {@link ProtobufParser#create(byte[], boolean, boolean)}.
   */
  static ExpositionParser create(ExpositionFormat format, byte[] body, boolean scrapeNativeHistograms,
      boolean alwaysScrapeClassicHistograms) {
    return format == ExpositionFormat.PROMETHEUS_PROTOBUF
        ? ProtobufParser.create(body, !scrapeNativeHistograms, alwaysScrapeClassicHistograms)
        : TextParser.create(format, body);
  }

  /** Advances to the next entry. @throws ExpositionParseException on malformed input */
  Entry next();

  /** The family name of a TYPE/HELP/UNIT entry, or the metric name of a SERIES entry. */
  String metricFamily();

  /** The type of the current family (UNKNOWN before any {@code TYPE}). */
  MetricType type();

  String help();

  String unit();

  /** Labels of the current SERIES or HISTOGRAM entry, {@code __name__} included. */
  Labels labels();

  /** Value of a SERIES entry. */
  double value();

  /** The native histogram of a HISTOGRAM entry. */
  FloatHistogram histogram();

  boolean hasTimestamp();

  /** Milliseconds since the epoch; meaningful only when {@link #hasTimestamp()}. */
  long timestamp();

  /** The exemplar of the current entry, or null. */
  Exemplar exemplar();

  long seriesHash();

  boolean seriesBytesEqual(byte[] other, int from, int to);

  byte[] seriesBytes();
}
