package dev.vigil.tsdb.head;

import java.util.Arrays;

/**
 * Open-addressing map from series id (a positive int) to an int, without boxing: the appender
 * keeps per series the batch index of its last pending sample here.
 */
final class SeriesIndexMap {
  private int[] keys = new int[64];
  private int[] values = new int[64];
  private int size;

  int get(int key, int missing) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == 0) {
        return missing;
      }
    }
  }

  /**
   * The slot of {@code key}, inserted with value {@code missing} if absent: one probe for a
   * get followed by a put ({@link #valueAt}, {@link #setAt}; valid until the next insertion).
   */
  int slot(int key, int missing) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        return i;
      }
      if (k == 0) {
        keys[i] = key;
        values[i] = missing;
        size++;
        return i;
      }
    }
  }

  int valueAt(int slot) {
    return values[slot];
  }

  void setAt(int slot, int value) {
    values[slot] = value;
  }

  void put(int key, int value) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
      if (keys[i] == 0) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
    }
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(keys, 0);
      size = 0;
    }
  }

  private void grow() {
    int[] ok = keys;
    int[] ov = values;
    keys = new int[ok.length * 2];
    values = new int[ok.length * 2];
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != 0) {
        put(ok[i], ov[i]);
      }
    }
  }

  /**
   * Keeps runs of consecutive ids (a scrape's series, created together) in consecutive slots:
   * no collisions among them and one cache line per 16 keys, where a scrambling hash costs a
   * random probe each. Folding the high bits in spreads ids that differ only there (a stride
   * of the table size), which would otherwise all land in one cluster.
   */
  private static int mix(int k) {
    return k ^ (k >>> 12) ^ (k >>> 24);
  }
}
