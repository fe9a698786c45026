/**
 * Recording rules evaluated over past time, for backfilling the series they would have recorded
 * (Prometheus's {@code promtool tsdb create-blocks-from rules}). Reads through the model's
 * {@code Queryable} and hands results to a sink; writing blocks is the caller's business.
 */
package dev.vigil.rules.backfill;
