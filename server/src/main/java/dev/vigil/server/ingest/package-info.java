/**
 * The remote-write ingest endpoint: content negotiation, size limits, snappy, decoding into the
 * tenant's appender, and Mimir's answers (200, 400 with the first refusal, 413, 415, 5xx on
 * storage failure so senders retry). Must not depend on PromQL or Jetty types.
 */
package dev.vigil.server.ingest;
