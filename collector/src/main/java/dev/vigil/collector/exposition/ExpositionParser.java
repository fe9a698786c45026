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
public sealed interface ExpositionParser permits TextParser, ProtobufParser, NhcbParser {
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
    return create(format, body, scrapeNativeHistograms, alwaysScrapeClassicHistograms, false,
        false);
  }

  /**
   * As {@link #create(ExpositionFormat, byte[], boolean, boolean)}, and with
   * {@code convertClassicHistogramsToNhcb} classic histograms come as native histograms with
   * custom buckets ({@link NhcbParser}; their classic series too when
   * {@code alwaysScrapeClassicHistograms}).
   */
  static ExpositionParser create(ExpositionFormat format, byte[] body, boolean scrapeNativeHistograms,
      boolean alwaysScrapeClassicHistograms, boolean convertClassicHistogramsToNhcb) {
    return create(format, body, scrapeNativeHistograms, alwaysScrapeClassicHistograms,
        convertClassicHistogramsToNhcb, false);
  }

  /**
   * As {@link #create(ExpositionFormat, byte[], boolean, boolean, boolean)}, and with
   * {@code createdAsStart} OpenMetrics {@code _created} lines give {@link #startTimestamp()}
   * instead of series of their own ({@link TextParser#create(ExpositionFormat, byte[], boolean)}).
   */
  static ExpositionParser create(ExpositionFormat format, byte[] body, boolean scrapeNativeHistograms,
      boolean alwaysScrapeClassicHistograms, boolean convertClassicHistogramsToNhcb,
      boolean createdAsStart) {
    ExpositionParser p = format == ExpositionFormat.PROMETHEUS_PROTOBUF
        ? ProtobufParser.create(body, !scrapeNativeHistograms, alwaysScrapeClassicHistograms)
        : TextParser.create(format, body, createdAsStart);
    return convertClassicHistogramsToNhcb ? new NhcbParser(p, alwaysScrapeClassicHistograms) : p;
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

  /**
   * The start (created) timestamp of the current SERIES or HISTOGRAM entry's metric in
   * milliseconds since the epoch, 0 when unknown: a counter's, summary's or histogram's
   * {@code created_timestamp} in protobuf, for every series of that metric, as Prometheus's
   * parser gives it; its {@code _created} line in OpenMetrics text when asked for (see {@link
   * TextParser#startTimestamp()}). Prometheus text 0.0.4 gives 0.
   */
  long startTimestamp();

  /** The exemplar of the current entry, or null (a native histogram's: its first). */
  Exemplar exemplar();

  /**
   * Every exemplar of the current SERIES or HISTOGRAM entry, in exposition order: at most one
   * for a series; a native histogram's (protobuf) may have several, those without a timestamp
   * left out as Prometheus does. An empty list (not allocated) when there are none.
   */
  java.util.List<Exemplar> exemplars();

  /**
   * A hash of the family name of the current TYPE, HELP or UNIT entry as written; with
   * {@link #familyNameEquals} and {@link #familyNameBytes} it lets a caller keep per-family
   * state (Prometheus's metadata cache) without decoding the name on every scrape.
   */
  long familyNameHash();

  /** Whether the family name of the current TYPE/HELP/UNIT entry, as written, is {@code other}. */
  boolean familyNameEquals(byte[] other);

  /** A copy of the family name of the current TYPE/HELP/UNIT entry as written. */
  byte[] familyNameBytes();

  /**
   * Whether the text of the current HELP entry, as written (escapes not resolved), is
   * {@code other}: equal bytes mean equal {@link #help()}, without decoding it.
   */
  boolean helpEquals(byte[] other);

  /** A copy of the text of the current HELP entry as written. */
  byte[] helpBytes();

  long seriesHash();

  boolean seriesBytesEqual(byte[] other, int from, int to);

  byte[] seriesBytes();
}
