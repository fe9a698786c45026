/**
 * Scrape benchmark (issue 8): collector CPU per 1M scraped series, Vigil's collector against
 * Debian's Prometheus in agent mode, on the same synthetic exporters and the same blackhole
 * remote-write receiver ({@code bench/scrape/run.sh}). {@link dev.vigil.bench.scrape.StaticExporters}
 * serves the targets and counts what was scraped; {@link dev.vigil.bench.scrape.VigilScrapeRunner}
 * runs what {@code vigil agent} runs: the scrape manager appending into the durable remote-write
 * sender.
 */
package dev.vigil.bench.scrape;
