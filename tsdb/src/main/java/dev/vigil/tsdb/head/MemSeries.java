package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.HistogramChunk;
import dev.vigil.tsdb.chunkenc.XorChunk;
import java.util.Arrays;

/**
 * One series in the head. Mutable state is guarded by the head's stripe lock for {@link #id}
 * (see {@code Head.lockFor}); only the committer (under the head's commit lock) mutates it.
 * {@link #maxT} is also read without the lock by appenders as an early check: it only grows,
 * so a stale read can let a sample through to the authoritative check at commit, never reject
 * one wrongly.
 */
final class MemSeries {
  final int id;
  final Labels labels;
  /** Set once a series record for this series is in the commit log. */
  volatile boolean logged;
  /**
   * Set (under the head's commit lock) when the head garbage-collected the series; an appender
   * holding it re-resolves its labels at commit.
   */
  boolean removed;

  // In-order data: chunks[0..nChunks), the last one open for appends.
  // Capacity 1: an active series mostly has one chunk (saves ~16 bytes per series).
  private Chunk[] chunks = new Chunk[1];
  private long[] chunkMinT = new long[1];
  private long[] chunkMaxT = new long[1];
  private int nChunks;
  long minT = Long.MAX_VALUE;
  long maxT = Long.MIN_VALUE;
  private long lastVBits;
  private FloatHistogram lastH;

  // Out-of-order samples and tombstones, null until the first of either.
  private Rare rare;

  /**
   * State most series never have, kept apart so a plain series carries one null reference
   * instead of five fields (head memory per series).
   */
  private static final class Rare {
    // Out-of-order samples, sorted by time, kept apart and merged on read.
    long[] oooT;
    double[] oooV;
    FloatHistogram[] oooH;
    int oooN;
    /** Tombstones: sorted disjoint closed intervals [min0, max0, ...], hidden on read. */
    long[] deleted;
  }

  private Rare rare() {
    if (rare == null) {
      rare = new Rare();
    }
    return rare;
  }

  private int oooN() {
    return rare == null ? 0 : rare.oooN;
  }

  MemSeries(int id, Labels labels) {
    this.id = id;
    this.labels = labels;
  }

  boolean hasData() {
    return nChunks > 0 || oooN() > 0;
  }

  long dataMinT() {
    return oooN() > 0 ? Math.min(minT, rare.oooT[0]) : minT;
  }

  /** Upper bound of the data: {@link #maxT}, or the newest OOO sample if no chunk is left. */
  long dataMaxTBound() {
    return nChunks > 0 ? maxT : (oooN() > 0 ? rare.oooT[rare.oooN - 1] : Long.MIN_VALUE);
  }

  /** Whether {@code (t, v)} repeats the newest in-order sample exactly (an idempotent retry). */
  boolean isDuplicateOfLast(long t, double v, FloatHistogram h) {
    if (t != maxT) {
      return false;
    }
    // The stored histogram may carry a head-assigned hint: compare the data, not the hint.
    return h == null ? lastH == null && Double.doubleToRawLongBits(v) == lastVBits
        : h.equalsExact(lastH);
  }

  /** Appends after {@link #maxT}; the caller checked the order. */
  void appendInOrder(long t, double v, FloatHistogram h, int samplesPerChunk) {
    Chunk open = nChunks == 0 ? null : chunks[nChunks - 1];
    boolean wantHist = h != null;
    boolean cut = open == null || open.numSamples() >= samplesPerChunk
        || (open instanceof HistogramChunk) != wantHist;
    if (cut) {
      if (open != null) {
        open.trimToSize();
      }
      if (nChunks == chunks.length) {
        chunks = Arrays.copyOf(chunks, nChunks * 2);
        chunkMinT = Arrays.copyOf(chunkMinT, nChunks * 2);
        chunkMaxT = Arrays.copyOf(chunkMaxT, nChunks * 2);
      }
      open = wantHist ? new HistogramChunk() : new XorChunk();
      chunkMinT[nChunks] = t;
      chunks[nChunks++] = open;
    }
    if (wantHist) {
      h = withHeadHint(h, lastH);
      ((HistogramChunk) open).append(t, h);
      lastH = h;
    } else {
      ((XorChunk) open).append(t, v);
      lastVBits = Double.doubleToRawLongBits(v);
      lastH = null;
    }
    chunkMaxT[nChunks - 1] = t;
    if (minT == Long.MAX_VALUE) {
      minT = t;
    }
    maxT = t;
  }

  /**
   * Drops whole chunks whose samples all lie before {@code t} and out-of-order samples before
   * it (they are in a block now). Keeps {@link #maxT}, so order checks stay right. Call under
   * the stripe lock.
   */
  void truncateBefore(long t) {
    int drop = 0;
    while (drop < nChunks && chunkMaxT[drop] < t) {
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(chunks, drop, chunks, 0, nChunks - drop);
      System.arraycopy(chunkMinT, drop, chunkMinT, 0, nChunks - drop);
      System.arraycopy(chunkMaxT, drop, chunkMaxT, 0, nChunks - drop);
      Arrays.fill(chunks, nChunks - drop, nChunks, null);
      nChunks -= drop;
      if (nChunks == 0 && chunks.length > 1) {
        chunks = new Chunk[1];
        chunkMinT = new long[1];
        chunkMaxT = new long[1];
      }
    }
    minT = nChunks > 0 ? chunkMinT[0] : Long.MAX_VALUE;
    if (oooN() > 0) {
      int keep = 0;
      while (keep < rare.oooN && rare.oooT[keep] < t) {
        keep++;
      }
      if (keep > 0) {
        System.arraycopy(rare.oooT, keep, rare.oooT, 0, rare.oooN - keep);
        System.arraycopy(rare.oooV, keep, rare.oooV, 0, rare.oooN - keep);
        if (rare.oooH != null) {
          System.arraycopy(rare.oooH, keep, rare.oooH, 0, rare.oooN - keep);
          Arrays.fill(rare.oooH, rare.oooN - keep, rare.oooN, null);
        }
        rare.oooN -= keep;
      }
    }
  }

  /** Hides samples in {@code [min, max]} from now on (a tombstone). */
  void delete(long min, long max) {
    Rare r = rare();
    r.deleted = DeletedIntervalsIterator.add(r.deleted == null ? new long[0] : r.deleted, min, max);
  }

  /**
   * The counter reset hint Prometheus's head reports: a counter histogram continuing the
   * previous in-order histogram without a reset reads back as {@code NOT_COUNTER_RESET}; after a
   * float, at the start, after a (detected or declared) reset and for gauges the appended hint
   * stands. Deterministic, so WAL replay (which logs the appended form) reproduces it.
   */
  private static FloatHistogram withHeadHint(FloatHistogram h, FloatHistogram prev) {
    if (prev == null || h.counterResetHint() == CounterResetHint.GAUGE
        || prev.counterResetHint() == CounterResetHint.GAUGE
        || h.counterResetHint() == CounterResetHint.COUNTER_RESET
        || h.counterResetHint() == CounterResetHint.NOT_COUNTER_RESET || h.detectReset(prev)) {
      return h;
    }
    return h.withCounterResetHint(CounterResetHint.NOT_COUNTER_RESET);
  }

  /** Inserts an out-of-order sample; a sample at an existing OOO timestamp replaces it. */
  void insertOutOfOrder(long t, double v, FloatHistogram h) {
    Rare rare = rare();
    if (rare.oooT == null) {
      rare.oooT = new long[8];
      rare.oooV = new double[8];
    }
    int i = Arrays.binarySearch(rare.oooT, 0, rare.oooN, t);
    if (i >= 0) {
      rare.oooV[i] = v;
      setOooH(i, h);
      return;
    }
    int at = -i - 1;
    if (rare.oooN == rare.oooT.length) {
      rare.oooT = Arrays.copyOf(rare.oooT, rare.oooN * 2);
      rare.oooV = Arrays.copyOf(rare.oooV, rare.oooN * 2);
      if (rare.oooH != null) {
        rare.oooH = Arrays.copyOf(rare.oooH, rare.oooN * 2);
      }
    }
    System.arraycopy(rare.oooT, at, rare.oooT, at + 1, rare.oooN - at);
    System.arraycopy(rare.oooV, at, rare.oooV, at + 1, rare.oooN - at);
    if (rare.oooH != null) {
      System.arraycopy(rare.oooH, at, rare.oooH, at + 1, rare.oooN - at);
      rare.oooH[at] = null;
    }
    rare.oooT[at] = t;
    rare.oooV[at] = v;
    rare.oooN++;
    setOooH(at, h);
  }

  private void setOooH(int i, FloatHistogram h) {
    Rare rare = this.rare;
    if (h != null && rare.oooH == null) {
      rare.oooH = new FloatHistogram[rare.oooT.length];
    }
    if (rare.oooH != null) {
      rare.oooH[i] = h;
    }
  }

  /**
   * An iterator over the data present now, restricted to {@code [mint, maxt]}; call under the
   * series' stripe lock. Closed chunks are shared (immutable); the open chunk's iterator is
   * created here so it captures the current sample count.
   */
  SampleIterator snapshotIterator(long mint, long maxt) {
    int first = 0;
    while (first < nChunks && chunkMaxT[first] < mint) {
      first++;
    }
    int n = nChunks - first;
    Chunk[] cs = Arrays.copyOfRange(chunks, first, nChunks);
    long[] maxTs = Arrays.copyOfRange(chunkMaxT, first, nChunks);
    SampleIterator open = n > 0 ? cs[n - 1].iterator(null) : null;
    SampleIterator it = new HeadChunkIterator(cs, maxTs, n, open);
    if (oooN() > 0) {
      Rare r = rare;
      SampleIterator ooo = new ArraySampleIterator(Arrays.copyOf(r.oooT, r.oooN),
          Arrays.copyOf(r.oooV, r.oooN), r.oooH == null ? null : Arrays.copyOf(r.oooH, r.oooN),
          r.oooN);
      it = new MergeIterator(it, ooo);
    }
    if (rare != null && rare.deleted != null) {
      it = new DeletedIntervalsIterator(it, rare.deleted);
    }
    return new BoundedIterator(it, mint, maxt);
  }

  /** Whether some sample lies in {@code [mint, maxt]}, deciding from bounds when it can. */
  boolean cheapOverlap(long mint, long maxt) {
    return hasData() && dataMinT() <= maxt && dataMaxTBound() >= mint;
  }

  /** Whether the series bounds alone prove a sample in range (an endpoint lies inside it). */
  boolean boundsProveSample(long mint, long maxt) {
    if (rare != null && rare.deleted != null) {
      return false; // a tombstone may hide the bounding samples
    }
    long lo = dataMinT();
    long hi = dataMaxTBound();
    return (lo >= mint && lo <= maxt) || (hi >= mint && hi <= maxt);
  }
}
