package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;

/**
 * Iterates consecutive, non-overlapping chunks of one series in time order. Subclasses say how
 * chunk {@code i} is opened (decoded from the head's memory or read from a block's segment
 * files); {@link #seek} skips whole chunks by their max time without opening them, so chunks
 * before the seek target are never decoded.
 */
public abstract class ChunkChainIterator implements SampleIterator {
  private long[] maxTs;
  private int n;
  private SampleIterator cur;
  private int idx = -1;
  private ValueKind kind = ValueKind.NONE;

  /**
   * @param maxTs the max timestamp of each chunk; only the first {@code n} entries are used
   * @param n the number of chunks
   */
  protected ChunkChainIterator(long[] maxTs, int n) {
    this.maxTs = maxTs;
    this.n = n;
  }

  /** Starts over, positioned before the first sample, on another series' chunks. */
  protected final void reset(long[] maxTs, int n) {
    this.maxTs = maxTs;
    this.n = n;
    cur = null;
    idx = -1;
    kind = ValueKind.NONE;
  }

  /** An iterator over chunk {@code i}, positioned before its first sample. */
  protected abstract SampleIterator openChunk(int i);

  @Override
  public final ValueKind next() {
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
      cur = openChunk(++idx);
    }
  }

  @Override
  public final ValueKind seek(long t) {
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
        cur = openChunk(idx);
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
  public final long atT() {
    return cur.atT();
  }

  @Override
  public final double atF() {
    return cur.atF();
  }

  @Override
  public final FloatHistogram atHistogram() {
    return cur.atHistogram();
  }
}
