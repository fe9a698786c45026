/**
 * In-memory sample compression: the Gorilla XOR float chunk (byte-compatible with Prometheus's
 * {@code chunkenc.XORChunk}), a simple float-histogram chunk, the packed float chunk that blocks
 * store (decimal mantissas, delta coded, DEFLATE), and the checksummed envelope used when a
 * chunk leaves memory. Format in {@code FORMAT.md}. Depends only on {@code tsdb.encoding}
 * and {@code model}; knows nothing of files, series or the head.
 */
package dev.vigil.tsdb.chunkenc;
