/**
 * The block index: symbol table, series (labels + chunk metadata), postings per label pair
 * (RoaringBitmap), with a paired {@link dev.vigil.tsdb.index.IndexWriter} and
 * {@link dev.vigil.tsdb.index.IndexReader} (format in {@code FORMAT.md}), and the matcher
 * evaluation shared with the head. Depends only on {@code tsdb.encoding} and {@code model}.
 */
package dev.vigil.tsdb.index;
