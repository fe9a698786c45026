package dev.vigil.tsdb.head;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.XorHistogramChunk;
import dev.vigil.tsdb.chunkenc.XorAppender;
import dev.vigil.tsdb.chunks.HeadChunks;
import java.util.Arrays;
import java.util.List;

/**
 * One series in the head. Mutable state is guarded by the head's stripe lock for {@link #id}
 * (see {@code Head.lockFor}); only the committer (under the head's commit lock) mutates it.
 * {@link #maxT} is also read without the lock by appenders as an early check: it only grows,
 * so a stale read can let a sample through to the authoritative check at commit, never reject
 * one wrongly.
 *
 * <p>The series is itself the encoder of its open float chunk ({@link XorAppender}): no chunk
 * object and no pointer hop between the series and the buffer an append writes to. An open
 * histogram chunk is a {@link XorHistogramChunk} object; at most one of the two holds samples.
 */
final class MemSeries extends XorAppender {
  final int id;
  final Labels labels;
  /** Set once a series record for this series is in the commit log. */
  volatile boolean logged;
  /** The commit log's state of this series ({@link CommitBatch#logStateGeneration}); under the commit lock. */
  long logStateGeneration;
  long logStateBits;
  /**
   * Set (under the head's commit lock) when the head garbage-collected the series; an appender
   * holding it re-resolves its labels at commit.
   */
  boolean removed;
  /**
   * Set when the newest in-order sample lives in a closed chunk loaded at restart, so
   * {@link #lastVBits}/{@link #lastH} are unknown until read back from it.
   */
  private boolean lastInClosed;

  // In-order data: closed chunks (full, in HeadChunks, referenced by [ref, maxT] pairs, sized
  // exactly: one copy per 120 samples), then the open chunk, if any: the float chunk this
  // series encodes (xorSamples() > 0) or a histogram chunk.
  private static final long[] NO_CLOSED = new long[0];
  /** Shared by the snapshots of series without out-of-order samples (most of them). */
  private static final double[] NO_VALUES = new double[0];
  private static final String OPEN_RESOURCE = "open xor chunk";
  private long[] closed = NO_CLOSED;
  private XorHistogramChunk openHistogram;
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
    super(false);
    this.id = id;
    this.labels = labels;
  }

  private int nClosed() {
    return closed.length >> 1;
  }

  private boolean hasOpen() {
    return openHistogram != null || xorSamples() > 0;
  }

  private boolean hasInOrder() {
    return hasOpen() || closed.length > 0;
  }

  /** The open chunk's samples so far; call only when {@link #hasOpen}. */
  private SampleIterator openIterator() {
    return openHistogram != null ? openHistogram.iterator(null) : xorIterator(null, OPEN_RESOURCE);
  }

  boolean hasData() {
    return hasInOrder() || oooN() > 0;
  }

  /** The max time of the newest closed chunk, {@code Long.MIN_VALUE} without one. */
  long closedMaxT() {
    return closed.length == 0 ? Long.MIN_VALUE : closed[closed.length - 1];
  }

  long dataMinT() {
    return oooN() > 0 ? Math.min(minT, rare.oooT[0]) : minT;
  }

  /** Upper bound of the data: {@link #maxT}, or the newest OOO sample if no chunk is left. */
  long dataMaxTBound() {
    return hasInOrder() ? maxT : (oooN() > 0 ? rare.oooT[rare.oooN - 1] : Long.MIN_VALUE);
  }

  /** Whether {@code (t, v)} repeats the newest in-order sample exactly (an idempotent retry). */
  boolean isDuplicateOfLast(long t, double v, FloatHistogram h, HeadChunks store) {
    if (t != maxT) {
      return false;
    }
    loadLast(store);
    return sameSample(lastH, lastVBits, v, h);
  }

  /** Reads the newest in-order sample back from the closed chunk it was loaded in. */
  private void loadLast(HeadChunks store) {
    if (!lastInClosed) {
      return;
    }
    lastInClosed = false;
    SampleIterator it = store.read(closed[closed.length - 2]).iterator(null);
    lastH = null;
    for (var k = it.next(); k != ValueKind.NONE; k = it.next()) {
      if (k == ValueKind.FLOAT) {
        lastVBits = Double.doubleToRawLongBits(it.atF());
        lastH = null;
      } else {
        lastH = it.atHistogram();
      }
    }
  }

  /**
   * Reads the series' own fields and returns nothing meaningful. With {@link #touchForAppend},
   * the commit's software prefetch: each series and the tail of its chunk buffer are a random
   * cache line (often a TLB miss too) in a large heap, and Java has no prefetch instruction, so
   * a commit first runs tight loops that only read these lines for the whole batch. Such a loop
   * keeps many misses in flight at once; the commit's real work, which would stall on each miss
   * one after the other, then finds the lines in cache. The results are folded into a value
   * kept by the caller so that the loads are not optimised away.
   */
  int touch() {
    // Every field the commit's validation reads: the object spans two or three cache lines.
    return (int) maxT ^ id ^ (removed ? 1 : 0) ^ (logged ? 2 : 0);
  }

  /** Reads the tail of the open float chunk's buffer, where the next append writes. */
  int touchForAppend() {
    return tailByte();
  }

  /**
   * Appends after {@link #maxT}; the caller checked the order. A full chunk goes to
   * {@code store} and the series keeps its reference.
   */
  void appendInOrder(long t, double v, FloatHistogram h, int samplesPerChunk, HeadChunks store) {
    if (h != null) {
      if (xorSamples() > 0
          || (openHistogram != null && openHistogram.numSamples() >= samplesPerChunk)) {
        closeOpen(store);
      }
      if (openHistogram == null) {
        openHistogram = new XorHistogramChunk();
      }
      loadLast(store);
      h = withHeadHint(h, lastH);
      openHistogram.append(t, h);
      lastH = h;
    } else {
      if (openHistogram != null || xorSamples() >= samplesPerChunk) {
        closeOpen(store);
      }
      appendXor(t, v);
      lastVBits = Double.doubleToRawLongBits(v);
      lastH = null;
    }
    lastInClosed = false;
    if (minT == Long.MAX_VALUE) {
      minT = t;
    }
    maxT = t;
  }

  /**
   * Replay: makes room in the open float chunk for the samples it takes until it is full, as
   * projected from those in it ({@link XorAppender#reserveXor}), so that the samples replayed
   * into it next do not grow it step by step.
   */
  void reserveOpenChunk(int samplesPerChunk) {
    if (openHistogram == null) {
      reserveXor(samplesPerChunk);
    }
  }

  private void closeOpen(HeadChunks store) {
    Chunk open = openHistogram != null ? openHistogram : closeXor();
    openHistogram = null;
    long openMinT = firstT(open);
    long ref = store.write(id, openMinT, maxT, open);
    long[] c = Arrays.copyOf(closed, closed.length + 2);
    c[c.length - 2] = ref;
    c[c.length - 1] = maxT;
    closed = c;
  }

  private static long firstT(Chunk c) {
    return firstT(c.iterator(null));
  }

  private static long firstT(SampleIterator it) {
    it.next();
    return it.atT();
  }

  /**
   * Replay: adopts closed chunks found in the head chunk files ({@code refs[i]} spanning
   * {@code [minTs[i], maxTs[i]]}, in time order) as this series' oldest data. Only for a series
   * with no in-order data yet.
   */
  void adoptClosed(long[] refs, long[] minTs, long[] maxTs, int from, int to) {
    long[] c = new long[(to - from) * 2];
    for (int i = from; i < to; i++) {
      c[(i - from) * 2] = refs[i];
      c[(i - from) * 2 + 1] = maxTs[i];
    }
    closed = c;
    minT = minTs[from];
    maxT = maxTs[to - 1];
    lastInClosed = true;
  }

  /**
   * Drops whole chunks whose samples all lie before {@code t} and out-of-order samples before
   * it (they are in a block now). Keeps {@link #maxT}, so order checks stay right. Call under
   * the stripe lock.
   */
  void truncateBefore(long t, HeadChunks store) {
    int drop = 0;
    int n = nClosed();
    while (drop < n && closed[drop * 2 + 1] < t) {
      store.release(closed[drop * 2]);
      drop++;
    }
    boolean openGoes = drop == n && hasOpen() && maxT < t;
    if (drop > 0) {
      closed = drop == n ? NO_CLOSED : Arrays.copyOfRange(closed, drop * 2, closed.length);
    }
    if (openGoes) {
      openHistogram = null;
      clearXor();
    }
    if (drop > 0 || openGoes) {
      minT = closed.length > 0 ? store.minTime(closed[0])
          : hasOpen() ? firstT(openIterator()) : Long.MAX_VALUE;
    }
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

  /** {@link #sampleAt}: the series holds no sample at that timestamp. */
  static final int NO_SAMPLE = 0;
  /** {@link #sampleAt}: the series holds this very sample at that timestamp. */
  static final int SAME_SAMPLE = 1;
  /** {@link #sampleAt}: the series holds another value at that timestamp. */
  static final int OTHER_SAMPLE = 2;

  /**
   * What the series holds at {@code t}, in order or out of order (deleted samples included: a
   * tombstone hides a new sample there as well): {@link #NO_SAMPLE}, {@link #SAME_SAMPLE} (the
   * same float bits, or a histogram {@link FloatHistogram#equalsExact} to {@code h}) or
   * {@link #OTHER_SAMPLE}. Decodes at most one chunk. Call under the stripe lock.
   */
  int sampleAt(long t, double v, FloatHistogram h, HeadChunks store) {
    if (oooN() > 0) {
      int i = Arrays.binarySearch(rare.oooT, 0, rare.oooN, t);
      if (i >= 0) {
        FloatHistogram held = rare.oooH == null ? null : rare.oooH[i];
        return sameSample(held, Double.doubleToRawLongBits(rare.oooV[i]), v, h)
            ? SAME_SAMPLE : OTHER_SAMPLE;
      }
    }
    if (!hasInOrder() || t < minT || t > maxT) {
      return NO_SAMPLE;
    }
    SampleIterator it = null;
    for (int i = 0, n = nClosed(); i < n && it == null; i++) {
      if (closed[i * 2 + 1] >= t) {
        it = store.read(closed[i * 2]).iterator(null);
      }
    }
    if (it == null) {
      if (!hasOpen()) {
        return NO_SAMPLE;
      }
      it = openIterator();
    }
    ValueKind k = it.seek(t);
    if (k == ValueKind.NONE || it.atT() != t) {
      return NO_SAMPLE;
    }
    FloatHistogram held = k == ValueKind.HISTOGRAM ? it.atHistogram() : null;
    long heldBits = held == null ? Double.doubleToRawLongBits(it.atF()) : 0;
    return sameSample(held, heldBits, v, h) ? SAME_SAMPLE : OTHER_SAMPLE;
  }

  /**
   * Whether {@code (v, h)} is the held sample: the same float bits, or a histogram with the
   * same data (a stored histogram may carry a head-assigned hint, so the hint is not compared).
   */
  private static boolean sameSample(FloatHistogram held, long heldBits, double v,
      FloatHistogram h) {
    return held == null ? h == null && Double.doubleToRawLongBits(v) == heldBits
        : held.equalsExact(h);
  }

  /**
   * Inserts an out-of-order sample; returns false, changing nothing, when one is there at that
   * timestamp already: the first stays, as in Prometheus (appenders refuse another value up
   * front, see {@link #sampleAt}; this is for commits that raced, and their replay).
   */
  boolean insertOutOfOrder(long t, double v, FloatHistogram h) {
    Rare rare = rare();
    if (rare.oooT == null) {
      rare.oooT = new long[8];
      rare.oooV = new double[8];
    }
    int i = Arrays.binarySearch(rare.oooT, 0, rare.oooN, t);
    if (i >= 0) {
      return false;
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
    return true;
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
  SampleIterator snapshotIterator(long mint, long maxt, HeadChunks store) {
    SampleIterator it = inOrderIterator(mint, store);
    if (oooN() > 0) {
      it = new MergeIterator(it, outOfOrderIterator());
    }
    if (rare != null && rare.deleted != null) {
      it = new DeletedIntervalsIterator(it, rare.deleted);
    }
    return new BoundedIterator(it, mint, maxt);
  }

  /**
   * The out-of-order samples present now (copies: the buffer changes under later inserts); call
   * under the stripe lock when {@link #oooN} is positive.
   */
  private SampleIterator outOfOrderIterator() {
    Rare r = rare;
    return new ArraySampleIterator(Arrays.copyOf(r.oooT, r.oooN), Arrays.copyOf(r.oooV, r.oooN),
        r.oooH == null ? null : Arrays.copyOf(r.oooH, r.oooN), r.oooN);
  }

  /** The in-order chunks ending at or after {@code mint}; call under the stripe lock. */
  private SampleIterator inOrderIterator(long mint, HeadChunks store) {
    int n = nClosed();
    int first = 0;
    while (first < n && closed[first * 2 + 1] < mint) {
      first++;
    }
    int m = n - first;
    int total = m + (hasOpen() ? 1 : 0);
    long[] refs = new long[m];
    long[] maxTs = new long[total];
    for (int i = 0; i < m; i++) {
      refs[i] = closed[(first + i) * 2];
      maxTs[i] = closed[(first + i) * 2 + 1];
    }
    SampleIterator openIt = null;
    if (hasOpen()) {
      maxTs[m] = maxT;
      openIt = openIterator();
    }
    return new HeadChunkIterator(m == 0 ? null : store.pin(refs, m), maxTs, total, openIt);
  }

  /**
   * For a WAL checkpoint: the in-order samples in {@code [mint, maxt]}, deleted ones included
   * (the head, like the chunk files, still holds them; the checkpoint repeats the tombstones);
   * the out-of-order ones come separately ({@link #outOfOrderCheckpointIterator}). Replay tells
   * in-order samples from out-of-order ones by their order, so a checkpoint must neither
   * interleave them nor leave out the newest in-order sample. Call under the stripe lock.
   */
  SampleIterator inOrderCheckpointIterator(long mint, long maxt, HeadChunks store) {
    return new BoundedIterator(inOrderIterator(mint, store), mint, maxt);
  }

  /**
   * A copy of the out-of-order samples from {@code mint}, or null when there are none; call
   * under the stripe lock.
   */
  SampleIterator outOfOrderCheckpointIterator(long mint) {
    return oooN() > 0 ? new BoundedIterator(outOfOrderIterator(), mint, Long.MAX_VALUE) : null;
  }

  /**
   * This series' state for a head snapshot (see {@link SeriesSnapshot}); call under the stripe
   * lock with no commit running.
   */
  SeriesSnapshot snapshot(int[] aliases, Metadata md, List<Exemplar> ex) {
    int n = oooN();
    Rare r = rare;
    return new SeriesSnapshot(id, labels, aliases, minT, maxT, nClosed(), closedMaxT(),
        xorSamples() > 0 ? xorStateView() : null,
        openHistogram != null ? openHistogram.bytes() : null,
        n == 0 ? NO_CLOSED : Arrays.copyOf(r.oooT, n),
        n == 0 ? NO_VALUES : Arrays.copyOf(r.oooV, n),
        n == 0 || r.oooH == null ? null : Arrays.copyOf(r.oooH, n),
        r == null || r.deleted == null ? null : r.deleted.clone(), md, ex);
  }

  /**
   * Restores a snapshot's state into this series, created under the snapshot's id with the
   * closed chunks of the head chunk files adopted: those must be the ones the snapshot counted.
   */
  void restore(SeriesSnapshot snap) {
    int counted = snap.closedChunks();
    long countedMaxT = counted == 0 || nClosed() < counted ? Long.MIN_VALUE
        : closed[counted * 2 - 1];
    if (nClosed() < counted || countedMaxT != snap.closedMaxT()) {
      throw new SnapshotMismatchException("series " + id + " " + labels + ": the head chunk"
          + " files hold " + nClosed() + " of its closed chunks up to " + closedMaxT()
          + ", the snapshot expects " + counted + " up to " + snap.closedMaxT());
    }
    if (nClosed() > counted) {
      // Chunks closed after the snapshot (the WAL after it is replayed next): the newest holds
      // the snapshot's open chunk and more, so the series goes on from the chunks as adopted.
      restoreRare(snap);
      return;
    }
    minT = snap.minT();
    maxT = snap.maxT();
    lastInClosed = closed.length > 0;
    if (snap.openFloats() != null) {
      // The snapshot reader decoded the open chunk for this series alone, with room to grow.
      resumeXor(snap.openFloats(), true);
      lastVBits = snap.openFloats().vBits();
      lastH = null;
      lastInClosed = false;
    } else if (snap.openHistogram() != null) {
      XorHistogramChunk open = new XorHistogramChunk();
      SampleIterator it = XorHistogramChunk
          .wrap(snap.openHistogram(), "snapshot of series " + id).iterator(null);
      for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
        // Hints as the head set them when the samples were appended.
        lastH = it.atHistogram();
        open.append(it.atT(), lastH);
      }
      if (open.numSamples() == 0) {
        throw new SnapshotMismatchException("series " + id + ": empty open histogram chunk");
      }
      openHistogram = open;
      lastInClosed = false;
    }
    restoreRare(snap);
  }

  /** Restores the out-of-order samples and tombstones of a snapshot. */
  private void restoreRare(SeriesSnapshot snap) {
    if (snap.oooT().length > 0) {
      Rare r = rare();
      r.oooT = snap.oooT().clone();
      r.oooV = snap.oooV().clone();
      r.oooH = snap.oooH() == null ? null : snap.oooH().clone();
      r.oooN = r.oooT.length;
    }
    if (snap.deleted() != null) {
      rare().deleted = snap.deleted().clone();
    }
  }

  /** Tombstones ([min0, max0, ...]), or null. */
  long[] deletedIntervals() {
    return rare == null ? null : rare.deleted;
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
