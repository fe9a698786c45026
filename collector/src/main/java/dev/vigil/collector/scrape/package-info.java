/**
 * Scraping one target: the HTTP request (Accept negotiation, gzip, timeout, body size limit),
 * parsing, target and metric relabelling, limits, appending to an {@code Appender}, the report
 * series ({@code up}, {@code scrape_duration_seconds}, ...) and staleness markers.
 *
 * <p>Time comes from an injected {@code InstantSource}; threads from the caller's executor. Must
 * not depend on service discovery or remote write (they feed and drain it through the model's
 * {@code Appendable}).
 */
package dev.vigil.collector.scrape;
