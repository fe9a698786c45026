/**
 * Pull parsers for the text exposition formats a scrape receives: Prometheus text 0.0.4 and
 * OpenMetrics 1.0 text. They read a byte array entry by entry, allocate only for what the caller
 * asks for (labels, help text) and report errors with line, column and the offending text.
 *
 * <p>Hot path: no regex, streams or boxing. Depends only on {@code dev.vigil.model.labels}; never
 * on HTTP, relabelling or storage.
 */
package dev.vigil.collector.exposition;
