package dev.vigil.collector.scrape;

import dev.vigil.collector.exposition.ExpositionParser;
import dev.vigil.model.labels.Labels;

/**
 * Per-loop cache from a series' raw exposition text to its final labels (after target labels
 * and metric relabelling), like Prometheus's scrape cache: a steady target's lines repeat byte
 * for byte, so later scrapes skip label decoding and relabelling. Each entry also keeps the
 * store's series reference from the last append, so the store skips its label lookup too (as
 * Prometheus's cache keeps the ref). Open addressing on the parser's 64-bit text hash with the
 * bytes kept to confirm a hit; lookups allocate nothing.
 * Entries unseen for {@link #MAX_AGE} scrapes are dropped. Not thread-safe (one loop owns it).
 */
final class SeriesCache {
  static final int MAX_AGE = 2;
  /** Marks a series that metric relabelling dropped. */
  static final Labels DROPPED = Labels.of("__dropped__", "true");

  private long[] hashes = new long[64];
  private byte[][] keys = new byte[64][];
  private Labels[] values = new Labels[64];
  private long[] refs = new long[64];
  private int[] lastSeen = new int[64];
  /** Slot of the entry the last {@link #get} hit or {@link #put} made, for {@link #ref}. */
  private int current = -1;
  private int size;
  private int scrape;

  /** Starts a scrape; entries are aged against it. */
  void beginScrape() {
    scrape++;
  }

  /** The cached labels for the parser's current series, or null. Marks the entry as seen. */
  Labels get(ExpositionParser p) {
    long h = p.seriesHash();
    int mask = keys.length - 1;
    for (int i = (int) mix(h) & mask; keys[i] != null; i = (i + 1) & mask) {
      if (hashes[i] == h && p.seriesBytesEqual(keys[i], 0, keys[i].length)) {
        lastSeen[i] = scrape;
        current = i;
        return values[i];
      }
    }
    current = -1;
    return null;
  }

  /** The store's reference of the entry last found or put (0: none yet). */
  long ref() {
    return current < 0 ? 0 : refs[current];
  }

  /** Remembers the store's reference for the entry last found or put. */
  void setRef(long ref) {
    if (current >= 0) {
      refs[current] = ref;
    }
  }

  void put(ExpositionParser p, Labels labels) {
    if ((size + 1) * 2 > keys.length) {
      rehash(keys.length * 2);
    }
    current = insert(p.seriesHash(), p.seriesBytes(), labels, 0, scrape);
    size++;
  }

  int size() {
    return size;
  }

  /** Drops entries not seen in the last {@link #MAX_AGE} scrapes. */
  void sweep() {
    int live = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null && scrape - lastSeen[i] < MAX_AGE) {
        live++;
      }
    }
    if (live == size) {
      return;
    }
    long[] oh = hashes;
    byte[][] ok = keys;
    Labels[] ov = values;
    long[] or = refs;
    int[] os = lastSeen;
    int cap = 64;
    while (live * 2 >= cap) {
      cap <<= 1;
    }
    allocate(cap);
    size = 0;
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != null && scrape - os[i] < MAX_AGE) {
        insert(oh[i], ok[i], ov[i], or[i], os[i]);
        size++;
      }
    }
  }

  private void rehash(int cap) {
    long[] oh = hashes;
    byte[][] ok = keys;
    Labels[] ov = values;
    long[] or = refs;
    int[] os = lastSeen;
    allocate(cap);
    for (int i = 0; i < ok.length; i++) {
      if (ok[i] != null) {
        insert(oh[i], ok[i], ov[i], or[i], os[i]);
      }
    }
  }

  private void allocate(int cap) {
    hashes = new long[cap];
    keys = new byte[cap][];
    values = new Labels[cap];
    refs = new long[cap];
    lastSeen = new int[cap];
    current = -1;
  }

  private int insert(long h, byte[] key, Labels v, long ref, int seen) {
    int mask = keys.length - 1;
    int i = (int) mix(h) & mask;
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    hashes[i] = h;
    keys[i] = key;
    values[i] = v;
    refs[i] = ref;
    lastSeen[i] = seen;
    return i;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }
}
