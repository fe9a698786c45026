/**
 * The ingest benchmark: a remote write 1.0 load generator that pushes the same snappy-compressed
 * batches to Vigil and to Debian's Prometheus over loopback, and measures samples accepted per
 * second and per CPU-second of the server process (read from {@code /proc}, so the generator's
 * own CPU does not count), plus memory per active series. Driven by {@code bench/ingest/run.sh}.
 */
package dev.vigil.bench.ingest;
