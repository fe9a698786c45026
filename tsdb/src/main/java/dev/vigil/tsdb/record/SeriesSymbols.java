package dev.vigil.tsdb.record;

import java.util.Arrays;

/**
 * The symbol table of one series record v2 being written (type 19, {@code FORMAT.md}): every
 * label name and value of its series once, numbered in sorted order. Open addressing over the
 * strings; label strings are mostly interned, so most probes end at an identity test. Not
 * thread-safe, reusable: {@link #add} every string, then {@link #sort}, then {@link #id}.
 */
final class SeriesSymbols {
  private String[] keys = new String[64];
  private int[] ids = new int[64];
  private String[] sorted = new String[32];
  private int size;

  void clear() {
    if (size == 0) {
      return;
    }
    if (keys.length > 1024 && size * 8 < keys.length) {
      // Grown by an earlier, larger record: the commits after a burst of new series write a
      // few each, and clearing the whole table would cost each of them the burst's size.
      keys = new String[64];
      ids = new int[64];
    } else {
      Arrays.fill(keys, null);
    }
    Arrays.fill(sorted, 0, size, null);
    size = 0;
  }

  /** Adds {@code s} unless it is in already. */
  void add(String s) {
    int slot = find(s);
    if (keys[slot] != null) {
      return;
    }
    keys[slot] = s;
    if (size == sorted.length) {
      sorted = Arrays.copyOf(sorted, size * 2);
    }
    sorted[size++] = s;
    if (size * 2 > keys.length) {
      rehash();
    }
  }

  /** Sorts the symbols added: {@link #id} and {@link #get} then go by their rank. */
  void sort() {
    Arrays.sort(sorted, 0, size);
    for (int i = 0; i < size; i++) {
      ids[find(sorted[i])] = i;
    }
  }

  int size() {
    return size;
  }

  /** The symbol of rank {@code i} (after {@link #sort}). */
  String get(int i) {
    return sorted[i];
  }

  /** The rank of {@code s}, which was added (after {@link #sort}). */
  int id(String s) {
    int slot = find(s);
    if (keys[slot] == null) {
      throw new IllegalArgumentException("not a symbol of this record: " + s);
    }
    return ids[slot];
  }

  private int find(String s) {
    int mask = keys.length - 1;
    int h = s.hashCode();
    for (int i = (h ^ (h >>> 16)) & mask; ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null || k == s || k.equals(s)) {
        return i;
      }
    }
  }

  private void rehash() {
    String[] old = keys;
    keys = new String[old.length * 2];
    ids = new int[keys.length];
    for (String k : old) {
      if (k != null) {
        keys[find(k)] = k;
      }
    }
  }
}
