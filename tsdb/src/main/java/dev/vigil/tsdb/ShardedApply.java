package dev.vigil.tsdb;

import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.head.Head;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * WAL replay's apply step split by series over {@code n} shards (as Prometheus does over
 * GOMAXPROCS): decoded float samples are routed by blocks of series ids into per-shard batches of
 * {@value #BATCH} samples; shard 0 is applied on the replaying thread itself, the others on
 * their own threads. A series always lands in one shard, so its samples stay in log order.
 * {@link #barrier} waits until everything handed out is applied: the replaying thread calls it
 * before any record that must come after all earlier samples (tombstones, histograms,
 * exemplars, metadata, and series records: a sample logged before its series record must stay
 * unknown, and a second ref of a series must not race its first) and at the end; it returns at
 * once when no sample was routed since the last one. Batches are reused: no allocation per
 * sample.
 */
final class ShardedApply implements AutoCloseable {
  static final int BATCH = 4096;
  /**
   * Series ids are routed in blocks of 2^this consecutive ids: the head's per-id tables
   * (newest times, chunks taken over) hold 4 to 8 ids per cache line, and shards writing
   * neighbouring ids would pass those lines back and forth between cores on every sample.
   */
  static final int ROUTE_BLOCK_BITS = 6;
  /** Batches per worker thread: one being filled, the others queued or being applied. */
  private static final int BATCHES = 4;

  private static final class Batch {
    final long[] refs = new long[BATCH];
    final long[] ts = new long[BATCH];
    final double[] vs = new double[BATCH];
    int n;
    /** Instead of samples: a window's layouts, for the shard's positions of each. */
    List<FloatRecordWindow.Group> columns;
  }

  private final Head head;
  private final int shards;
  private final Batch[] filling;
  private final Worker[] workers; // [0] unused: shard 0 runs on the caller's thread
  private final Head.ReplayShard shard0 = new Head.ReplayShard();
  private long unknown0;
  private long applied0;
  private boolean pending; // samples routed since the last barrier

  ShardedApply(Head head, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("replay apply shards must be at least 1, got " + shards);
    }
    this.head = head;
    this.shards = shards;
    filling = new Batch[shards];
    workers = new Worker[shards];
    filling[0] = new Batch();
    for (int i = 1; i < shards; i++) {
      workers[i] = new Worker(head, i);
      filling[i] = workers[i].take();
    }
  }

  /** On the replaying thread: routes one decoded float-samples record. */
  void floats(long[] refs, long[] ts, double[] vs, int n) {
    pending = true;
    if (shards == 1) {
      apply0(refs, ts, vs, n);
      return;
    }
    boolean aliases = head.replayHasAliases();
    for (int i = 0; i < n; i++) {
      long ref = refs[i];
      int w = shardOf(aliases ? head.replaySeriesId(ref) : ref, shards);
      Batch b = filling[w];
      int k = b.n;
      b.refs[k] = ref;
      b.ts[k] = ts[i];
      b.vs[k] = vs[i];
      b.n = k + 1;
      if (k + 1 == BATCH) {
        flush(w);
      }
    }
  }

  /** The shard that applies the series with id (or unknown ref) {@code key}. */
  static int shardOf(long key, int shards) {
    return (int) Long.remainderUnsigned(key >>> ROUTE_BLOCK_BITS, shards);
  }

  /**
   * On the replaying thread: applies a window's records layout by layout (see
   * {@link FloatRecordWindow}), each shard its own positions, and waits for them: the window
   * was checked to hold each series at one position at most, so shards and layouts may go in
   * any order.
   */
  void columns(List<FloatRecordWindow.Group> groups) {
    barrier(); // samples routed before the window are applied first
    pending = true;
    for (int w = 1; w < shards; w++) {
      Batch b = workers[w].take();
      b.columns = groups;
      workers[w].submit(b);
    }
    long[] counted = applyColumns(head, shard0, groups, 0);
    applied0 += counted[0];
    unknown0 += counted[1];
    barrier();
  }

  /** Applies shard {@code w}'s positions of every layout; returns {applied, unknown}. */
  private static long[] applyColumns(Head head, Head.ReplayShard shard,
      List<FloatRecordWindow.Group> groups, int w) {
    long applied = 0;
    long unknown = 0;
    for (FloatRecordWindow.Group g : groups) {
      int np = g.counts[w];
      if (np == 0) {
        continue;
      }
      int missing = head.replayFloatColumns(shard, g.refs, g.positions[w], np, g.ts, g.vs, g.k);
      applied += (long) np * g.k - missing;
      unknown += missing;
    }
    return new long[] {applied, unknown};
  }

  private void flush(int w) {
    Batch b = filling[w];
    if (b.n == 0) {
      return;
    }
    if (w == 0) {
      apply0(b.refs, b.ts, b.vs, b.n);
      b.n = 0;
    } else {
      workers[w].submit(b);
      filling[w] = workers[w].take();
    }
  }

  private void apply0(long[] refs, long[] ts, double[] vs, int n) {
    int missing = head.replayFloatsShard(shard0, refs, ts, vs, n);
    unknown0 += missing;
    applied0 += n - missing;
  }

  /**
   * Applies everything routed so far and waits for it; widens the head's time range. Throws
   * what a worker failed with.
   */
  void barrier() {
    if (!pending) {
      return;
    }
    pending = false;
    for (int w = 0; w < shards; w++) {
      flush(w);
    }
    for (int w = 1; w < shards; w++) {
      workers[w].awaitIdle();
    }
    long lo = shard0.minT();
    long hi = shard0.maxT();
    for (int w = 1; w < shards; w++) {
      lo = Math.min(lo, workers[w].shard.minT());
      hi = Math.max(hi, workers[w].shard.maxT());
    }
    if (lo <= hi) {
      head.replayWidenTimeRange(lo, hi);
    }
  }

  /** Samples applied (valid after {@link #barrier}). */
  long applied() {
    long a = applied0;
    for (int w = 1; w < shards; w++) {
      a += workers[w].applied;
    }
    return a;
  }

  /** Samples whose series ref was unknown (valid after {@link #barrier}). */
  long unknown() {
    long u = unknown0;
    for (int w = 1; w < shards; w++) {
      u += workers[w].unknown;
    }
    return u;
  }

  @Override
  public void close() {
    for (int w = 1; w < shards; w++) {
      workers[w].stop();
    }
  }

  /** One shard's thread: applies batches in the order they were submitted. */
  private static final class Worker {
    private static final Batch STOP = new Batch();
    private final Head head;
    private final ArrayBlockingQueue<Batch> todo = new ArrayBlockingQueue<>(BATCHES + 1);
    private final ArrayBlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;
    // Written by the worker, read by the replaying thread after taking every batch back.
    final Head.ReplayShard shard = new Head.ReplayShard();
    long applied;
    long unknown;
    private Throwable failure;

    private final int index;

    Worker(Head head, int shard) {
      this.head = head;
      this.index = shard;
      for (int i = 0; i < BATCHES; i++) {
        free.add(new Batch());
      }
      thread = Thread.ofPlatform().name("wal-replay-apply-" + shard).daemon().start(this::run);
    }

    private void run() {
      while (true) {
        Batch b;
        try {
          b = todo.take();
        } catch (InterruptedException e) {
          return;
        }
        if (b == STOP) {
          return;
        }
        if (failure == null) {
          try {
            if (b.columns != null) {
              long[] counted = applyColumns(head, shard, b.columns, index);
              applied += counted[0];
              unknown += counted[1];
            } else {
              int missing = head.replayFloatsShard(shard, b.refs, b.ts, b.vs, b.n);
              unknown += missing;
              applied += b.n - missing;
            }
          } catch (Throwable e) {
            failure = e; // reported at the next barrier; later batches are only returned
          }
        }
        b.n = 0;
        b.columns = null;
        free.add(b); // never blocks: there are only BATCHES batches
      }
    }

    void submit(Batch b) {
      put(todo, b);
    }

    Batch take() {
      try {
        return free.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replaying the WAL", e);
      }
    }

    /** Waits until every batch but the one being filled is back, i.e. applied. */
    void awaitIdle() {
      Batch[] back = new Batch[BATCHES - 1];
      for (int i = 0; i < back.length; i++) {
        back[i] = take();
      }
      for (Batch b : back) {
        free.add(b);
      }
      if (failure != null) {
        throw new StorageException("WAL replay failed applying samples: " + failure, failure);
      }
    }

    void stop() {
      put(todo, STOP);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void put(ArrayBlockingQueue<Batch> q, Batch b) {
      try {
        q.put(b);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while replaying the WAL", e);
      }
    }
  }
}
