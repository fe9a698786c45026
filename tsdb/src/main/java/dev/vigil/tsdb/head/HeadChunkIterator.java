package dev.vigil.tsdb.head;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.ChunkChainIterator;

/**
 * Iterates the in-memory chunks of one head series. Closed chunks share one reusable decoder;
 * the last (open) chunk's iterator was created under the series lock by the caller.
 */
final class HeadChunkIterator extends ChunkChainIterator {
  private final Chunk[] chunks;
  private final int n;
  private final SampleIterator open;
  private SampleIterator scratch;

  HeadChunkIterator(Chunk[] chunks, long[] maxTs, int n, SampleIterator open) {
    super(maxTs, n);
    this.chunks = chunks;
    this.n = n;
    this.open = open;
  }

  @Override
  protected SampleIterator openChunk(int i) {
    if (i == n - 1) {
      return open;
    }
    // Histogram and XOR decoders differ; keep whichever was made last for reuse.
    scratch = chunks[i].iterator(scratch);
    return scratch;
  }
}
