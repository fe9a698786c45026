package dev.vigil.tsdb.exemplar;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Exemplars outlive their series in the head, as in Prometheus (whose index is keyed by the
 * series' label set): when the head drops a series ({@link #detach}), its chain stays in the
 * ring under its label set and is found by {@link #selectDetached} until the ring overwrites
 * its last exemplar; a series created later with the same labels takes the chain over
 * ({@link #attach}) under its new id, so ordering continues against the newest exemplar. A
 * chain is keyed by the id of the series that started it; a later id of the same labels is an
 * alias of that key. Detached chains are bounded by the capacity (each holds an exemplar).
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
  /** In {@link #aliases}: the id left the head, it has no chain any more. */
  private static final int DEAD = -1;

  // Changed only by resize, under the write lock; volatile for the lock-free "disabled" checks.
  private volatile int capacity;
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
  // Per series id: the key + 0 of the chain it took over from an earlier series of the same
  // labels (see attach), DEAD once it left the head with a chain, 0 when it uses its own id.
  // Pages exist only once a chain was detached or taken over.
  private int[][] aliases = new int[0][];
  // Chains whose series left the head, by series labels; per key the labels of a detached chain.
  private final Map<Labels, Integer> detached = new HashMap<>();
  private Labels[][] detachedLabels = new Labels[0][];
  private volatile int detachedCount;
  // Bumped (under the write lock) whenever a chain moves between an id and the detached set.
  private volatile long moves;

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
    int n = slotPlusOne(newest, key(id)) - 1;
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
   *
   * @throws IllegalArgumentException for an id that is not positive or that left the head
   *     ({@link #detach})
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
      if (capacity == 0) {
        return Verdict.DISABLED; // resized to 0 since the check above
      }
      Verdict verdict = checkLocked(id, t, v, l);
      if (verdict != Verdict.OK) {
        return verdict;
      }
      int key = key(id);
      if (key == 0) {
        throw new IllegalArgumentException("series id " + id + " left the head (detach)");
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
          forgetDetached(victim);
        } else {
          setSlot(oldest, victim, next[slot] + 1);
        }
        labels[slot] = null;
        stored--;
      }
      series[slot] = key;
      ts[slot] = t;
      vs[slot] = v;
      labels[slot] = l;
      linkAsNewest(key, slot);
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
      int key = key(id);
      // A detached chain is reported by selectDetached only, even while the head still lists
      // the id it was detached from (the head detaches before dropping the series).
      return isDetached(key) ? 0 : collect(key, minT, maxT, out);
    } finally {
      lock.readLock().unlock();
    }
  }

  // Under a lock.
  private int collect(int key, long minT, long maxT, List<Exemplar> out) {
    int n = 0;
    for (int i = slotPlusOne(oldest, key) - 1; i >= 0; i = next[i]) {
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
  }

  /** Whether series {@code id} has an exemplar in the ring. */
  public boolean has(int id) {
    if (capacity == 0) {
      return false;
    }
    lock.readLock().lock();
    try {
      int key = key(id);
      return slotPlusOne(oldest, key) != 0 && !isDetached(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  // ---- series leaving and re-entering the head ----

  /**
   * Series {@code id}, labelled {@code seriesLabels}, leaves the head: its exemplars stay, under
   * its labels, until the ring overwrites the last of them ({@link #selectDetached} finds them;
   * {@link #select}, {@link #has} and the id no longer do). The head calls this before it stops
   * listing the series, so a query never sees a chain under both. The id must not be used again.
   */
  public void detach(int id, Labels seriesLabels) {
    lock.writeLock().lock();
    try {
      int key = key(id);
      if (key != id && key != 0) {
        setSlot(aliases, id, DEAD); // ids are never reused
      }
      if (key == 0 || slotPlusOne(oldest, key) == 0 || isDetached(key)) {
        return; // nothing to keep
      }
      if (key == id) {
        aliases = ensurePage(aliases, id);
        setSlot(aliases, id, DEAD); // the chain outlives the id, which must not find it again
      }
      // At most one chain per label set: a series created with these labels would have taken
      // this chain over (attach) before adding a chain of its own.
      detached.put(seriesLabels, key);
      detachedLabels = ensurePage(detachedLabels, key);
      detachedLabels[key >>> PAGE_BITS][key & PAGE_MASK] = seriesLabels;
      detachedCount++;
      moves++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Series {@code id} has just been created in the head with {@code seriesLabels}: if a series
   * with these labels left the head with exemplars still in the ring, id {@code id} continues
   * that chain (its next exemplar is checked against the chain's newest, as if the series had
   * never left). Cheap when no chain is detached (one volatile read).
   */
  public void attach(int id, Labels seriesLabels) {
    if (detachedCount == 0) {
      return;
    }
    lock.writeLock().lock();
    try {
      Integer key = detached.remove(seriesLabels);
      if (key == null) {
        return;
      }
      int k = key;
      detachedLabels[k >>> PAGE_BITS][k & PAGE_MASK] = null;
      detachedCount--;
      if (k != id) {
        aliases = ensurePage(aliases, id);
        setSlot(aliases, id, k);
      }
      moves++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Appends to {@code out} the exemplars in {@code [minT, maxT]} of the series that left the head
   * ({@link #detach}) and whose labels match all matchers of at least one of the sets (an absent
   * label matches as the empty string, as Prometheus's exemplar querier), oldest first per
   * series. Returns how many series were appended.
   */
  public int selectDetached(long minT, long maxT, List<List<Matcher>> matcherSets,
      List<ExemplarSeries> out) {
    if (detachedCount == 0 || minT > maxT) {
      return 0;
    }
    lock.readLock().lock();
    try {
      int n = 0;
      List<Exemplar> found = new ArrayList<>();
      for (Map.Entry<Labels, Integer> e : detached.entrySet()) {
        int key = e.getValue();
        if (ts[slotPlusOne(oldest, key) - 1] > maxT || ts[slotPlusOne(newest, key) - 1] < minT
            || !matchesSomeSet(e.getKey(), matcherSets)) {
          continue;
        }
        found.clear();
        collect(key, minT, maxT, found);
        if (!found.isEmpty()) {
          out.add(new ExemplarSeries(e.getKey(), found)); // copies the list
          n++;
        }
      }
      return n;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static boolean matchesSomeSet(Labels l, List<List<Matcher>> matcherSets) {
    for (List<Matcher> set : matcherSets) {
      boolean all = true;
      for (int i = 0; i < set.size() && all; i++) {
        Matcher m = set.get(i);
        all = m.matches(l.get(m.name()));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** Series that left the head with exemplars still in the ring (counted in seriesCount). */
  public int detachedSeriesCount() {
    return detachedCount;
  }

  /**
   * A counter of chains moved between a head id and the detached set ({@link #detach},
   * {@link #attach}): a reader combining {@link #select} by id and {@link #selectDetached} saw
   * each chain exactly once if it is the same before and after.
   */
  public long moves() {
    return moves;
  }

  // The chain key of series id: its own id unless it took over an earlier series' chain; 0
  // (which no chain has) once the id left the head.
  private int key(int id) {
    int k = slotPlusOne(aliases, id);
    return k == 0 ? id : k == DEAD ? 0 : k;
  }

  private boolean isDetached(int key) {
    int p = key >>> PAGE_BITS;
    return p < detachedLabels.length && detachedLabels[p] != null
        && detachedLabels[p][key & PAGE_MASK] != null;
  }

  // Under the write lock: the chain of key lost its last exemplar.
  private void forgetDetached(int key) {
    if (!isDetached(key)) {
      return;
    }
    Labels[] page = detachedLabels[key >>> PAGE_BITS];
    Integer current = detached.get(page[key & PAGE_MASK]);
    if (current != null && current == key) {
      detached.remove(page[key & PAGE_MASK]);
    }
    page[key & PAGE_MASK] = null;
    detachedCount--;
  }

  // Under the write lock, after the ring was rebuilt: drops detached chains left empty.
  private void forgetEmptyDetached() {
    for (Iterator<Map.Entry<Labels, Integer>> it = detached.entrySet().iterator();
        it.hasNext(); ) {
      int key = it.next().getValue();
      if (slotPlusOne(oldest, key) == 0) {
        it.remove();
        detachedLabels[key >>> PAGE_BITS][key & PAGE_MASK] = null;
        detachedCount--;
      }
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

  private static int[][] ensurePage(int[][] pages, int id) {
    int p = id >>> PAGE_BITS;
    if (p >= pages.length) {
      pages = java.util.Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
    }
    if (pages[p] == null) {
      pages[p] = new int[1 << PAGE_BITS];
    }
    return pages;
  }

  private static Labels[][] ensurePage(Labels[][] pages, int id) {
    int p = id >>> PAGE_BITS;
    if (p >= pages.length) {
      pages = java.util.Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
    }
    if (pages[p] == null) {
      pages[p] = new Labels[1 << PAGE_BITS];
    }
    return pages;
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

  // ---- resizing (a tenant's exemplar limit changed while its database is open) ----

  /**
   * Changes the capacity to {@code newCapacity}, keeping the newest {@code min(size(),
   * newCapacity)} exemplars in the order they were added (as Prometheus's
   * {@code CircularExemplarStorage.Resize}: shrinking drops the oldest first); 0 disables the
   * storage and drops every exemplar. Returns how many exemplars were kept. Each series keeps
   * its remaining exemplars oldest first. Takes the write lock for one pass over the old ring
   * (a limit change is rare; appends and reads of exemplars wait for it).
   */
  public int resize(int newCapacity) {
    if (newCapacity < 0) {
      throw new IllegalArgumentException("exemplar capacity " + newCapacity + " must be >= 0");
    }
    lock.writeLock().lock();
    try {
      if (newCapacity == capacity) {
        return stored;
      }
      int length = series.length;
      int occupied = 0;
      for (int i = 0; i < length; i++) {
        if (series[i] != 0) {
          occupied++;
        }
      }
      int kept = Math.min(occupied, newCapacity);
      int[] oldSeries = series;
      long[] oldTs = ts;
      double[] oldVs = vs;
      Labels[] oldLabels = labels;
      int newLength = Math.min(newCapacity, Math.max(INITIAL_SLOTS, kept));
      series = new int[newLength];
      ts = new long[newLength];
      vs = new double[newLength];
      labels = new Labels[newLength];
      next = new int[newLength];
      for (int[] page : oldest) {
        if (page != null) {
          java.util.Arrays.fill(page, 0);
        }
      }
      for (int[] page : newest) {
        if (page != null) {
          java.util.Arrays.fill(page, 0);
        }
      }
      seriesWithExemplars = 0;
      // In the order of adding: from the cursor on once the ring has wrapped; before that the
      // slots from the cursor on are empty and the walk continues at slot 0.
      int skip = occupied - kept;
      int to = 0;
      for (int k = 0, i = length == 0 ? 0 : cursor % length; k < length;
          k++, i = i + 1 == length ? 0 : i + 1) {
        int id = oldSeries[i];
        if (id == 0) {
          continue;
        }
        if (skip > 0) {
          skip--;
          continue;
        }
        series[to] = id;
        ts[to] = oldTs[i];
        vs[to] = oldVs[i];
        labels[to] = oldLabels[i];
        linkAsNewest(id, to);
        to++;
      }
      stored = kept;
      cursor = kept == newCapacity ? 0 : kept;
      capacity = newCapacity;
      forgetEmptyDetached();
      return kept;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // Under the write lock: makes the filled `slot` the newest exemplar of chain `key` (and its
  // oldest too when the chain was empty).
  private void linkAsNewest(int key, int slot) {
    next[slot] = NONE;
    int last = slotPlusOne(newest, key) - 1;
    if (last < 0) {
      ensurePage(key);
      setSlot(oldest, key, slot + 1);
      seriesWithExemplars++;
    } else {
      next[last] = slot;
    }
    setSlot(newest, key, slot + 1);
  }
}
