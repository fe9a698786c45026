/**
 * Metric metadata (type, help, unit) per tenant, as senders push it (remote write 1.0
 * {@code metadata}, 2.0 per-series metadata, OTLP descriptions) and {@code /api/v1/metadata}
 * serves it: in memory, bounded, forgotten when not re-sent, as Mimir's ingesters keep it;
 * plus what the tenants' TSDBs keep per series ({@code StoredMetadata}), which survives restarts.
 */
package dev.vigil.server.metadata;
