package dev.vigil.tsdb.block;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.chunkenc.ChunkChainIterator;
import dev.vigil.tsdb.chunks.ChunkSegmentReader;

/**
 * Iterates a block series' chunks in order, reading each chunk from the segment files only when
 * the iteration reaches it.
 */
final class BlockSeriesIterator extends ChunkChainIterator {
  private final ChunkSegmentReader reader;
  private final long[] refs;
  private SampleIterator scratch;

  BlockSeriesIterator(ChunkSegmentReader reader, long[] maxT, long[] refs) {
    super(maxT, refs.length);
    this.reader = reader;
    this.refs = refs;
  }

  @Override
  protected SampleIterator openChunk(int i) {
    scratch = reader.read(refs[i]).iterator(scratch);
    return scratch;
  }
}
