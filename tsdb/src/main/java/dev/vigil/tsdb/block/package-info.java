/**
 * Immutable blocks: a directory with {@code meta.json}, {@code index} and {@code chunks/}, written
 * by {@link dev.vigil.tsdb.block.BlockWriter} from any querier and served by {@link
 * dev.vigil.tsdb.block.Block} as a {@code Queryable}. Depends on index, chunks, chunkenc and the
 * generic iterators of head; never on the WAL.
 */
package dev.vigil.tsdb.block;
