/**
 * JMH benchmarks of the TSDB (append throughput, memory per active series, bytes per sample in
 * compacted blocks) and the generator of the data they share with the Prometheus comparison.
 */
package dev.vigil.bench.tsdb;
