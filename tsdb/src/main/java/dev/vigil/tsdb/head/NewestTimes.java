package dev.vigil.tsdb.head;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Each series' newest in-order timestamp ({@code MemSeries.maxT}), indexed by series id in
 * paged {@code long[]}s: the appender's order check reads one dense array instead of the series
 * object, whose cache miss was the largest single cost of an append with a cached ref (the
 * commit touches the series later in a tight loop, where misses overlap).
 *
 * <p>Written by the committer (under the head's commit lock) wherever {@code maxT} changes, read
 * by appenders without a lock, like {@code maxT} itself: the value only grows, so a stale read
 * can only let a sample through to the authoritative check at commit. Opaque accesses keep each
 * read of a {@code long} untorn. Pages exist before the series that uses them is published.
 */
final class NewestTimes {
  private static final int PAGE_BITS = 12;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private volatile long[][] pages = new long[0][];

  /** Makes room for series {@code id}; call before publishing the series (under create lock). */
  void ensure(int id) {
    int page = id >>> PAGE_BITS;
    long[][] ps = pages;
    if (page < ps.length && ps[page] != null) {
      return;
    }
    // A fresh outer array, so no reader sees a page before it is filled.
    ps = Arrays.copyOf(ps, Math.max(page + 1, ps.length));
    long[] p = new long[1 << PAGE_BITS];
    Arrays.fill(p, Long.MIN_VALUE);
    ps[page] = p;
    pages = ps; // volatile write publishes the filled page
  }

  /** The newest in-order timestamp of series {@code id}; {@code Long.MIN_VALUE} if unknown. */
  long get(int id) {
    long[][] ps = pages;
    int page = id >>> PAGE_BITS;
    if (page >= ps.length) {
      return Long.MIN_VALUE;
    }
    long[] p = ps[page];
    return p == null ? Long.MIN_VALUE : (long) SLOT.getOpaque(p, id & PAGE_MASK);
  }

  /** Records a new newest timestamp of series {@code id} (already {@link #ensure}d). */
  void set(int id, long t) {
    SLOT.setOpaque(pages[id >>> PAGE_BITS], id & PAGE_MASK, t);
  }
}
