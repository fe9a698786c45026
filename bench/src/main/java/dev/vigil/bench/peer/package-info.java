/**
 * The peer benchmark's client side: data generation (OpenMetrics for promtool, OTLP JSON for
 * Vigil) and the query timer, driven by {@code bench/peer/run.sh}. Talks HTTP to loopback only.
 */
package dev.vigil.bench.peer;
