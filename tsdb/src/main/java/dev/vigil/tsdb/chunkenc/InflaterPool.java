package dev.vigil.tsdb.chunkenc;

import java.util.zip.Inflater;

/**
 * A few reusable raw-DEFLATE {@link Inflater}s. An inflater holds ~40 KiB of native memory that
 * only {@link Inflater#end()} or a garbage collection frees; a query that opens packed chunks of
 * thousands of series must not create one per series, so the owner of the chunks (a block)
 * lends them out. Thread-safe.
 */
public final class InflaterPool implements AutoCloseable {
  private final Inflater[] free;
  private int size;
  private boolean closed;

  /** @param capacity inflaters kept for reuse; more can be borrowed, extras are ended on release */
  public InflaterPool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("inflater pool capacity " + capacity + " must be >= 1");
    }
    free = new Inflater[capacity];
  }

  public synchronized Inflater borrow() {
    if (size > 0) {
      Inflater i = free[--size];
      free[size] = null;
      return i;
    }
    return new Inflater(true);
  }

  public synchronized void release(Inflater inflater) {
    if (closed || size == free.length) {
      inflater.end();
      return;
    }
    inflater.reset();
    free[size++] = inflater;
  }

  /** Ends the pooled inflaters; inflaters released later are ended at once. */
  @Override
  public synchronized void close() {
    closed = true;
    for (int i = 0; i < size; i++) {
      free[i].end();
      free[i] = null;
    }
    size = 0;
  }
}
