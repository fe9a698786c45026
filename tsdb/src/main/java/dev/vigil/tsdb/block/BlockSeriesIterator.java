package dev.vigil.tsdb.block;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.ChunkChainIterator;
import dev.vigil.tsdb.chunkenc.InflaterPool;
import dev.vigil.tsdb.chunkenc.PackedFloatChunk;
import dev.vigil.tsdb.chunks.ChunkSegmentReader;

/**
 * Iterates a block series' chunks in order, reading each chunk from the segment files only when
 * the iteration reaches it, into a buffer and a decoder that it keeps from chunk to chunk and,
 * when {@link #reset}, from series to series.
 */
final class BlockSeriesIterator extends ChunkChainIterator {
  private final ChunkSegmentReader reader;
  private final ChunkSegmentReader.Cursor cursor;
  private final InflaterPool inflaters;
  private long[] refs;
  private SampleIterator scratch;

  BlockSeriesIterator(ChunkSegmentReader reader, InflaterPool inflaters, long[] maxT,
      long[] refs) {
    super(maxT, refs.length);
    this.reader = reader;
    this.cursor = reader.cursor();
    this.inflaters = inflaters;
    this.refs = refs;
  }

  /** Whether it reads chunks of {@code r}: it can then be {@link #reset} to another series. */
  boolean reads(ChunkSegmentReader r) {
    return reader == r;
  }

  /** Starts over on another series of the same block: its chunks' max times and refs. */
  void reset(long[] maxT, long[] refs) {
    reset(maxT, refs.length);
    this.refs = refs;
  }

  @Override
  protected SampleIterator openChunk(int i) {
    Chunk c = cursor.read(refs[i]);
    scratch = c instanceof PackedFloatChunk p ? p.iterator(scratch, inflaters)
        : c.iterator(scratch);
    return scratch;
  }
}
