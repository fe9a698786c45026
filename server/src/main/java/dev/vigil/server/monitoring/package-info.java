/**
 * Self-monitoring: one metrics registry per server (never the library's global default, so two
 * servers in one JVM keep apart), the metrics ingest and HTTP report, and {@code /metrics} in
 * Prometheus text or OpenMetrics. Must not depend on storage engines or PromQL.
 */
package dev.vigil.server.monitoring;
