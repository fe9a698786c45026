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
 * once when no sample was routed since the last one. Float runs (one series' samples, type 20)
 * go to the shard of their series in the same batches, between the samples routed before and
 * after them. Batches are reused: no allocation per sample.
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

  /** Float runs per batch (a run is applied before the batch's sample at its position). */
  static final int BATCH_RUNS = 256;

  private static final class Batch {
    final long[] refs = new long[BATCH];
    final long[] ts = new long[BATCH];
    final double[] vs = new double[BATCH];
    int n;
    final ReadAheadDecoder.FloatRun[] runs = new ReadAheadDecoder.FloatRun[BATCH_RUNS];
    final int[] runAt = new int[BATCH_RUNS];
    int nRuns;
    /** Instead of samples: a window's layouts, for the shard's positions of each. */
    List<FloatRecordWindow.Group> columns;
  }

  private final Head head;
  private final int shards;
  private final Batch[] filling;
  private final Worker[] workers; // [0] unused: shard 0 runs on the caller's thread
  private final Shard shard0;
  private boolean pending; // samples routed since the last barrier

  ShardedApply(Head head, int shards, ReadAheadDecoder runs) {
    if (shards < 1) {
      throw new IllegalArgumentException("replay apply shards must be at least 1, got " + shards);
    }
    this.head = head;
    this.shards = shards;
    shard0 = new Shard(head, runs);
    filling = new Batch[shards];
    workers = new Worker[shards];
    filling[0] = new Batch();
    for (int i = 1; i < shards; i++) {
      workers[i] = new Worker(head, i, runs);
      filling[i] = workers[i].take();
    }
  }

  /** On the replaying thread: routes one decoded float-samples record. */
  void floats(long[] refs, long[] ts, double[] vs, int n) {
    pending = true;
    if (shards == 1) {
      shard0.samples(refs, ts, vs, 0, n);
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

  /**
   * On the replaying thread: routes a float run to the shard of its series, in order with the
   * samples routed before and after it.
   */
  void run(ReadAheadDecoder.FloatRun r) {
    pending = true;
    if (shards == 1) {
      shard0.run(r);
      return;
    }
    int w = shardOf(head.replayHasAliases() ? head.replaySeriesId(r.ref) : r.ref, shards);
    Batch b = filling[w];
    b.runs[b.nRuns] = r;
    b.runAt[b.nRuns++] = b.n;
    if (b.nRuns == BATCH_RUNS) {
      flush(w);
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
    shard0.columns(groups, 0);
    barrier();
  }

  private void flush(int w) {
    Batch b = filling[w];
    if (b.n == 0 && b.nRuns == 0) {
      return;
    }
    if (w == 0) {
      shard0.batch(b);
    } else {
      workers[w].submit(b);
      filling[w] = workers[w].take();
    }
  }

  /**
   * One shard's application of samples and float runs, with its counts: on the thread of that
   * shard only. A run the series' taken-over chunks do not hold is decoded here (rare: the
   * head chunk files lost what the checkpoint that wrote the run had in them).
   */
  private static final class Shard {
    final Head head;
    final Head.ReplayShard shard = new Head.ReplayShard();
    private final ReadAheadDecoder runs;
    private ReplayRecordDecoder decoder; // on the first run not skipped
    private ReadAheadDecoder.Floats decoded;
    long applied;
    long unknown;
    long runsSkipped;

    Shard(Head head, ReadAheadDecoder runs) {
      this.head = head;
      this.runs = runs;
    }

    void samples(long[] refs, long[] ts, double[] vs, int start, int end) {
      if (end > start) {
        int missing = head.replayFloatsShard(shard, refs, ts, vs, start, end);
        unknown += missing;
        applied += end - start - missing;
      }
    }

    /** Applies shard {@code w}'s positions of every layout of a window. */
    void columns(List<FloatRecordWindow.Group> groups, int w) {
      for (FloatRecordWindow.Group g : groups) {
        int np = g.counts[w];
        if (np == 0) {
          continue;
        }
        int missing = head.replayFloatColumns(shard, g.refs, g.positions[w], np, g.ts,
            g.sharedTs, g.vs, g.k);
        applied += (long) np * g.k - missing;
        unknown += missing;
      }
    }

    void run(ReadAheadDecoder.FloatRun r) {
      if (head.replaySkipRun(r.ref, r.firstT, r.lastT)) {
        applied += r.n;
        runsSkipped++;
      } else {
        if (decoder == null) {
          decoder = new ReplayRecordDecoder();
          decoded = new ReadAheadDecoder.Floats();
        }
        decoder.decode(r.payload, r.length, r.segment, r.offset, decoded);
        samples(decoded.refs, decoded.ts, decoded.vs, 0, decoded.n);
      }
      runs.release(r);
    }

    /** Applies {@code b}'s samples and runs in order, and empties it. */
    void batch(Batch b) {
      int from = 0;
      for (int j = 0; j < b.nRuns; j++) {
        int at = b.runAt[j];
        samples(b.refs, b.ts, b.vs, from, at);
        run(b.runs[j]);
        b.runs[j] = null;
        from = at;
      }
      samples(b.refs, b.ts, b.vs, from, b.n);
      b.n = 0;
      b.nRuns = 0;
    }
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
    long lo = shard0.shard.minT();
    long hi = shard0.shard.maxT();
    for (int w = 1; w < shards; w++) {
      lo = Math.min(lo, workers[w].apply.shard.minT());
      hi = Math.max(hi, workers[w].apply.shard.maxT());
    }
    if (lo <= hi) {
      head.replayWidenTimeRange(lo, hi);
    }
  }

  /** Samples applied (valid after {@link #barrier}). */
  long applied() {
    long a = shard0.applied;
    for (int w = 1; w < shards; w++) {
      a += workers[w].apply.applied;
    }
    return a;
  }

  /** Samples whose series ref was unknown (valid after {@link #barrier}). */
  long unknown() {
    long u = shard0.unknown;
    for (int w = 1; w < shards; w++) {
      u += workers[w].apply.unknown;
    }
    return u;
  }

  /** Float runs skipped undecoded (valid after {@link #barrier}). */
  long runsSkipped() {
    long r = shard0.runsSkipped;
    for (int w = 1; w < shards; w++) {
      r += workers[w].apply.runsSkipped;
    }
    return r;
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
    private final ArrayBlockingQueue<Batch> todo = new ArrayBlockingQueue<>(BATCHES + 1);
    private final ArrayBlockingQueue<Batch> free = new ArrayBlockingQueue<>(BATCHES);
    private final Thread thread;
    // Written by the worker, read by the replaying thread after taking every batch back.
    final Shard apply;
    private Throwable failure;

    private final int index;

    Worker(Head head, int shard, ReadAheadDecoder runs) {
      this.index = shard;
      this.apply = new Shard(head, runs);
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
              apply.columns(b.columns, index);
            } else {
              apply.batch(b);
            }
          } catch (Throwable e) {
            failure = e; // reported at the next barrier; later batches are only returned
          }
        }
        b.n = 0;
        b.columns = null;
        for (int j = 0; j < b.nRuns; j++) {
          b.runs[j] = null; // after a failure: not applied, and not needed any more
        }
        b.nRuns = 0;
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
