/**
 * Per-tenant limits with Mimir's names and defaults, and their enforcement state (ingestion rate
 * buckets). Must not depend on HTTP, PromQL or storage engines.
 */
package dev.vigil.server.limits;
