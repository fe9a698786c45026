package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleRejectedException;
import dev.vigil.model.storage.SampleRejectedException.Kind;
import dev.vigil.model.storage.StorageException;
import java.util.Arrays;

/**
 * The buffers behind one {@link HeadAppender}: one request's samples in primitive arrays;
 * nothing is visible or logged before commit. Order is checked at append time against
 * committed data and this batch (so the caller gets the error for the offending sample) and
 * again at commit under the commit lock (where losing a race with another appender of the same
 * series drops the sample, as in Prometheus). Pooled by the head and {@link #reset} between
 * uses, so a steady ingest reuses grown arrays instead of regrowing them per request.
 */
final class AppendBatch implements CommitBatch {
  private final Head head;
  private MemSeries[] series = new MemSeries[64];
  /** {@code series[i].id}, set at commit: the log reads ids without touching the series. */
  private int[] ids = new int[64];
  private long[] ts = new long[64];
  private double[] vs = new double[64];
  private FloatHistogram[] hs; // allocated at the first histogram
  private boolean[] rejected = new boolean[64];
  private int n;
  private final SeriesIndexMap lastIndex = new SeriesIndexMap();
  private MemSeries[] unlogged = new MemSeries[16];
  private int nUnlogged;
  private final SeriesIndexMap unloggedSeen = new SeriesIndexMap();
  private BatchExtras extras; // exemplars and metadata; null until the first
  /**
   * Samples whose series (at validation) or chunk buffers (when applying) are read ahead at a
   * time: enough to keep many misses in flight, few enough that the lines (~3 per sample) are
   * still in the core's cache when the real work reaches them, whatever the batch size.
   */
  static final int PREFETCH_BLOCK = 1024;
  /** Keeps the result of the commit's prefetch reads, so that they are not optimised away. */
  private int touchSink;

  AppendBatch(Head head) {
    this.head = head;
  }

  /**
   * Checks and buffers one sample. With a known ref the series object is not read at all (its
   * cache miss is paid at commit, in a tight loop): the key is the ref and the committed newest
   * time comes from the head's dense {@code newestTime} table. A ref the head knows under
   * another id (a series replayed under two refs) works too; its samples are checked against
   * the series at commit only.
   */
  long add(long ref, Labels labels, long t, double v, FloatHistogram h) {
    MemSeries s = ref != 0 ? head.byId(ref) : null;
    int id;
    if (s != null) {
      id = (int) ref;
    } else {
      s = head.getOrCreate(labels);
      id = s.id;
    }
    if (t < head.appendFloor()) {
      throw outOfBounds(s, t);
    }
    int slot = lastIndex.slot(id, -1);
    int prev = lastIndex.valueAt(slot);
    long last = prev >= 0 ? ts[prev] : head.newestTime(id); // read racily; see NewestTimes
    if (t <= last) {
      if (prev >= 0 && t == last && sameValue(prev, v, h)) {
        return id; // the same sample twice in one batch: keep one
      }
      // Only the newest sample can be repeated here (a stale-low last is below it); out-of-order
      // samples are checked against what the series holds below, under one lock.
      if (prev < 0 && t == last && isDuplicateLocked(s, t, v, h)) {
        return id;
      }
      if (prev >= 0 && t == last) {
        throw new SampleRejectedException(Kind.DUPLICATE_TIMESTAMP,
            "duplicate sample for timestamp " + t + " with a different value in one request,"
                + " series " + s.labels);
      }
      // Another value at the newest timestamp is refused whatever the out-of-order window (as
      // Prometheus does): taken, the commit would have to drop it silently.
      long window = head.outOfOrderWindowMs();
      if (window <= 0 || t == last || t < head.maxTime() - window) {
        throw rejection(s, t, last, window);
      }
      // Out of order onto a timestamp the series holds already: the sample there stays (as in
      // Prometheus); another value is refused now rather than dropped after an acknowledgement.
      int held = sampleAtLocked(s, t, v, h);
      if (held == MemSeries.SAME_SAMPLE) {
        return id;
      }
      if (held == MemSeries.OTHER_SAMPLE) {
        throw new SampleRejectedException(Kind.DUPLICATE_TIMESTAMP,
            "duplicate sample for timestamp: series " + s.labels + " already has another value"
                + " at timestamp " + t + " (an out-of-order sample does not replace one)");
      }
    }
    if (n == ts.length) {
      grow();
    }
    series[n] = s;
    ts[n] = t;
    vs[n] = v;
    if (h != null) {
      if (hs == null) {
        hs = new FloatHistogram[ts.length];
      }
      hs[n] = h;
    }
    if (t > last || prev < 0) {
      lastIndex.setAt(slot, n);
    }
    n++;
    return id;
  }

  /**
   * {@link #add} with a start timestamp {@code st} (0 = unknown): when the head stores start
   * timestamps as zero samples and this one qualifies (see {@link
   * Head#startTimestampZeroSamples}), the zero sample at {@code st} is buffered first.
   */
  long addWithStart(long ref, Labels labels, long st, long t, double v, FloatHistogram h) {
    if (st != 0 && st < t && head.startTimestampZeroSamples()) {
      ref = addStartZero(ref, labels, st, h);
    }
    return add(ref, labels, t, v, h);
  }

  private long addStartZero(long ref, Labels labels, long st, FloatHistogram h) {
    MemSeries s = ref != 0 ? head.byId(ref) : null;
    int id = s != null ? (int) ref : head.getOrCreate(labels).id;
    long newestInHead = head.maxTime();
    if (st < head.appendFloor() || (newestInHead != Long.MIN_VALUE
        && st < newestInHead - Head.START_ZERO_MAX_LAG_MS)) {
      return id;
    }
    int prev = lastIndex.get(id, -1);
    long last = prev >= 0 ? ts[prev] : head.newestTime(id);
    if (st <= last) {
      return id; // an ongoing counter repeats its start on every sample
    }
    return add(id, labels, st, 0, h == null ? null : h.emptyStart());
  }

  private boolean sameValue(int i, double v, FloatHistogram h) {
    FloatHistogram prevH = hs == null ? null : hs[i];
    if (h == null) {
      return prevH == null && Double.doubleToRawLongBits(vs[i]) == Double.doubleToRawLongBits(v);
    }
    return h.equals(prevH);
  }

  private int sampleAtLocked(MemSeries s, long t, double v, FloatHistogram h) {
    synchronized (head.lockFor(s.id)) {
      return s.sampleAt(t, v, h, head.chunks);
    }
  }

  // Reads (and may load from a closed chunk) the series' last sample: under its lock.
  private boolean isDuplicateLocked(MemSeries s, long t, double v, FloatHistogram h) {
    synchronized (head.lockFor(s.id)) {
      return s.isDuplicateOfLast(t, v, h, head.chunks);
    }
  }

  private static StorageException rejection(MemSeries s, long t, long last, long window) {
    if (t == last) {
      return new SampleRejectedException(Kind.DUPLICATE_TIMESTAMP,
          "duplicate sample for timestamp: series " + s.labels + " already has another value"
              + " at timestamp " + t + ", its newest");
    }
    String why = window <= 0 ? "out-of-order window is 0"
        : "older than the out-of-order window of " + window + " ms";
    return new SampleRejectedException(window <= 0 ? Kind.OUT_OF_ORDER : Kind.TOO_OLD,
        "out of order sample: series " + s.labels + " timestamp " + t
            + " is not after its newest timestamp " + last + " (" + why + ")");
  }

  /**
   * A sample below {@link Head#appendFloor}: "too old" when the out-of-order window is on and
   * the sample lies behind it too (as Prometheus's and Mimir's heads say it then), else "out of
   * bounds".
   */
  private StorageException outOfBounds(MemSeries s, long t) {
    long newest = head.maxTime();
    long window = head.outOfOrderWindowMs();
    if (window > 0 && newest != Long.MIN_VALUE && t < newest - window) {
      return new SampleRejectedException(Kind.TOO_OLD, "too old sample: series " + s.labels
          + " timestamp " + t + " is more than " + window + " ms (the out-of-order window)"
          + " behind " + newest + ", the newest sample in the head");
    }
    long minValid = head.minValidTime();
    String why = t < minValid ? "before " + minValid + ", the end of the newest block"
        : "more than " + head.appendableLagMs() + " ms (half the block range) behind "
            + newest + ", the newest sample in the head";
    return new SampleRejectedException(Kind.OUT_OF_BOUNDS,
        "out of bounds: series " + s.labels + " timestamp " + t + " is " + why);
  }

  private void grow() {
    int cap = ts.length * 2;
    series = Arrays.copyOf(series, cap);
    ids = Arrays.copyOf(ids, cap);
    ts = Arrays.copyOf(ts, cap);
    vs = Arrays.copyOf(vs, cap);
    rejected = Arrays.copyOf(rejected, cap);
    if (hs != null) {
      hs = Arrays.copyOf(hs, cap);
    }
  }

  /** Forgets the samples; keeps the grown arrays for the next user. */
  void reset() {
    Arrays.fill(series, 0, n, null);
    if (hs != null) {
      Arrays.fill(hs, 0, n, null);
    }
    n = 0;
    lastIndex.clear();
    if (extras != null) {
      extras.reset();
    }
  }

  // ---- exemplars and metadata (BatchExtras) ----

  long addExemplar(long ref, Labels labels, dev.vigil.model.exemplar.Exemplar e) {
    return extras().addExemplar(head, head.existingSeries(ref, labels, "exemplar"), e);
  }

  long updateMetadata(long ref, Labels labels, dev.vigil.model.metadata.Metadata m) {
    return extras().updateMetadata(head, head.existingSeries(ref, labels, "metadata"), m);
  }

  private BatchExtras extras() {
    if (extras == null) {
      extras = new BatchExtras();
    }
    return extras;
  }

  /** Whether the batch holds exemplars or metadata (a commit without samples still logs them). */
  boolean hasExtras() {
    return extras != null && !extras.isEmpty();
  }

  /** After logging, under the commit lock. */
  void applyExtras() {
    if (extras != null) {
      extras.apply(head);
    }
  }

  /** Slots allocated; the pool drops batches grown far beyond a typical request. */
  int capacity() {
    return ts.length;
  }

  // ---- commit-time hooks, called by Head under its commit lock ----

  /**
   * Resolves the series (see below) and checks each sample; with a head snapshot being captured
   * ({@code capture} not null), first captures every series the commit may change.
   */
  void validateAtCommit(Head.SeriesCapture<?> capture) {
    nUnlogged = 0;
    unloggedSeen.clear();
    for (int i = 0; i < n; i++) {
      if (i % PREFETCH_BLOCK == 0) {
        touchSeries(i, Math.min(n, i + PREFETCH_BLOCK));
      }
      MemSeries s = series[i];
      if (s.removed) {
        // Garbage-collected by a block cut since add(): its samples go to the live series.
        s = head.getOrCreate(s.labels);
        series[i] = s;
      }
      if (capture != null) {
        capture.beforeChange(s);
      }
      ids[i] = s.id;
      rejected[i] = head.rejectAtCommit(s, ts[i], vs[i], histogram(i));
      if (!rejected[i] && !s.logged && unloggedSeen.get(s.id, -1) < 0) {
        unloggedSeen.put(s.id, nUnlogged);
        if (nUnlogged == unlogged.length) {
          unlogged = Arrays.copyOf(unlogged, nUnlogged * 2);
        }
        unlogged[nUnlogged++] = s;
      }
    }
    if (extras != null) {
      extras.validateAtCommit(head, this, capture);
    }
  }

  /**
   * Software prefetch of the series of samples {@code [from, to)} (see {@link MemSeries#touch}):
   * a loop doing nothing else keeps many cache misses in flight.
   */
  private void touchSeries(int from, int to) {
    int touched = 0;
    for (int i = from; i < to; i++) {
      touched ^= series[i].touch();
    }
    touchSink ^= touched;
  }

  /** Like {@link #touchSeries}, for the tails of the open chunks' buffers. Under commit lock. */
  void touchChunkTails(int from, int to) {
    int touched = 0;
    for (int i = from; i < to; i++) {
      touched ^= series[i].touchForAppend();
    }
    touchSink ^= touched;
  }

  /** Has a series record written with this commit (for series only exemplars refer to). */
  void logSeries(MemSeries s) {
    if (unloggedSeen.get(s.id, -1) < 0) {
      unloggedSeen.put(s.id, nUnlogged);
      if (nUnlogged == unlogged.length) {
        unlogged = Arrays.copyOf(unlogged, nUnlogged * 2);
      }
      unlogged[nUnlogged++] = s;
    }
  }

  void markLogged() {
    for (int i = 0; i < nUnlogged; i++) {
      unlogged[i].logged = true;
      unlogged[i] = null;
    }
    nUnlogged = 0;
  }

  MemSeries series(int i) {
    return series[i];
  }

  @Override
  public int seriesCount() {
    return nUnlogged;
  }

  @Override
  public long logStateGeneration(int i) {
    return series[i].logStateGeneration;
  }

  @Override
  public long logStateBits(int i) {
    return series[i].logStateBits;
  }

  @Override
  public void setLogState(int i, long generation, long bits) {
    MemSeries s = series[i];
    s.logStateGeneration = generation;
    s.logStateBits = bits;
  }

  @Override
  public long seriesRef(int i) {
    return unlogged[i].id;
  }

  @Override
  public Labels seriesLabels(int i) {
    return unlogged[i].labels;
  }

  @Override
  public int sampleCount() {
    return n;
  }

  @Override
  public boolean accepted(int i) {
    return !rejected[i];
  }

  @Override
  public long ref(int i) {
    return ids[i];
  }

  @Override
  public long t(int i) {
    return ts[i];
  }

  @Override
  public double v(int i) {
    return vs[i];
  }

  @Override
  public FloatHistogram histogram(int i) {
    return hs == null ? null : hs[i];
  }

  @Override
  public int exemplarCount() {
    return extras == null ? 0 : extras.exemplarCount();
  }

  @Override
  public long exemplarRef(int i) {
    return extras.exemplarRef(i);
  }

  @Override
  public long exemplarT(int i) {
    return extras.exemplarT(i);
  }

  @Override
  public double exemplarV(int i) {
    return extras.exemplarV(i);
  }

  @Override
  public Labels exemplarLabels(int i) {
    return extras.exemplarLabels(i);
  }

  @Override
  public int metadataCount() {
    return extras == null ? 0 : extras.metadataCount();
  }

  @Override
  public long metadataRef(int i) {
    return extras.metadataRef(i);
  }

  @Override
  public dev.vigil.model.metadata.Metadata metadata(int i) {
    return extras.metadata(i);
  }
}
