package dev.vigil.tsdb.head;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the head over {@code [minT, maxT]}. Each selected series is snapshotted (chunk list and
 * open-chunk sample count) when selected, so later appends never show up half-way through an
 * iteration. Only series with at least one sample in the range are returned, as the in-memory
 * reference store does. Not thread-safe (one querier per query), but many may run at once.
 */
final class HeadQuerier implements Querier {
  private final Head head;
  private final long minT;
  private final long maxT;

  HeadQuerier(Head head, long minT, long maxT) {
    this.head = head;
    this.minT = minT;
    this.maxT = maxT;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
    if (minT > maxT || head.maxTime() < minT || head.minTime() > maxT) {
      return SeriesSet.EMPTY;
    }
    RoaringBitmap ids = head.postings.select(matchers);
    List<HeadSeries> out = new ArrayList<>(Math.min(ids.getCardinality(), 1 << 16));
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      MemSeries s = head.byId(it.next());
      if (s == null) {
        continue;
      }
      SampleIterator snap;
      boolean proven;
      synchronized (head.lockFor(s.id)) {
        if (!s.cheapOverlap(minT, maxT)) {
          continue;
        }
        proven = s.boundsProveSample(minT, maxT);
        snap = s.snapshotIterator(minT, maxT, head.chunks);
      }
      // The range falls strictly between two samples' bounds: look whether one lies inside.
      if (!proven && snap.next() == ValueKind.NONE) {
        continue;
      }
      out.add(new HeadSeries(head, s, minT, maxT, proven ? snap : null));
    }
    HeadSeries[] arr = out.toArray(new HeadSeries[0]);
    // Ids are in creation order; merging with blocks wants label order, which callers that do
    // not need it (the PromQL engine, as Prometheus's) are spared: sorting 1M label sets costs
    // ~20M label comparisons.
    if (sorted) {
      Arrays.sort(arr, (a, b) -> a.labels().compareTo(b.labels()));
    }
    return new ArraySeriesSet(arr);
  }

  private boolean hasSampleInRange(MemSeries s) {
    SampleIterator snap;
    synchronized (head.lockFor(s.id)) {
      if (!s.cheapOverlap(minT, maxT)) {
        return false;
      }
      if (s.boundsProveSample(minT, maxT)) {
        return true;
      }
      snap = s.snapshotIterator(minT, maxT, head.chunks);
    }
    return snap.next() != ValueKind.NONE;
  }

  /** Whether some series of {@code ids} has a sample in range; usually the first says so. */
  private boolean anyWithSample(RoaringBitmap ids) {
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      MemSeries s = head.byId(it.next());
      if (s != null && hasSampleInRange(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether to go value by value (each value's series, until one has a sample in range) rather
   * than series by series: when the values are fewer than half the series selected.
   */
  private boolean byValue(String name, RoaringBitmap ids) {
    return ids == null || 2L * head.postings.valueCount(name) < ids.getLongCardinality();
  }

  @Override
  public List<String> labelValues(String name, List<Matcher> matchers) {
    TreeSet<String> values = new TreeSet<>();
    RoaringBitmap ids = matchers.isEmpty() ? null : head.postings.select(matchers);
    if (byValue(name, ids)) {
      for (Map.Entry<String, RoaringBitmap> e : head.postings.valuesWithin(name, ids)) {
        if (!e.getKey().isEmpty() && anyWithSample(e.getValue())) {
          values.add(e.getKey());
        }
      }
      return List.copyOf(values);
    }
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      MemSeries s = head.byId(it.next());
      if (s == null) {
        continue;
      }
      String v = s.labels.get(name);
      if (!v.isEmpty() && !values.contains(v) && hasSampleInRange(s)) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  @Override
  public List<String> labelNames(List<Matcher> matchers) {
    TreeSet<String> names = new TreeSet<>();
    if (matchers.isEmpty()) {
      // Name by name, value by value, until one series has a sample in range: usually the
      // first value's first series, so one value's ids are copied per name, not every value's.
      for (String name : head.postings.names()) {
        for (String value : head.postings.values(name)) {
          RoaringBitmap ids = head.postings.postings(name, value);
          if (ids != null && anyWithSample(ids)) {
            names.add(name);
            break;
          }
        }
      }
      return List.copyOf(names);
    }
    RoaringBitmap ids = head.postings.select(matchers);
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      MemSeries s = head.byId(it.next());
      if (s == null) {
        continue;
      }
      Labels l = s.labels;
      boolean anyNew = false;
      for (int i = 0; i < l.size(); i++) {
        if (!names.contains(l.name(i))) {
          anyNew = true;
          break;
        }
      }
      if (anyNew && hasSampleInRange(s)) {
        for (int i = 0; i < l.size(); i++) {
          names.add(l.name(i));
        }
      }
    }
    return List.copyOf(names);
  }

  @Override
  public void close() {}

  /** A selected series; the first iterator comes from the snapshot taken at select time. */
  private static final class HeadSeries implements Series {
    private final Head head;
    private final MemSeries s;
    private final long minT;
    private final long maxT;
    private SampleIterator first;

    HeadSeries(Head head, MemSeries s, long minT, long maxT, SampleIterator first) {
      this.head = head;
      this.s = s;
      this.minT = minT;
      this.maxT = maxT;
      this.first = first;
    }

    @Override
    public Labels labels() {
      return s.labels;
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      if (first != null) {
        SampleIterator it = first;
        first = null;
        return it;
      }
      synchronized (head.lockFor(s.id)) {
        return s.snapshotIterator(minT, maxT, head.chunks);
      }
    }
  }

  private static final class ArraySeriesSet implements SeriesSet {
    private final Series[] series;
    private int i = -1;

    ArraySeriesSet(Series[] series) {
      this.series = series;
    }

    @Override
    public boolean next() {
      if (i < series.length) {
        i++;
      }
      return i < series.length;
    }

    @Override
    public Series at() {
      return series[i];
    }
  }
}
