/**
 * The seams between query/ingest and storage: {@link dev.vigil.model.storage.Queryable} to read,
 * {@link dev.vigil.model.storage.Appendable} to write. Implemented by the TSDB, tenant wrappers and
 * the in-memory store; the PromQL engine sees storage only through these.
 */
package dev.vigil.model.storage;
