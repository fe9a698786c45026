/**
 * Exemplar storage: one fixed-size ring shared by all series of a database, as Prometheus's
 * circular exemplar storage ({@code tsdb/exemplar.go}), with a per-series chain through it.
 * Keyed by head series id; depends only on the model (no head, WAL or record types).
 */
package dev.vigil.tsdb.exemplar;
