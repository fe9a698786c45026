/**
 * Byte-level primitives shared by every on-disk and in-WAL format: a growable {@link
 * dev.vigil.tsdb.encoding.ByteSink}, a bounds-checked {@link dev.vigil.tsdb.encoding.ByteSource},
 * varints, CRC32C and the corruption exceptions. Must not depend on any other tsdb package.
 */
package dev.vigil.tsdb.encoding;
