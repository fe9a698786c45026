package dev.vigil.tsdb;

import dev.vigil.tsdb.head.Head;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A stretch of consecutive float-samples records held back during WAL replay so that records
 * logging the same refs in the same order (a scrape target's or a sender's batch, committed
 * again every interval) can be applied series by series: each series, and the tail of its
 * chunk, is then fetched into the CPU caches once for all its samples in the stretch, instead
 * of once per sample, which is what replay of a young head spends most of its time on.
 *
 * <p>Records are grouped by their exact ref column. Applying group after group reorders
 * samples across records, which leaves every series' own samples in log order, and so the
 * result unchanged, only when no series appears twice among the groups' columns (twice in one
 * record, in two different layouts, or under two refs): {@link #group} checks that, and when it
 * fails the stretch is replayed record by record as logged. A stretch whose layouts do not
 * repeat (a series record closes the window after each record while series are created, or
 * senders batch differently every time) goes layout by layout too, one record per layout: it
 * costs the same, and the JIT then has one apply loop to compile during a restart, not two.
 */
final class FloatRecordWindow {
  /** One layout: the records of the window that log exactly these refs. */
  static final class Group {
    long[] refs;
    int n;
    /** Per record, its timestamps, or null when they are all {@link #sharedTs}'s entry. */
    long[][] ts = new long[4][];
    long[] sharedTs = new long[4];
    double[][] vs = new double[4][];
    int k;
    /** Per apply shard, the positions whose series that shard applies. */
    int[][] positions = new int[0][];
    int[] counts = new int[0];

    private void add(ReadAheadDecoder.Floats f) {
      if (k == ts.length) {
        ts = Arrays.copyOf(ts, k * 2);
        sharedTs = Arrays.copyOf(sharedTs, k * 2);
        vs = Arrays.copyOf(vs, k * 2);
      }
      ts[k] = f.tsShared ? null : f.ts;
      sharedTs[k] = f.sharedT;
      vs[k] = f.vs;
      k++;
    }

    private void clear() {
      refs = null;
      Arrays.fill(ts, 0, k, null);
      Arrays.fill(vs, 0, k, null);
      k = 0;
    }
  }

  /** The most decoded bytes a window holds ({@link ReadAheadDecoder.Floats#decodedBytes}). */
  private final long maxBytes;
  private final int maxRecords;
  /** Where the current window closes: from an eighth of maxBytes, doubling per window. */
  private long limit;
  private final List<ReadAheadDecoder.Floats> records = new ArrayList<>();
  private long bytes;
  private final List<Group> groups = new ArrayList<>();
  private int used;
  /** Open-addressed: group index + 1 by hash of the ref column, 0 when free. */
  private int[] table = new int[64];
  private long[] hashes = new long[64];
  /** Per series id, the window that last saw it (see {@link #group}). */
  private int[] seen = new int[1024];
  private int epoch;

  /**
   * A window closes at {@code maxSamples} samples or {@code maxRecords} records: its decoded
   * records stay on the heap until applied, and samples count as their decoded bytes do, so
   * that records whose samples share a timestamp, and whose refs are shared with the other
   * records of their layout (8 bytes per sample, not 24), fill a window of {@code maxSamples}
   * full-size samples' bytes with up to 3 times as many. The first windows are
   * smaller: the apply threads wait for the read-ahead thread to decode a whole window before
   * they start, and early in a restart it decodes slowly (not compiled yet).
   */
  FloatRecordWindow(int maxSamples, int maxRecords) {
    this.maxBytes = (long) maxSamples * ReadAheadDecoder.Floats.BYTES_PER_SAMPLE;
    this.maxRecords = maxRecords;
    this.limit = Math.max(1, maxBytes / 8);
  }

  /** Holds {@code f} back; returns whether the window is full now. */
  boolean add(ReadAheadDecoder.Floats f) {
    records.add(f);
    bytes += f.decodedBytes();
    return bytes >= limit || records.size() >= maxRecords;
  }

  boolean isEmpty() {
    return records.isEmpty();
  }

  /** The held records, in log order. */
  List<ReadAheadDecoder.Floats> records() {
    return records;
  }

  /** After a successful {@link #group}: the layouts, each with its records in log order. */
  List<Group> groups() {
    return groups.subList(0, used);
  }

  /**
   * Groups the held records by layout and splits each layout's positions over {@code shards}
   * apply shards as {@link ShardedApply} routes series. Returns false when the window must be
   * replayed record by record: a series appears twice.
   */
  boolean group(Head head, int shards) {
    clearGroups();
    int mask = tableSize(records.size()) - 1;
    for (ReadAheadDecoder.Floats f : records) {
      layoutOf(f, mask).add(f);
    }
    if (++epoch == Integer.MAX_VALUE) {
      Arrays.fill(seen, 0);
      epoch = 1;
    }
    boolean aliases = head.replayHasAliases();
    int idLimit = head.replayIdLimit();
    for (int gi = 0; gi < used; gi++) {
      if (!splitOverShards(groups.get(gi), head, aliases, idLimit, shards)) {
        return false;
      }
    }
    return true;
  }

  /** The group of records logging exactly {@code f}'s refs, new if none yet. */
  private Group layoutOf(ReadAheadDecoder.Floats f, int mask) {
    long h = refsHash(f.refs, f.n);
    int slot = (int) (h ^ (h >>> 32)) & mask;
    while (table[slot] != 0) {
      Group c = groups.get(table[slot] - 1);
      // Records of a layout the read-ahead thread has seen before share one refs array.
      if (hashes[slot] == h && c.n == f.n
          && (c.refs == f.refs || Arrays.equals(c.refs, 0, c.n, f.refs, 0, f.n))) {
        return c;
      }
      slot = (slot + 1) & mask;
    }
    Group g = newGroup();
    g.refs = f.refs;
    g.n = f.n;
    table[slot] = used;
    hashes[slot] = h;
    return g;
  }

  /**
   * Fills {@code g}'s positions per shard; returns false when one of its series was seen in
   * this window already (at another position, of this layout or an earlier one). Refs from
   * {@code idLimit} on have no series (nothing of theirs is applied, so they may repeat) and
   * are not tracked: a stray huge ref must not size the tracking array.
   */
  private boolean splitOverShards(Group g, Head head, boolean aliases, int idLimit,
      int shards) {
    if (g.positions.length != shards) {
      g.positions = new int[shards][];
      g.counts = new int[shards];
    }
    Arrays.fill(g.counts, 0);
    for (int i = 0; i < g.n; i++) {
      long ref = g.refs[i];
      long key = aliases ? head.replaySeriesId(ref) : ref;
      if (key > 0 && key < idLimit) {
        int id = (int) key;
        if (id >= seen.length) {
          seen = Arrays.copyOf(seen, Math.max(id + 1, seen.length * 2));
        }
        if (seen[id] == epoch) {
          return false;
        }
        seen[id] = epoch;
      }
      int w = ShardedApply.shardOf(key, shards);
      int c = g.counts[w];
      int[] p = g.positions[w];
      if (p == null || c == p.length) {
        p = g.positions[w] = Arrays.copyOf(p == null ? new int[0] : p, Math.max(16, c * 2));
      }
      p[c] = i;
      g.counts[w] = c + 1;
    }
    return true;
  }

  /** Forgets the held records (after they were applied and handed back). */
  void clear() {
    if (bytes >= limit) {
      limit = Math.min(maxBytes, limit * 2);
    }
    records.clear();
    bytes = 0;
    clearGroups();
  }

  private void clearGroups() {
    for (int i = 0; i < used; i++) {
      groups.get(i).clear();
    }
    used = 0;
  }

  private Group newGroup() {
    if (used == groups.size()) {
      groups.add(new Group());
    }
    return groups.get(used++);
  }

  /** Clears the hash table, sized to at least twice {@code entries}; returns its size. */
  private int tableSize(int entries) {
    int size = table.length;
    while (size < entries * 2) {
      size *= 2;
    }
    if (size != table.length) {
      table = new int[size];
      hashes = new long[size];
    } else {
      Arrays.fill(table, 0);
    }
    return size;
  }

  /**
   * A hash of a ref column from its length and a few refs spread over it: equal columns hash
   * alike, and {@link #group} compares candidates in full (a vectorised compare that stops at
   * the first difference).
   */
  static long refsHash(long[] refs, int n) {
    long h = n * 0x9E3779B97F4A7C15L;
    if (n == 0) {
      return h;
    }
    for (int s = 0; s < 8; s++) {
      h = (h ^ refs[(int) ((long) (n - 1) * s / 7)]) * 0x9E3779B97F4A7C15L;
    }
    return h ^ (h >>> 29);
  }
}
