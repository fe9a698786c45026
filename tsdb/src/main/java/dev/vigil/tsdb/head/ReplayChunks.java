package dev.vigil.tsdb.head;

import java.util.Arrays;

/**
 * Closed chunks found in the head chunk files at start, grouped by series id for
 * {@link Head#replayChunks}: add them in file order (which is time order per series), then
 * {@link #seal}. Primitive arrays only: a million series carry several million chunks.
 */
public final class ReplayChunks {
  private int[] ids = new int[1024];
  private long[] refs = new long[1024];
  private long[] minTs = new long[1024];
  private long[] maxTs = new long[1024];
  private int n;
  private int maxId;
  /** After {@link #seal}: chunks of series id are [start[id], start[id + 1]). */
  private int[] start;

  /** Adds a chunk; only before {@link #seal}. */
  public void add(int seriesId, long ref, long minT, long maxT) {
    if (start != null) {
      throw new IllegalStateException("sealed");
    }
    if (n == ids.length) {
      int cap = n * 2;
      ids = Arrays.copyOf(ids, cap);
      refs = Arrays.copyOf(refs, cap);
      minTs = Arrays.copyOf(minTs, cap);
      maxTs = Arrays.copyOf(maxTs, cap);
    }
    ids[n] = seriesId;
    refs[n] = ref;
    minTs[n] = minT;
    maxTs[n] = maxT;
    n++;
    maxId = Math.max(maxId, seriesId);
  }

  /** Groups the chunks by series (a stable counting sort, keeping file order within a series). */
  public ReplayChunks seal() {
    int[] st = new int[maxId + 2];
    for (int i = 0; i < n; i++) {
      st[ids[i] + 1]++;
    }
    for (int i = 1; i < st.length; i++) {
      st[i] += st[i - 1];
    }
    int[] pos = Arrays.copyOf(st, st.length);
    long[] r = new long[n];
    long[] mi = new long[n];
    long[] ma = new long[n];
    for (int i = 0; i < n; i++) {
      int at = pos[ids[i]]++;
      r[at] = refs[i];
      mi[at] = minTs[i];
      ma[at] = maxTs[i];
    }
    refs = r;
    minTs = mi;
    maxTs = ma;
    ids = null;
    start = st;
    return this;
  }

  public int size() {
    return n;
  }

  int maxSeriesId() {
    return maxId;
  }

  /**
   * Gives series {@code id} the longest run of its chunks that follow each other in time (a
   * later chunk starting at or before an earlier one's end means the files hold data of two
   * histories, which only the WAL can sort out). Returns the chunks adopted.
   */
  int adoptInto(MemSeries s, int id) {
    if (start == null) {
      throw new IllegalStateException("not sealed");
    }
    if (id > maxId) {
      return 0;
    }
    int from = start[id];
    int to = start[id + 1];
    if (from == to) {
      return 0;
    }
    int end = from + 1;
    while (end < to && minTs[end] > maxTs[end - 1]) {
      end++;
    }
    s.adoptClosed(refs, minTs, maxTs, from, end);
    return end - from;
  }
}
