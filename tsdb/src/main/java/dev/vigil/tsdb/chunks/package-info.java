/**
 * Chunk files: the segment files of a block ({@code chunks/000001}, ...: chunks in their
 * checksummed envelope, addressed by a 64-bit reference (segment, offset), read through memory
 * mapping so chunk data stays off the heap), and the head's full chunks ({@code chunks_head/},
 * {@link dev.vigil.tsdb.chunks.MappedHeadChunks}, behind the {@link dev.vigil.tsdb.chunks.HeadChunks}
 * interface the head uses). Depends on {@code tsdb.chunkenc} and {@code tsdb.encoding}.
 */
package dev.vigil.tsdb.chunks;
