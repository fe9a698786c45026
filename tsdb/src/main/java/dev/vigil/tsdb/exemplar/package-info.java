/**
 * Exemplar storage: one fixed-size ring shared by all series of a database, as Prometheus's
 * circular exemplar storage ({@code tsdb/exemplar.go}), with a per-series chain through it.
 * Keyed by head series id, and by label set for series that left the head (their exemplars stay
 * queryable until overwritten); depends only on the model (no head, WAL or record types).
 */
package dev.vigil.tsdb.exemplar;
