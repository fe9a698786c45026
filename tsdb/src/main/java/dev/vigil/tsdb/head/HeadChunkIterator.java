package dev.vigil.tsdb.head;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.chunks.HeadChunks;
import dev.vigil.tsdb.chunkenc.ChunkChainIterator;

/**
 * Iterates the chunks of one head series: closed chunks pinned in the {@link HeadChunks} store
 * (read on demand, sharing one reusable decoder), then the open chunk, whose iterator was
 * created under the series lock by the caller (it captures the sample count).
 */
final class HeadChunkIterator extends ChunkChainIterator {
  private final HeadChunks.PinnedChunks closed;
  private final int nClosed;
  private final SampleIterator open;
  private SampleIterator scratch;

  /**
   * @param closed the closed chunks, null when none
   * @param maxTs max time of each chunk, closed ones first
   * @param n chunks in all (the open one, if any, last)
   * @param open iterator of the open chunk, or null when there is none
   */
  HeadChunkIterator(HeadChunks.PinnedChunks closed, long[] maxTs, int n, SampleIterator open) {
    super(maxTs, n);
    this.closed = closed;
    this.nClosed = open == null ? n : n - 1;
    this.open = open;
  }

  @Override
  protected SampleIterator openChunk(int i) {
    if (i == nClosed) {
      return open;
    }
    // Histogram and XOR decoders differ; keep whichever was made last for reuse.
    scratch = closed.chunk(i).iterator(scratch);
    return scratch;
  }
}
