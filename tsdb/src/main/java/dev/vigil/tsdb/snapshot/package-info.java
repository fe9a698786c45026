/**
 * The head snapshot: the head's state written at a clean shutdown and read at the next start
 * instead of replaying the WAL (layout in {@code FORMATS.md}). A cache, never the only copy: the
 * WAL it summarises stays, and a snapshot that is damaged, stale or does not fit the head chunk
 * files is set aside and the WAL replayed.
 */
package dev.vigil.tsdb.snapshot;
