package dev.vigil.tsdb;

import java.util.Arrays;

/**
 * The ref columns replay's read-ahead thread has decoded, so that the float records of one
 * layout (a scrape target's or a sender's batch, logged again every interval with the same
 * refs in the same order) hold one array of refs between them instead of one each: a held
 * record then takes 8 bytes per sample fewer, and a window holds that many more samples of
 * each series in the same heap. A column seen once costs its hash; seen again, it is copied
 * once into an array that is never written afterwards and handed to every later record with
 * the same refs. On the read-ahead thread only. Bounded: past {@value #MAX_COLUMNS} columns or
 * its refs in shared arrays (at most {@value #MAX_REFS}) it starts over (arrays handed out stay
 * valid).
 */
final class RefColumns {
  static final int MAX_COLUMNS = 4096;
  static final long MAX_REFS = 1L << 22;

  // Open addressing at most half full: a column's hash, length, and its shared array (null
  // while seen once).
  private final long[] hashes = new long[2 * MAX_COLUMNS];
  private final int[] lengths = new int[2 * MAX_COLUMNS];
  private final long[][] shared = new long[2 * MAX_COLUMNS][];
  private final boolean[] used = new boolean[2 * MAX_COLUMNS];
  private int columns;
  private long refsShared;
  private final long maxRefs;

  RefColumns() {
    this(MAX_REFS);
  }

  /** Holding at most {@code maxRefs} refs in shared arrays (at least 65,536). */
  RefColumns(long maxRefs) {
    this.maxRefs = Math.max(1 << 16, Math.min(MAX_REFS, maxRefs));
  }

  /**
   * The array holding exactly {@code refs[0, n)} that earlier records with this column hold
   * too (never to be written), or null when this column is not shared (yet): the caller keeps
   * its own copy.
   */
  long[] shared(long[] refs, int n) {
    long h = FloatRecordWindow.refsHash(refs, n);
    int mask = hashes.length - 1;
    for (int slot = (int) (h ^ (h >>> 32)) & mask; ; slot = (slot + 1) & mask) {
      if (!used[slot]) {
        if (columns == MAX_COLUMNS) {
          clear();
          return shared(refs, n);
        }
        used[slot] = true;
        hashes[slot] = h;
        lengths[slot] = n;
        columns++;
        return null;
      }
      if (hashes[slot] == h && lengths[slot] == n) {
        long[] column = shared[slot];
        if (column == null) {
          if (refsShared + n > maxRefs) {
            clear();
            return null;
          }
          column = shared[slot] = Arrays.copyOf(refs, n);
          refsShared += n;
          return column;
        }
        return Arrays.equals(column, 0, n, refs, 0, n) ? column : null;
      }
    }
  }

  private void clear() {
    Arrays.fill(used, false);
    Arrays.fill(shared, null);
    columns = 0;
    refsShared = 0;
  }
}
