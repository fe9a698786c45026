/**
 * Pull parsers for the exposition formats a scrape receives ({@link
 * dev.vigil.collector.exposition.ExpositionParser}): Prometheus text 0.0.4 and OpenMetrics 1.0
 * text ({@code TextParser}: reads the byte array entry by entry, allocates only for what the
 * caller asks for, reports errors with line, column and the offending text) and the delimited
 * protobuf {@code MetricFamily} format with native histograms ({@code ProtobufParser}, errors by
 * byte offset).
 *
 * <p>Hot path: no regex, streams or boxing. Depends on {@code dev.vigil.model} (labels,
 * histograms) and the generated messages of {@code dev.vigil.protocol.exposition.pb}; never on
 * HTTP, relabelling or storage.
 */
package dev.vigil.collector.exposition;
