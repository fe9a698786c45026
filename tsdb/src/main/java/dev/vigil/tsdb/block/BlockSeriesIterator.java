package dev.vigil.tsdb.block;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.ChunkChainIterator;
import dev.vigil.tsdb.chunkenc.InflaterPool;
import dev.vigil.tsdb.chunkenc.PackedFloatChunk;
import dev.vigil.tsdb.chunks.ChunkSegmentReader;

/**
 * Iterates a block series' chunks in order, reading each chunk from the segment files only when
 * the iteration reaches it.
 */
final class BlockSeriesIterator extends ChunkChainIterator {
  private final ChunkSegmentReader reader;
  private final InflaterPool inflaters;
  private final long[] refs;
  private SampleIterator scratch;

  BlockSeriesIterator(ChunkSegmentReader reader, InflaterPool inflaters, long[] maxT,
      long[] refs) {
    super(maxT, refs.length);
    this.reader = reader;
    this.inflaters = inflaters;
    this.refs = refs;
  }

  @Override
  protected SampleIterator openChunk(int i) {
    Chunk c = reader.read(refs[i]);
    scratch = c instanceof PackedFloatChunk p ? p.iterator(scratch, inflaters)
        : c.iterator(scratch);
    return scratch;
  }
}
