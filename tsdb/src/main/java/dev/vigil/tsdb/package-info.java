/**
 * The database facade: {@link dev.vigil.tsdb.Tsdb} opens a data directory (blocks, WAL replayed
 * into a head), serves the model's {@code Storage} over head and blocks, and cuts, compacts and
 * expires blocks. Wiring only; formats live in the sub-packages. Must not depend on promql or
 * anything above the model.
 */
package dev.vigil.tsdb;
