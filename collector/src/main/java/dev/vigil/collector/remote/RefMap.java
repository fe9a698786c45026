package dev.vigil.collector.remote;

import java.util.Arrays;
import java.util.function.BiPredicate;

/**
 * Series ref to value, open addressing with linear probing over primitive keys so the per-sample
 * lookup neither boxes nor allocates. Ref 0 is reserved (never a series ref). Not thread-safe.
 */
final class RefMap<V> {
  private long[] keys = new long[64];
  private Object[] values = new Object[64];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long ref) {
    int mask = keys.length - 1;
    for (int i = slot(ref, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == ref) {
        return (V) values[i];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  void put(long ref, V value) {
    if (ref == 0) {
      throw new IllegalArgumentException("series ref 0 is reserved");
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = slot(ref, mask); ; i = (i + 1) & mask) {
      if (keys[i] == ref) {
        values[i] = value;
        return;
      }
      if (keys[i] == 0) {
        keys[i] = ref;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  /** Removes every entry for which {@code drop} answers true; rebuilds the table once. */
  @SuppressWarnings("unchecked")
  void removeIf(BiPredicate<Long, V> drop) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length];
    values = new Object[oldValues.length];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0 && !drop.test(oldKeys[i], (V) oldValues[i])) {
        put(oldKeys[i], (V) oldValues[i]);
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldValues.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != 0) {
        put(oldKeys[i], oldValues[i] == null ? null : cast(oldValues[i]));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private V cast(Object o) {
    return (V) o;
  }

  void clear() {
    Arrays.fill(keys, 0);
    Arrays.fill(values, null);
    size = 0;
  }

  private static int slot(long ref, int mask) {
    long h = ref * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
