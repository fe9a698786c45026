package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;

/**
 * Iterates consecutive, non-overlapping chunks of one series. Closed chunks share one reusable
 * decoder; the last (open) chunk's iterator was created under the series lock by the caller.
 * {@link #seek} skips whole chunks by their max time without decoding them.
 */
final class ChunkChainIterator implements SampleIterator {
  private final Chunk[] chunks;
  private final long[] maxTs;
  private final int n;
  private final SampleIterator open;
  private SampleIterator scratch;
  private SampleIterator cur;
  private int idx = -1;
  private ValueKind kind = ValueKind.NONE;

  ChunkChainIterator(Chunk[] chunks, long[] maxTs, int n, SampleIterator open) {
    this.chunks = chunks;
    this.maxTs = maxTs;
    this.n = n;
    this.open = open;
  }

  private SampleIterator iteratorAt(int i) {
    if (i == n - 1) {
      return open;
    }
    // Histogram and XOR decoders differ; keep whichever was made last for reuse.
    scratch = chunks[i].iterator(scratch);
    return scratch;
  }

  @Override
  public ValueKind next() {
    while (true) {
      if (cur != null) {
        kind = cur.next();
        if (kind != ValueKind.NONE) {
          return kind;
        }
        cur = null;
      }
      if (idx + 1 >= n) {
        idx = n;
        return kind = ValueKind.NONE;
      }
      cur = iteratorAt(++idx);
    }
  }

  @Override
  public ValueKind seek(long t) {
    if (cur != null && kind != ValueKind.NONE && cur.atT() >= t) {
      return kind;
    }
    if (idx < 0) {
      idx = 0;
      cur = null;
    }
    for (; idx < n; idx++) {
      if (maxTs[idx] < t) {
        cur = null;
        continue;
      }
      if (cur == null) {
        cur = iteratorAt(idx);
      }
      kind = cur.seek(t);
      if (kind != ValueKind.NONE) {
        return kind;
      }
      cur = null;
    }
    return kind = ValueKind.NONE;
  }

  @Override
  public long atT() {
    return cur.atT();
  }

  @Override
  public double atF() {
    return cur.atF();
  }

  @Override
  public FloatHistogram atHistogram() {
    return cur.atHistogram();
  }
}
