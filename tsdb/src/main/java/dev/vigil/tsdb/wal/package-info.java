/**
 * The segmented write-ahead log: numbered segment files of length-prefixed, CRC32C-checked
 * records, a writer with a configurable fsync policy and group commit, and a reader that
 * replays records and reports (then repairs) a torn or corrupt tail. Records are opaque bytes
 * here: their payloads belong to {@code tsdb.record}. Depends only on {@code tsdb.encoding}.
 */
package dev.vigil.tsdb.wal;
