/**
 * The in-memory head: series keyed by interned {@link dev.vigil.model.labels.Labels}, compressed
 * chunks per series, a RoaringBitmap postings index, the batching {@code Appender} and the
 * {@code Querier}. Durability is delegated to a {@link dev.vigil.tsdb.head.CommitLog}; this
 * package must not depend on the WAL, record, block or file packages (it shares only the
 * matcher evaluation of {@code tsdb.index} and the exemplar ring of {@code tsdb.exemplar}).
 */
package dev.vigil.tsdb.head;
