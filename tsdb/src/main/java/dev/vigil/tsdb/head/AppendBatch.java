package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
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
  private long[] ts = new long[64];
  private double[] vs = new double[64];
  private FloatHistogram[] hs; // allocated at the first histogram
  private boolean[] rejected = new boolean[64];
  private int n;
  private final SeriesIndexMap lastIndex = new SeriesIndexMap();
  private MemSeries[] unlogged = new MemSeries[16];
  private int nUnlogged;
  private final SeriesIndexMap unloggedSeen = new SeriesIndexMap();

  AppendBatch(Head head) {
    this.head = head;
  }

  long add(long ref, Labels labels, long t, double v, FloatHistogram h) {
    MemSeries s = ref != 0 ? head.byId(ref) : null;
    if (s == null) {
      s = head.getOrCreate(labels);
    }
    if (t < head.minValidTime()) {
      throw new StorageException("out of bounds: series " + s.labels + " timestamp " + t
          + " is before " + head.minValidTime() + ", the end of the newest block");
    }
    int prev = lastIndex.get(s.id, -1);
    long last = prev >= 0 ? ts[prev] : s.maxT; // maxT read racily; see MemSeries
    if (t <= last) {
      if (prev >= 0 && t == last && sameValue(prev, v, h)) {
        return s.id; // the same sample twice in one batch: keep one
      }
      if (prev < 0 && isDuplicateLocked(s, t, v, h)) {
        return s.id;
      }
      long window = head.options.outOfOrderWindowMs();
      if (window <= 0 || t < head.maxTime() - window) {
        throw rejection(s, t, last, window);
      }
      if (prev >= 0 && t == last) {
        throw new StorageException("duplicate sample for timestamp " + t
            + " with a different value in one request, series " + s.labels);
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
      lastIndex.put(s.id, n);
    }
    n++;
    return s.id;
  }

  private boolean sameValue(int i, double v, FloatHistogram h) {
    FloatHistogram prevH = hs == null ? null : hs[i];
    if (h == null) {
      return prevH == null && Double.doubleToRawLongBits(vs[i]) == Double.doubleToRawLongBits(v);
    }
    return h.equals(prevH);
  }

  // Reads (and may load from a closed chunk) the series' last sample: under its lock.
  private boolean isDuplicateLocked(MemSeries s, long t, double v, FloatHistogram h) {
    synchronized (head.lockFor(s.id)) {
      return s.isDuplicateOfLast(t, v, h, head.chunks);
    }
  }

  private static StorageException rejection(MemSeries s, long t, long last, long window) {
    String what = t == last ? "duplicate sample for timestamp" : "out of order sample";
    String why = window <= 0 ? "out-of-order window is 0"
        : "older than the out-of-order window of " + window + " ms";
    return new StorageException(what + ": series " + s.labels + " timestamp " + t
        + " is not after its newest timestamp " + last + " (" + why + ")");
  }

  private void grow() {
    int cap = ts.length * 2;
    series = Arrays.copyOf(series, cap);
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
  }

  /** Slots allocated; the pool drops batches grown far beyond a typical request. */
  int capacity() {
    return ts.length;
  }

  // ---- commit-time hooks, called by Head under its commit lock ----

  void validateAtCommit() {
    nUnlogged = 0;
    unloggedSeen.clear();
    for (int i = 0; i < n; i++) {
      MemSeries s = series[i];
      if (s.removed) {
        // Garbage-collected by a block cut since add(): its samples go to the live series.
        s = head.getOrCreate(s.labels);
        series[i] = s;
      }
      rejected[i] = head.rejectAtCommit(s, ts[i], vs[i], histogram(i));
      if (!rejected[i] && !s.logged && unloggedSeen.get(s.id, -1) < 0) {
        unloggedSeen.put(s.id, nUnlogged);
        if (nUnlogged == unlogged.length) {
          unlogged = Arrays.copyOf(unlogged, nUnlogged * 2);
        }
        unlogged[nUnlogged++] = s;
      }
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
    return series[i].id;
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
}
