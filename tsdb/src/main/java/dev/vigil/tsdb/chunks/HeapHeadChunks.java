package dev.vigil.tsdb.chunks;

import dev.vigil.tsdb.chunkenc.Chunk;
import java.util.Arrays;

/**
 * Closed head chunks kept on the heap, in a paged slot table; a ref is a slot number and freed
 * slots are reused. Used by heads without a directory and as {@link MappedHeadChunks}'s fallback
 * when a file write fails. {@link #pin} resolves refs at once, so a reused slot never shows
 * through to a running query.
 */
public final class HeapHeadChunks implements HeadChunks {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;

  private volatile Chunk[][] pages = new Chunk[1][];
  private volatile long[][] minTs = new long[1][];
  private int[] free = new int[64];
  private int nFree;
  private int next;
  private int live;

  public HeapHeadChunks() {
    pages[0] = new Chunk[1 << PAGE_BITS];
    minTs[0] = new long[1 << PAGE_BITS];
  }

  /** Keeps {@code chunk} itself, its buffer trimmed to its length (it takes no more appends). */
  @Override
  public synchronized long write(int seriesId, long minT, long maxT, Chunk chunk) {
    chunk.trimToSize();
    int slot = nFree > 0 ? free[--nFree] : next++;
    int page = slot >>> PAGE_BITS;
    Chunk[][] ps = pages;
    long[][] ms = minTs;
    if (page >= ps.length) {
      ps = Arrays.copyOf(ps, Math.max(page + 1, ps.length * 2));
      ms = Arrays.copyOf(ms, ps.length);
    }
    if (ps[page] == null) {
      ps[page] = new Chunk[1 << PAGE_BITS];
      ms[page] = new long[1 << PAGE_BITS];
    }
    ps[page][slot & PAGE_MASK] = chunk;
    ms[page][slot & PAGE_MASK] = minT;
    minTs = ms;
    pages = ps; // volatile write publishes the slot
    live++;
    return slot;
  }

  @Override
  public Chunk read(long ref) {
    Chunk c = pages[(int) (ref >>> PAGE_BITS)][(int) (ref & PAGE_MASK)];
    if (c == null) {
      throw new IllegalStateException("head chunk " + ref + " was released");
    }
    return c;
  }

  @Override
  public long minTime(long ref) {
    // The caller got ref under the series lock, after the write: no volatile read needed.
    return minTs[(int) (ref >>> PAGE_BITS)][(int) (ref & PAGE_MASK)];
  }

  @Override
  public synchronized void release(long ref) {
    int slot = (int) ref;
    pages[slot >>> PAGE_BITS][slot & PAGE_MASK] = null;
    if (nFree == free.length) {
      free = Arrays.copyOf(free, nFree * 2);
    }
    free[nFree++] = slot;
    live--;
  }

  /** Chunks currently held. */
  public synchronized int size() {
    return live;
  }

  @Override
  public PinnedChunks pin(long[] refs, int n) {
    Chunk[] cs = new Chunk[n];
    for (int i = 0; i < n; i++) {
      cs[i] = read(refs[i]);
    }
    return i -> cs[i];
  }
}
