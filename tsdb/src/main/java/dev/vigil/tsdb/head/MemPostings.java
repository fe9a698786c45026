package dev.vigil.tsdb.head;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.index.LabelIndex;
import dev.vigil.tsdb.index.PostingsForMatchers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * The head's inverted index: label name → value → bitmap of series ids, plus all ids.
 * Thread-safe: series are added under the write lock; lookups run under the read lock and
 * return fresh bitmaps the caller owns. Series are removed when the head garbage-collects them.
 */
final class MemPostings {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final HashMap<String, HashMap<String, RoaringBitmap>> index = new HashMap<>();
  private final RoaringBitmap all = new RoaringBitmap();

  void add(int id, Labels labels) {
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        index.computeIfAbsent(labels.name(i), k -> new HashMap<>())
            .computeIfAbsent(labels.value(i), k -> new RoaringBitmap()).add(id);
      }
      all.add(id);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes a series (garbage collection); drops bitmaps and names left empty. */
  void remove(int id, Labels labels) {
    lock.writeLock().lock();
    try {
      for (int i = 0; i < labels.size(); i++) {
        HashMap<String, RoaringBitmap> values = index.get(labels.name(i));
        if (values == null) {
          continue;
        }
        RoaringBitmap b = values.get(labels.value(i));
        if (b != null) {
          b.remove(id);
          if (b.isEmpty()) {
            values.remove(labels.value(i));
            if (values.isEmpty()) {
              index.remove(labels.name(i));
            }
          }
        }
      }
      all.remove(id);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Ids of series satisfying every matcher; see {@link PostingsForMatchers}. */
  RoaringBitmap select(List<Matcher> matchers) {
    lock.readLock().lock();
    try {
      return PostingsForMatchers.select(view, matchers);
    } finally {
      lock.readLock().unlock();
    }
  }

  // Read under the read lock only (select holds it).
  private final LabelIndex view = new LabelIndex() {
    @Override
    public void forEachValue(String name, ValueVisitor visitor) {
      Map<String, RoaringBitmap> values = index.get(name);
      if (values != null) {
        for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
          visitor.visit(e.getKey(), e.getValue());
        }
      }
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
      Map<String, RoaringBitmap> values = index.get(name);
      return values == null ? null : values.get(value);
    }

    @Override
    public RoaringBitmap all() {
      return all;
    }
  };

  /** How many values {@code name} has. */
  int valueCount(String name) {
    lock.readLock().lock();
    try {
      Map<String, RoaringBitmap> values = index.get(name);
      return values == null ? 0 : values.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Each value of {@code name} with the ids of its series, restricted to {@code within} (all
   * when null) and dropped when none is left; copies the caller owns, in no particular order.
   */
  List<Map.Entry<String, RoaringBitmap>> valuesWithin(String name, RoaringBitmap within) {
    lock.readLock().lock();
    try {
      Map<String, RoaringBitmap> values = index.get(name);
      if (values == null) {
        return List.of();
      }
      List<Map.Entry<String, RoaringBitmap>> out = new ArrayList<>(values.size());
      for (Map.Entry<String, RoaringBitmap> e : values.entrySet()) {
        RoaringBitmap ids = within == null ? e.getValue().clone()
            : RoaringBitmap.and(e.getValue(), within);
        if (!ids.isEmpty()) {
          out.add(Map.entry(e.getKey(), ids));
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The values of {@code name}, unsorted; empty when it has none. */
  List<String> values(String name) {
    lock.readLock().lock();
    try {
      Map<String, RoaringBitmap> values = index.get(name);
      return values == null ? List.of() : new ArrayList<>(values.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A copy of the ids of the series with {@code name=value}; null when there are none. */
  RoaringBitmap postings(String name, String value) {
    lock.readLock().lock();
    try {
      RoaringBitmap ids = view.postings(name, value);
      return ids == null ? null : ids.clone();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Label names with at least one series, unsorted. */
  List<String> names() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(index.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }
}
