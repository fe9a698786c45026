/**
 * Collector benchmarks (issue 8): text exposition parse throughput on a real node-exporter body
 * (JMH), and {@code PrometheusParserProfile}, which measures Debian Prometheus's own parser on the
 * same body from a CPU profile of its scrapes ({@code bench/collector/run.sh}).
 */
package dev.vigil.bench.collector;
