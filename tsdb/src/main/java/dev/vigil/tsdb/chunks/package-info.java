/**
 * Chunk segment files of a block ({@code chunks/000001}, ...): chunks in their checksummed
 * envelope, addressed by a 64-bit reference (segment, offset), read through memory mapping so
 * chunk data stays off the heap. Depends on {@code tsdb.chunkenc} and {@code tsdb.encoding}.
 */
package dev.vigil.tsdb.chunks;
