package dev.vigil.model.storage.memory;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A simple, fully in-memory {@link Storage}: series in a sorted map, samples in sorted arrays. A
 * sample at an existing timestamp replaces the old one; samples may arrive in any order. Used
 * by the PromQL and rule test runners (which load small data sets) and as the reference
 * implementation in contract tests. Thread-safe; queries see committed data only.
 */
public final class InMemoryStorage implements Storage {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TreeMap<Labels, MemSeries> series = new TreeMap<>();
  private final boolean ingestsStartTimestamps;

  /** A store that keeps start timestamps beside their samples but asks sources for none. */
  public InMemoryStorage() {
    this(false);
  }

  /**
   * @param ingestsStartTimestamps what {@link #ingestsStartTimestamps()} answers: whether sources
   *     should give start timestamps rather than series of their own (OpenMetrics {@code _created}
   *     lines); either way the start timestamps given are kept beside their samples
   */
  public InMemoryStorage(boolean ingestsStartTimestamps) {
    this.ingestsStartTimestamps = ingestsStartTimestamps;
  }

  @Override
  public boolean ingestsStartTimestamps() {
    return ingestsStartTimestamps;
  }

  /** Removes all series. */
  public void clear() {
    lock.writeLock().lock();
    try {
      series.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  public int seriesCount() {
    lock.readLock().lock();
    try {
      return series.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Appender appender() {
    return new MemAppender();
  }

  @Override
  public Querier querier(long minT, long maxT) {
    return new MemQuerier(minT, maxT);
  }

  private final class MemAppender implements Appender {
    private final List<Labels> labels = new ArrayList<>();
    private long[] ts = new long[16];
    private long[] sts = new long[16];
    private double[] vs = new double[16];
    private final List<FloatHistogram> hs = new ArrayList<>();

    @Override
    public long append(long ref, Labels l, long t, double v) {
      add(l, 0, t, v, null);
      return 0;
    }

    @Override
    public long appendHistogram(long ref, Labels l, long t, FloatHistogram h) {
      add(l, 0, t, 0, h);
      return 0;
    }

    @Override
    public long appendWithStart(long ref, Labels l, long st, long t, double v) {
      add(l, st, t, v, null);
      return 0;
    }

    @Override
    public long appendHistogramWithStart(long ref, Labels l, long st, long t, FloatHistogram h) {
      add(l, st, t, 0, h);
      return 0;
    }

    private void add(Labels l, long st, long t, double v, FloatHistogram h) {
      int i = labels.size();
      if (i == ts.length) {
        ts = Arrays.copyOf(ts, i * 2);
        sts = Arrays.copyOf(sts, i * 2);
        vs = Arrays.copyOf(vs, i * 2);
      }
      labels.add(l);
      ts[i] = t;
      sts[i] = st;
      vs[i] = v;
      hs.add(h);
    }

    @Override
    public void commit() {
      lock.writeLock().lock();
      try {
        for (int i = 0; i < labels.size(); i++) {
          series.computeIfAbsent(labels.get(i), MemSeries::new)
              .put(sts[i], ts[i], vs[i], hs.get(i));
        }
      } finally {
        lock.writeLock().unlock();
      }
      rollback();
    }

    @Override
    public void rollback() {
      labels.clear();
      hs.clear();
    }
  }

  private final class MemQuerier implements Querier {
    private final long minT;
    private final long maxT;

    MemQuerier(long minT, long maxT) {
      this.minT = minT;
      this.maxT = maxT;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      List<Series> out = new ArrayList<>();
      lock.readLock().lock();
      try {
        for (Map.Entry<Labels, MemSeries> e : series.entrySet()) {
          if (matchesAll(e.getKey(), matchers)) {
            MemSeries s = e.getValue().slice(minT, maxT);
            if (s.n > 0) {
              out.add(s);
            }
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      return new ListSeriesSet(out);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
      TreeSet<String> values = new TreeSet<>();
      lock.readLock().lock();
      try {
        for (Map.Entry<Labels, MemSeries> e : series.entrySet()) {
          if (matchesAll(e.getKey(), matchers) && e.getValue().hasSamplesIn(minT, maxT)) {
            String v = e.getKey().get(name);
            if (!v.isEmpty()) {
              values.add(v);
            }
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      return List.copyOf(values);
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
      TreeSet<String> names = new TreeSet<>();
      lock.readLock().lock();
      try {
        for (Map.Entry<Labels, MemSeries> e : series.entrySet()) {
          if (matchesAll(e.getKey(), matchers) && e.getValue().hasSamplesIn(minT, maxT)) {
            e.getKey().forEach((n, v) -> names.add(n));
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      return List.copyOf(names);
    }

    @Override
    public void close() {}
  }

  private static boolean matchesAll(Labels l, List<Matcher> matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(l.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private static final class ListSeriesSet implements SeriesSet {
    private final List<Series> list;
    private int i = -1;

    ListSeriesSet(List<Series> list) {
      this.list = list;
    }

    @Override
    public boolean next() {
      return ++i < list.size();
    }

    @Override
    public Series at() {
      return list.get(i);
    }
  }

  /** Samples of one series, sorted by time; also serves as an immutable snapshot slice. */
  private static final class MemSeries implements Series {
    private final Labels labels;
    private long[] t;
    private long[] st; // start timestamps, 0 = unknown; null array while every one is unknown
    private double[] v;
    private FloatHistogram[] h; // null entries for float samples; null array if none so far
    private int n;

    MemSeries(Labels labels) {
      this.labels = labels;
      this.t = new long[8];
      this.v = new double[8];
    }

    private MemSeries(
        Labels labels, long[] t, long[] st, double[] v, FloatHistogram[] h, int n) {
      this.labels = labels;
      this.t = t;
      this.st = st;
      this.v = v;
      this.h = h;
      this.n = n;
    }

    void put(long start, long ts, double val, FloatHistogram hist) {
      int i = Arrays.binarySearch(t, 0, n, ts);
      if (hist != null && h == null) {
        h = new FloatHistogram[t.length];
      }
      if (start != 0 && st == null) {
        st = new long[t.length];
      }
      if (i >= 0) {
        v[i] = val;
        if (st != null) {
          st[i] = start;
        }
        if (h != null) {
          h[i] = hist;
        }
        return;
      }
      int at = -i - 1;
      if (n == t.length) {
        t = Arrays.copyOf(t, n * 2);
        v = Arrays.copyOf(v, n * 2);
        if (h != null) {
          h = Arrays.copyOf(h, n * 2);
        }
        if (st != null) {
          st = Arrays.copyOf(st, n * 2);
        }
      }
      if (st != null) {
        System.arraycopy(st, at, st, at + 1, n - at);
        st[at] = start;
      }
      System.arraycopy(t, at, t, at + 1, n - at);
      System.arraycopy(v, at, v, at + 1, n - at);
      if (h != null) {
        System.arraycopy(h, at, h, at + 1, n - at);
        h[at] = at == n && hist != null ? withChunkHint(hist, at > 0 ? h[at - 1] : null) : hist;
      }
      t[at] = ts;
      v[at] = val;
      n++;
    }

    /**
     * The counter reset hint a TSDB head reports for a histogram appended after {@code prev}:
     * a histogram continuing a counter histogram without a reset is {@code NOT_COUNTER_RESET},
     * as Prometheus's histogram chunks record it. After a float, at the start, after a reset and
     * for gauge histograms the appended hint stands.
     */
    private static FloatHistogram withChunkHint(FloatHistogram hist, FloatHistogram prev) {
      if (prev == null || hist.counterResetHint() == CounterResetHint.GAUGE
          || prev.counterResetHint() == CounterResetHint.GAUGE) {
        return hist;
      }
      if (hist.counterResetHint() == CounterResetHint.COUNTER_RESET || hist.detectReset(prev)) {
        // A detected reset starts a new chunk in Prometheus's head, whose first sample reads
        // back with the hint it was appended with (prometheus/prometheus#15346); so does ours.
        return hist;
      }
      return hist.withCounterResetHint(CounterResetHint.NOT_COUNTER_RESET);
    }

    boolean hasSamplesIn(long minT, long maxT) {
      int from = lowerBound(minT);
      return from < n && t[from] <= maxT;
    }

    private int lowerBound(long ts) {
      int i = Arrays.binarySearch(t, 0, n, ts);
      return i >= 0 ? i : -i - 1;
    }

    /** A copy of the samples in [minT, maxT], taken under the read lock. */
    MemSeries slice(long minT, long maxT) {
      int from = lowerBound(minT);
      int to = from;
      while (to < n && t[to] <= maxT) {
        to++;
      }
      return new MemSeries(labels, Arrays.copyOfRange(t, from, to),
          st == null ? null : Arrays.copyOfRange(st, from, to), Arrays.copyOfRange(v, from, to),
          h == null ? null : Arrays.copyOfRange(h, from, to), to - from);
    }

    @Override
    public Labels labels() {
      return labels;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      return new ArrayIterator(this);
    }
  }

  private static final class ArrayIterator implements SampleIterator {
    private final MemSeries s;
    private int i = -1;

    ArrayIterator(MemSeries s) {
      this.s = s;
    }

    private ValueKind kind() {
      if (i >= s.n) {
        return ValueKind.NONE;
      }
      return s.h != null && s.h[i] != null ? ValueKind.HISTOGRAM : ValueKind.FLOAT;
    }

    @Override
    public ValueKind next() {
      if (i < s.n) {
        i++;
      }
      return kind();
    }

    @Override
    public ValueKind seek(long ts) {
      if (i < 0) {
        i = 0;
      }
      while (i < s.n && s.t[i] < ts) {
        i++;
      }
      return kind();
    }

    @Override
    public long atT() {
      return s.t[i];
    }

    @Override
    public double atF() {
      return s.v[i];
    }

    @Override
    public FloatHistogram atHistogram() {
      return s.h[i];
    }

    @Override
    public long atST() {
      return s.st == null ? 0 : s.st[i];
    }
  }
}
