package dev.vigil.collector.remote;

/**
 * Works out a queue's sent position while shards deliver out of order. The watcher opens a mark
 * per WAL record ({@link #open}), tags each sample it enqueues with the mark, then seals the mark
 * with the number of samples enqueued ({@link #seal}); shards {@link #ack} samples as they are
 * sent or dropped. The sent position is the end of the longest prefix of marks that are sealed
 * and fully acknowledged: everything before it is delivered, whatever order shards finished in.
 * Thread-safe (one lock; shards ack once per batch).
 */
final class PositionTracker {
  private final Object lock = new Object();
  // Ring of open marks: mark m lives at index (m - base) + head (mod capacity).
  private long[] pending = new long[1024];
  private boolean[] sealed = new boolean[1024];
  private int[] segments = new int[1024];
  private long[] offsets = new long[1024];
  private int head;
  private int count;
  private long base; // mark id at head
  private WalPosition sent;

  PositionTracker(WalPosition start) {
    this.sent = start;
  }

  /** Opens a mark for the record ending at {@code end}; returns its id. Watcher thread only. */
  long open(int segment, long endOffset) {
    synchronized (lock) {
      if (count == pending.length) {
        grow();
      }
      int i = (head + count) % pending.length;
      pending[i] = 0;
      sealed[i] = false;
      segments[i] = segment;
      offsets[i] = endOffset;
      count++;
      return base + count - 1;
    }
  }

  /** Declares that {@code samples} samples carry {@code mark}; no more will. */
  void seal(long mark, int samples) {
    synchronized (lock) {
      int i = index(mark);
      pending[i] += samples;
      sealed[i] = true;
      advance();
    }
  }

  /** Acknowledges one sample per entry of {@code marks[from, to)}. */
  void ack(long[] marks, int from, int to) {
    synchronized (lock) {
      for (int k = from; k < to; k++) {
        pending[index(marks[k])]--;
      }
      advance();
    }
  }

  /** Where every earlier sample is delivered or dropped. */
  WalPosition sent() {
    synchronized (lock) {
      return sent;
    }
  }

  /** Marks opened and not yet passed by the sent position. */
  int openMarks() {
    synchronized (lock) {
      return count;
    }
  }

  private int index(long mark) {
    long rel = mark - base;
    if (rel < 0 || rel >= count) {
      throw new IllegalStateException("mark " + mark + " is not open (open: " + base + ".."
          + (base + count - 1) + ")");
    }
    return (int) ((head + rel) % pending.length);
  }

  private void advance() {
    int cap = pending.length;
    while (count > 0 && sealed[head] && pending[head] == 0) {
      sent = new WalPosition(segments[head], offsets[head]);
      head = (head + 1) % cap;
      base++;
      count--;
    }
  }

  private void grow() {
    int cap = pending.length;
    long[] p = new long[cap * 2];
    boolean[] s = new boolean[cap * 2];
    int[] g = new int[cap * 2];
    long[] o = new long[cap * 2];
    for (int k = 0; k < count; k++) {
      int i = (head + k) % cap;
      p[k] = pending[i];
      s[k] = sealed[i];
      g[k] = segments[i];
      o[k] = offsets[i];
    }
    pending = p;
    sealed = s;
    segments = g;
    offsets = o;
    head = 0;
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "sent " + sent + ", " + count + " marks open" + (count > 0 ? ", head pending "
          + pending[head] + (sealed[head] ? " sealed" : " open") : "");
    }
  }
}
