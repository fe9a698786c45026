package dev.vigil.tsdb.exemplar;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Prometheus's circular exemplar storage: a ring of {@code capacity} slots shared by every
 * series of one database; when full, each new exemplar overwrites the oldest one of all. A
 * series keeps the slots of its oldest and newest exemplar, and each slot the next slot of the
 * same series, so a series' exemplars are read oldest first without scanning the ring.
 *
 * <p>Series are identified by their head id (an int in [1, 2^31)); the per-series index is a
 * paged int array allocated per 4096 ids that ever had an exemplar. Capacity 0 stores nothing.
 * Thread-safe: one read-write lock, writes ({@link #add}) exclusive, reads shared.
 */
public final class CircularExemplarStorage {
  /** What {@link #check} (and {@link #add}) found. */
  public enum Verdict {
    /** Newer than (or as new as, but different from) the series' newest exemplar: store it. */
    OK,
    /** The same as the series' newest exemplar: a retry, dropped silently. */
    DUPLICATE,
    /** Older than the series' newest exemplar: refused. */
    OUT_OF_ORDER,
    /** The storage has capacity 0. */
    DISABLED
  }

  private static final int PAGE_BITS = 12;
  private static final int PAGE_MASK = (1 << PAGE_BITS) - 1;
  private static final int NONE = -1;
  private static final int INITIAL_SLOTS = 64;

  private final int capacity;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  // Ring slots; series[i] == 0 marks an empty slot. Allocated as exemplars arrive, doubling up
  // to the capacity (the ring only wraps once full): a database that gets none costs ~2 KiB.
  private int[] series;
  private long[] ts;
  private double[] vs;
  private Labels[] labels;
  private int[] next;
  private int cursor; // the slot the next exemplar goes to
  private int stored;
  // Per series id: slot + 1 of its oldest / newest exemplar, 0 when it has none.
  private int[][] oldest = new int[0][];
  private int[][] newest = new int[0][];
  private int seriesWithExemplars;
  private long newestTimestamp = Long.MIN_VALUE;

  /** A ring of {@code capacity} exemplars; 0 disables storage (every add is dropped). */
  public CircularExemplarStorage(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("exemplar capacity " + capacity + " must be >= 0");
    }
    this.capacity = capacity;
    int initial = Math.min(capacity, INITIAL_SLOTS);
    series = new int[initial];
    ts = new long[initial];
    vs = new double[initial];
    labels = new Labels[initial];
    next = new int[initial];
  }

  // Under the write lock; only before the first wrap, so slot order is kept.
  private void grow() {
    int n = (int) Math.min(capacity, Math.max(INITIAL_SLOTS, 2L * series.length));
    series = java.util.Arrays.copyOf(series, n);
    ts = java.util.Arrays.copyOf(ts, n);
    vs = java.util.Arrays.copyOf(vs, n);
    labels = java.util.Arrays.copyOf(labels, n);
    next = java.util.Arrays.copyOf(next, n);
  }

  public int capacity() {
    return capacity;
  }

  /** Exemplars held now (at most the capacity). */
  public int size() {
    lock.readLock().lock();
    try {
      return stored;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Series that have at least one exemplar in the ring. */
  public int seriesCount() {
    lock.readLock().lock();
    try {
      return seriesWithExemplars;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Timestamp of the newest exemplar ever added, {@code Long.MIN_VALUE} when none. */
  public long newestTimestamp() {
    lock.readLock().lock();
    try {
      return newestTimestamp;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * How {@link #add} would treat this exemplar of series {@code id}, compared with the series'
   * newest exemplar in the ring (as Prometheus's {@code ValidateExemplar}; the label-length
   * rule is the caller's, see {@link #labelsTooLong}).
   */
  public Verdict check(int id, long t, double v, Labels l) {
    if (capacity == 0) {
      return Verdict.DISABLED;
    }
    lock.readLock().lock();
    try {
      return checkLocked(id, t, v, l);
    } finally {
      lock.readLock().unlock();
    }
  }

  private Verdict checkLocked(int id, long t, double v, Labels l) {
    int n = slotPlusOne(newest, id) - 1;
    if (n < 0) {
      return Verdict.OK;
    }
    return compare(ts[n], vs[n], labels[n], t, v, l);
  }

  /**
   * An exemplar {@code (t, v, l)} against the newest one {@code (nt, nv, nl)} of its series:
   * the same (bit for bit) is a duplicate, an older timestamp out of order.
   */
  public static Verdict compare(long nt, double nv, Labels nl, long t, double v, Labels l) {
    if (nt == t && Double.doubleToRawLongBits(nv) == Double.doubleToRawLongBits(v)
        && nl.equals(l)) {
      return Verdict.DUPLICATE;
    }
    return t < nt ? Verdict.OUT_OF_ORDER : Verdict.OK;
  }

  /**
   * Whether the label set is longer than OpenMetrics allows: names and values together over
   * {@link Exemplar#MAX_LABELS_RUNES} Unicode code points (UTF-8 characters).
   */
  public static boolean labelsTooLong(Labels l) {
    int runes = 0;
    for (int i = 0; i < l.size(); i++) {
      String name = l.name(i);
      String value = l.value(i);
      runes += name.codePointCount(0, name.length()) + value.codePointCount(0, value.length());
    }
    return runes > Exemplar.MAX_LABELS_RUNES;
  }

  /**
   * Stores the exemplar unless it is a duplicate or out of order for its series (see
   * {@link #check}); when the ring is full it overwrites the oldest exemplar of all.
   */
  public Verdict add(int id, long t, double v, Labels l) {
    if (id <= 0) {
      throw new IllegalArgumentException("series id " + id + " must be > 0");
    }
    if (capacity == 0) {
      return Verdict.DISABLED;
    }
    lock.writeLock().lock();
    try {
      Verdict verdict = checkLocked(id, t, v, l);
      if (verdict != Verdict.OK) {
        return verdict;
      }
      int slot = cursor;
      if (slot == series.length) {
        grow();
      }
      int victim = series[slot];
      if (victim != 0) {
        // The overwritten exemplar is its series' oldest: unlink it.
        if (next[slot] == NONE) {
          setSlot(oldest, victim, 0);
          setSlot(newest, victim, 0);
          seriesWithExemplars--;
        } else {
          setSlot(oldest, victim, next[slot] + 1);
        }
        labels[slot] = null;
        stored--;
      }
      series[slot] = id;
      ts[slot] = t;
      vs[slot] = v;
      labels[slot] = l;
      next[slot] = NONE;
      int last = slotPlusOne(newest, id) - 1;
      if (last < 0) {
        ensurePage(id);
        setSlot(oldest, id, slot + 1);
        seriesWithExemplars++;
      } else {
        next[last] = slot;
      }
      setSlot(newest, id, slot + 1);
      stored++;
      cursor = slot + 1 == capacity ? 0 : slot + 1;
      if (t > newestTimestamp) {
        newestTimestamp = t;
      }
      return Verdict.OK;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Appends to {@code out} the exemplars of series {@code id} with timestamps in
   * {@code [minT, maxT]}, oldest first. Returns how many were appended.
   */
  public int select(int id, long minT, long maxT, List<Exemplar> out) {
    if (capacity == 0) {
      return 0;
    }
    lock.readLock().lock();
    try {
      int n = 0;
      for (int i = slotPlusOne(oldest, id) - 1; i >= 0; i = next[i]) {
        long t = ts[i];
        if (t > maxT) {
          break; // a series' exemplars are in timestamp order
        }
        if (t >= minT) {
          out.add(new Exemplar(labels[i], vs[i], t));
          n++;
        }
      }
      return n;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Whether series {@code id} has an exemplar in the ring. */
  public boolean has(int id) {
    if (capacity == 0) {
      return false;
    }
    lock.readLock().lock();
    try {
      return slotPlusOne(oldest, id) != 0;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static int slotPlusOne(int[][] pages, int id) {
    int p = id >>> PAGE_BITS;
    if (p >= pages.length || pages[p] == null) {
      return 0;
    }
    return pages[p][id & PAGE_MASK];
  }

  private static void setSlot(int[][] pages, int id, int v) {
    pages[id >>> PAGE_BITS][id & PAGE_MASK] = v;
  }

  private void ensurePage(int id) {
    int p = id >>> PAGE_BITS;
    if (p >= oldest.length) {
      int n = Math.max(p + 1, oldest.length * 2);
      oldest = java.util.Arrays.copyOf(oldest, n);
      newest = java.util.Arrays.copyOf(newest, n);
    }
    if (oldest[p] == null) {
      oldest[p] = new int[1 << PAGE_BITS];
      newest[p] = new int[1 << PAGE_BITS];
    }
  }
}
