package dev.vigil.tsdb.head;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarQueryable;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.chunks.HeadChunks;
import dev.vigil.tsdb.chunks.MappedHeadChunks;
import dev.vigil.tsdb.chunks.HeapHeadChunks;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The in-memory head block. Thread-safe: any number of appenders and queriers may work
 * concurrently.
 *
 * <p>Locking: series creation takes {@link #createLock}; a commit takes {@link #commitLock}
 * (so commits reach the {@link CommitLog} and the series in one order, which replay repeats);
 * each series' data is guarded by one of {@link #STRIPES} stripe locks, taken by the committer
 * once per run of samples of neighbouring series ({@link #lockFor}) and by readers to snapshot
 * a series.
 */
public final class Head implements Storage, ExemplarQueryable {
  private static final int[] NO_ALIASES = new int[0];
  private static final System.Logger LOG = System.getLogger(Head.class.getName());
  private static final int STRIPES = 1 << 12;
  private static final int STRIPE_RUN = 5;
  /** Most samples a commit applies under one stripe lock (bounds a reader's wait). */
  private static final int MAX_LOCKED_RUN = 64;
  private static final int PAGE_BITS = 12;
  private static final int MAX_POOLED_BATCH = 1 << 18;
  private static final int LARGE_BATCH_SLOTS = 2;

  /** The options the head was created with; the out-of-order window and exemplar capacity
   * may have changed since (see {@link #setOutOfOrderWindowMs}, {@link #resizeExemplars}). */
  final HeadOptions options;
  /**
   * How far behind {@link #maxTime} a sample is still accepted out of order. Volatile so that a
   * limit change reaches the next append without a lock; read only for a sample that is not
   * after its series' newest, so in-order appends never touch it.
   */
  private volatile long outOfOrderWindowMs;
  /** See {@link #appendFloor}. */
  private final long appendableLagMs;
  private final CommitLog log;
  /** Where full chunks go; the series keep references. */
  final HeadChunks chunks;
  /**
   * During replay, per series id {@code i}: at {@code 2i} the newest in-order timestamp replayed
   * so far, at {@code 2i + 1} the max time of the closed chunks the series took over from the
   * head chunk files ({@code Long.MIN_VALUE}: none); see {@link #replaySample}. Side by side so
   * the check for a skippable sample touches one cache line and not the series. Null outside
   * replay. Guarded by the commit lock.
   */
  private long[] replaySkip;
  private final Object[] stripes = new Object[STRIPES];
  private final Object createLock = new Object();
  final Object commitLock = new Object();
  private final SeriesLabelIndex byLabels = new SeriesLabelIndex(this);
  private volatile MemSeries[][] pages = new MemSeries[1][];
  /** Each series' {@code maxT}, densely by id, for the appenders' order check. */
  private final NewestTimes newest = new NewestTimes();
  private int nextId = 1; // guarded by createLock
  /** Extra refs of a series replayed under several refs (see replaySeries); under createLock. */
  private final Map<Integer, int[]> aliases = new HashMap<>();
  final MemPostings postings = new MemPostings();
  private final Interner interner = new Interner();
  private volatile long minTime = Long.MAX_VALUE;
  /** The oldest sample applied since {@link #truncateBefore} began; under commitLock. */
  private long committedMin = Long.MAX_VALUE;
  private volatile long maxTime = Long.MIN_VALUE;
  /** Samples before this are in blocks already: appends there are out of bounds. */
  private volatile long minValidTime = Long.MIN_VALUE;
  private final AtomicLong droppedAtCommit = new AtomicLong();
  /** Commits waiting for the commit lock (see {@link #letWaitingCommitsIn}). */
  private final AtomicInteger waitingCommits = new AtomicInteger();
  private final AtomicLong removedSeries = new AtomicLong();
  private final AtomicReferenceArray<AppendBatch> batchPool = new AtomicReferenceArray<>(16);
  /** Exemplars of all series (added under the commit lock); see {@link #selectExemplars}. */
  private final CircularExemplarStorage exemplars;
  /** The latest metadata per series (set under the commit lock). */
  private final SeriesMetadata metadata = new SeriesMetadata();
  /** The capture of the head running while commits go on, null when none; under commitLock. */
  private SeriesCapture<?> capturing;

  /** A head keeping full chunks on the heap (no directory). */
  public Head(HeadOptions options, CommitLog log) {
    this(options, log, new HeapHeadChunks());
  }

  public Head(HeadOptions options, CommitLog log, HeadChunks chunks) {
    this(options, log, chunks, Long.MAX_VALUE);
  }

  /**
   * A head whose appends may lie at most {@code appendableLagMs} behind its newest sample: the
   * database passes half its block range, the bound of Prometheus's and Mimir's heads
   * ({@code Long.MAX_VALUE}: no such bound, only {@link #minValidTime}).
   */
  public Head(HeadOptions options, CommitLog log, HeadChunks chunks, long appendableLagMs) {
    if (appendableLagMs < 0) {
      throw new IllegalArgumentException("negative appendable lag " + appendableLagMs + " ms");
    }
    this.options = options;
    this.log = log;
    this.chunks = chunks;
    this.appendableLagMs = appendableLagMs;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    pages[0] = new MemSeries[1 << PAGE_BITS];
    this.exemplars = new CircularExemplarStorage(options.maxExemplars());
    this.outOfOrderWindowMs = options.outOfOrderWindowMs();
  }

  /**
   * How far behind the head's newest sample a start timestamp's zero sample may lie: as far back
   * as Prometheus's head takes in-order samples with its default 2 h blocks (half a range). A
   * counter that started long before its first sample reached the head gets no zero sample,
   * rather than one that stretches the head's time range back to the counter's start.
   */
  static final long START_ZERO_MAX_LAG_MS = 60 * 60 * 1000L;

  /**
   * Whether appends with a start timestamp store a zero sample at it (see {@link
   * HeadOptions#startTimestampZeroSamples}): the start of a counter, so that {@code rate} and
   * {@code increase} count its first increase. Such a zero sample is added only when the start
   * lies after the series' newest sample (a new series, or a counter reset), before the sample,
   * not before the newest block's end, and at most {@link #START_ZERO_MAX_LAG_MS} behind the
   * head's newest sample; otherwise the start timestamp is dropped without an error, as in
   * Prometheus.
   */
  public boolean startTimestampZeroSamples() {
    return options.startTimestampZeroSamples();
  }

  /** The out-of-order window in force now (ms; 0 accepts nothing out of order). */
  public long outOfOrderWindowMs() {
    return outOfOrderWindowMs;
  }

  /**
   * Changes the out-of-order window of this open head: the next append (and the next commit's
   * check) uses it. Samples already accepted stay. A commit racing with the change may check a
   * sample accepted under the old window against the new one and drop it, as when it loses a
   * race with another appender (counted in {@link #droppedAtCommit}).
   */
  public void setOutOfOrderWindowMs(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("negative out-of-order window " + ms + " ms");
    }
    outOfOrderWindowMs = ms;
  }

  /**
   * Changes the exemplar capacity of this open head, keeping the newest exemplars that fit (0
   * drops them all and stores no more). Returns how many were kept.
   */
  public int resizeExemplars(int maxExemplars) {
    return exemplars.resize(maxExemplars);
  }

  @Override
  public Appender appender() {
    return new HeadAppender(this);
  }

  @Override
  public Querier querier(long minT, long maxT) {
    return new HeadQuerier(this, minT, maxT);
  }

  public int numSeries() {
    return byLabels.size();
  }

  /** Oldest sample timestamp in the head, {@code Long.MAX_VALUE} when empty. */
  public long minTime() {
    return minTime;
  }

  /** Newest in-order sample timestamp in the head, {@code Long.MIN_VALUE} when empty. */
  public long maxTime() {
    return maxTime;
  }

  /**
   * Samples accepted by an appender but dropped at commit because a concurrent commit to the
   * same series got there first with a later or equal timestamp (what Prometheus also does).
   */
  public long droppedAtCommit() {
    return droppedAtCommit.get();
  }

  /** Appends before this time are rejected ("out of bounds"): that range is in a block. */
  public long minValidTime() {
    return minValidTime;
  }

  /**
   * The oldest timestamp an append may have now ("out of bounds" before it): the newest sample
   * in the head minus the appendable lag (half the block range), or {@link #minValidTime} when
   * later. As in Prometheus and Mimir this holds for every append, a new series and one far
   * behind the others included: a block cut writes only data at least that far behind the
   * newest sample, so no acknowledged sample can fall into the range a cut is writing (a
   * commit would have to drop it).
   */
  public long appendFloor() {
    long newest = maxTime;
    if (newest == Long.MIN_VALUE || appendableLagMs == Long.MAX_VALUE) {
      return minValidTime;
    }
    return Math.max(minValidTime, newest - appendableLagMs);
  }

  /** How far behind the newest sample appends may lie, {@code Long.MAX_VALUE} for no bound. */
  long appendableLagMs() {
    return appendableLagMs;
  }

  /**
   * Forgets data before {@code t} (now persisted in a block): whole chunks and out-of-order
   * samples older than {@code t}, and from now on rejects appends before {@code t}. Series left
   * without any sample are garbage-collected: removed from the label map, the id table and the
   * postings (their ids are never reused, so a caller's cached ref just misses and falls back to
   * the labels; an appender still holding such a series re-resolves it by labels at commit).
   * Call {@code Tsdb}'s WAL checkpoint afterwards: it no longer writes the removed series.
   */
  public void truncateBefore(long t) {
    synchronized (commitLock) {
      if (t > minValidTime) {
        minValidTime = t;
      }
      committedMin = Long.MAX_VALUE;
    }
    // A page of series at a time under the commit lock, so that commits go on in between
    // rather than wait for a pass over the whole head. Series created meanwhile hold nothing
    // before t (appends there are out of bounds now) and need no truncation.
    long newMin = Long.MAX_VALUE;
    MemSeries[][] ps = pages;
    for (int p = 0; p < ps.length; p++) {
      MemSeries[] page = ps[p];
      if (page == null) {
        continue;
      }
      letWaitingCommitsIn();
      synchronized (commitLock) {
        for (int i = 0; i < page.length; i++) {
          MemSeries s = page[i];
          if (s == null || s.id != ((p << PAGE_BITS) | i)) {
            continue; // empty, or an alias of a series replayed under two refs
          }
          boolean empty;
          synchronized (lockFor(s.id)) {
            s.truncateBefore(t, chunks);
            empty = !s.hasData();
            if (!empty) {
              newMin = Math.min(newMin, s.dataMinT());
            }
          }
          if (empty && s.maxT < t) {
            remove(s);
          }
        }
      }
    }
    synchronized (commitLock) {
      // What commits added while the pages were truncated may lie before what was left.
      minTime = Math.min(newMin, committedMin);
    }
  }

  /**
   * Between two holds of the commit lock by a long pass: gives commits waiting for it their
   * turn first. The monitor is not fair, so a thread taking it again at once may keep them
   * waiting for the whole pass (a commit waited 592 ms during a truncation of 1M series). Gives
   * up after about a millisecond, so that a steady stream of commits cannot stall the pass.
   */
  private void letWaitingCommitsIn() {
    for (int i = 0; i < 1000 && waitingCommits.get() > 0; i++) {
      Thread.yield();
    }
  }

  /** Series garbage-collected so far by {@link #truncateBefore}. */
  public long removedSeries() {
    return removedSeries.get();
  }

  // Under commitLock: no commit can be applying to s meanwhile.
  private void remove(MemSeries s) {
    synchronized (createLock) {
      // First: from here on its exemplars are found by labels, never also by the id below.
      exemplars.detach(s.id, s.labels);
      s.removed = true;
      byLabels.remove(s);
      clearSlot(s.id);
      int[] extra = aliases.remove(s.id);
      if (extra != null) {
        for (int a : extra) {
          clearSlot(a);
        }
      }
      postings.remove(s.id, s.labels);
      removedSeries.incrementAndGet();
    }
  }

  // Under createLock.
  private void clearSlot(int id) {
    MemSeries[][] ps = pages;
    ps[id >>> PAGE_BITS][id & ((1 << PAGE_BITS) - 1)] = null;
    pages = ps; // volatile write publishes the cleared slot
  }

  /** What {@link #forEachSeries} hands out: one series and its samples from a given time. */
  @FunctionalInterface
  public interface SeriesVisitor {
    void visit(long ref, Labels labels, SampleIterator samples);
  }

  /**
   * What {@link CheckpointCapture#forEach} hands out: one series, its in-order samples from a
   * given time and the newest of them that its closed chunks in the head chunk files hold
   * ({@code Long.MIN_VALUE}: none, or the head keeps no files), its out-of-order samples (null
   * when none) from that time, deleted ones included, its tombstones (null when none), which
   * hide them again after replay, and its exemplars from that time and metadata (null when
   * none).
   */
  @FunctionalInterface
  public interface CheckpointVisitor {
    void visit(long ref, Labels labels, SampleIterator inOrder, long inChunkFiles,
        SampleIterator outOfOrder, long[] deleted, List<Exemplar> exemplars, Metadata metadata);
  }

  /**
   * The head as a WAL checkpoint must write it, at the point {@link #beginCheckpointCapture}
   * marks (under the commit lock, right after the WAL was rotated), captured copy on write
   * as {@link SeriesCapture} tells. What is cheap to copy is copied (out-of-order buffers,
   * tombstones, exemplars, metadata: rare or small); the in-order samples are not: each series'
   * newest in-order timestamp is kept instead, and {@link #forEach} reads the chunks up to it.
   * Samples appended in order after the capture point are newer than that, so they stay out of
   * the checkpoint and are replayed from the WAL segments after it, as is everything else
   * logged since.
   */
  public final class CheckpointCapture extends SeriesCapture<CheckpointCapture.Captured> {
    private final long from;

    record Captured(MemSeries series, long maxT, SampleIterator outOfOrder, long[] deleted,
        List<Exemplar> exemplars, Metadata metadata) {}

    private CheckpointCapture(int idLimit, CaptureArrays arrays, long from) {
      super(idLimit, arrays);
      this.from = from;
    }

    /** Hands out every captured series in id order; then close the capture. */
    public void forEach(CheckpointVisitor visitor) {
      takeAll(c -> {
        MemSeries s = c.series;
        SampleIterator inOrder;
        long inChunkFiles = Long.MIN_VALUE;
        synchronized (lockFor(s.id)) {
          inOrder = s.inOrderCheckpointIterator(from, c.maxT, chunks);
          if (chunks instanceof MappedHeadChunks) {
            inChunkFiles = Math.min(s.closedMaxT(), c.maxT);
          }
        }
        visitor.visit(s.id, s.labels, inOrder, inChunkFiles, c.outOfOrder, c.deleted,
            c.exemplars, c.metadata);
      });
    }

    @Override
    SeriesExtras extras(MemSeries s) {
      return new SeriesExtras(null, exemplarsOf(s.id, from), metadata.get(s.id));
    }

    @Override
    Captured captureLocked(MemSeries s, SeriesExtras x) {
      long[] deleted = s.deletedIntervals();
      // Series not logged yet are written too: a second series record of a ref is harmless.
      return new Captured(s, s.maxT, s.outOfOrderCheckpointIterator(from),
          deleted == null ? null : deleted.clone(), x.exemplars(), x.metadata());
    }
  }

  /**
   * Starts capturing what a WAL checkpoint of the samples from {@code from} needs (see
   * {@link CheckpointCapture}): takes the commit lock, runs {@code atCapturePoint} (the WAL
   * rotation) under it, then starts the capture, whose arrays were allocated before. Replay
   * tells in-order from out-of-order samples by their order, and closed chunks loaded from the
   * head chunk files still hold deleted samples, so the tombstones are logged again.
   */
  public CheckpointCapture beginCheckpointCapture(long from, Runnable atCapturePoint) {
    CaptureArrays arrays = captureArraysAhead();
    synchronized (commitLock) {
      atCapturePoint.run();
      int limit = nextIdNow();
      return begin(new CheckpointCapture(limit, CaptureArrays.atLeast(arrays, limit), from));
    }
  }

  /** Replay: every series id and every alias ref known so far is below this. */
  public int replayIdLimit() {
    return nextIdNow();
  }

  /** The id the next series created gets. */
  private int nextIdNow() {
    synchronized (createLock) {
      return nextId;
    }
  }

  /**
   * A capture's arrays by series id, allocated before the commit lock is taken: for 1M series
   * the ~5 MB took 48 ms, with every commit waiting, when allocated under it.
   */
  static final class CaptureArrays {
    final Object[] taken;
    final boolean[] done;

    private CaptureArrays(int n) {
      taken = new Object[n];
      done = new boolean[n];
    }

    /** {@code a} when it holds {@code n} ids (series created meanwhile fit), else new ones. */
    static CaptureArrays atLeast(CaptureArrays a, int n) {
      return a.done.length >= n ? a : new CaptureArrays(n);
    }
  }

  /** Arrays for a capture starting soon: the ids so far and room for series created meanwhile. */
  private CaptureArrays captureArraysAhead() {
    int n = nextIdNow();
    return new CaptureArrays(n + (n >> 4) + 1024);
  }

  /** Every series in id order, aliases (a series replayed under a second ref) skipped. */
  private void forEachOwnSeries(Consumer<MemSeries> action) {
    MemSeries[][] ps = pages;
    for (int p = 0; p < ps.length; p++) {
      MemSeries[] page = ps[p];
      if (page == null) {
        continue;
      }
      for (int i = 0; i < page.length; i++) {
        MemSeries s = page[i];
        if (s != null && s.id == ((p << PAGE_BITS) | i)) {
          action.accept(s);
        }
      }
    }
  }

  /**
   * The head-wide part of a head snapshot.
   *
   * @param nextId the id the next new series gets (ids are never reused)
   * @param minValidTime appends before it are out of bounds
   * @param minTime the oldest sample's timestamp ({@code Long.MAX_VALUE} when empty)
   * @param maxTime the newest in-order sample's ({@code Long.MIN_VALUE} when empty)
   */
  public record HeadState(int nextId, long minValidTime, long minTime, long maxTime) {}

  /** What a capture reads of a series outside its stripe lock (see {@link SeriesCapture}). */
  record SeriesExtras(int[] aliases, List<Exemplar> exemplars, Metadata metadata) {}

  /**
   * Every series as it was at one point of the commit order, taken without making commits wait
   * for a pass over the head: {@code begin...Capture} (under the commit lock, right after the
   * WAL was rotated) marks the point; from then on a commit first captures every series it
   * is about to change that is not captured yet, and the capture's reader captures the others
   * with {@link #take}. Every series is thus captured as it was at that point (copy on write),
   * and the WAL after the point holds exactly what came after. At most one capture runs at a
   * time; valid while no head truncation or delete runs (the caller holds the database's cut
   * lock). Exemplars that later commits push out of the ring before their series is captured
   * are not captured; the running head has lost them too.
   *
   * @param <T> what is captured of a series
   */
  public abstract class SeriesCapture<T> implements AutoCloseable {
    private final int limit;
    // By series id, each element guarded by the id's stripe lock; done is also read without it
    // as a hint (it only ever turns true).
    private final Object[] taken;
    private final boolean[] done;

    SeriesCapture(int idLimit, CaptureArrays arrays) {
      if (arrays.done.length < idLimit) {
        throw new IllegalArgumentException("capture arrays of " + arrays.done.length
            + " ids for " + idLimit);
      }
      this.limit = idLimit;
      this.taken = arrays.taken;
      this.done = arrays.done;
    }

    /** Series ids at the capture point are below this. */
    public int idLimit() {
      return limit;
    }

    /**
     * Series {@code id} as it was at the capture point, or null when it was no series of its own
     * then (none, or an alias) or the capture leaves it out. Call once per id.
     */
    public T take(int id) {
      if (id <= 0 || id >= limit) {
        throw new IllegalArgumentException("series id " + id + " not in [1, " + limit + ")");
      }
      MemSeries s = byId(id);
      if (s == null || s.id != id) {
        return null; // none then either (ids are never reused, no series goes meanwhile)
      }
      return capture(s, true);
    }

    /** Takes every series id below {@link #idLimit} in order, handing what it captured on. */
    public void takeAll(Consumer<? super T> action) {
      for (int id = 1; id < limit; id++) {
        T captured = take(id);
        if (captured != null) {
          action.accept(captured);
        }
      }
    }

    /** A commit is about to change {@code s}: captures it first unless that was done. */
    final void beforeChange(MemSeries s) {
      int id = s.id;
      if (id < limit && !done[id]) {
        capture(s, false);
      }
    }

    /**
     * Captures {@code s} unless done and returns what was captured, handing it over (and
     * forgetting it) when {@code handOver}. The extras are read before the stripe lock: should
     * a commit change them meanwhile, it captured the series first, and what was read here is
     * dropped.
     */
    @SuppressWarnings("unchecked") // taken[id] only ever holds a T
    private T capture(MemSeries s, boolean handOver) {
      int id = s.id;
      SeriesExtras extras = extras(s);
      synchronized (lockFor(id)) {
        if (!done[id]) {
          done[id] = true;
          taken[id] = captureLocked(s, extras);
        }
        T captured = (T) taken[id];
        if (handOver) {
          taken[id] = null;
        }
        return captured;
      }
    }

    /** What the capture needs of {@code s} besides its samples; read without its stripe lock. */
    abstract SeriesExtras extras(MemSeries s);

    /** The capture of {@code s}, under its stripe lock; null leaves it out. */
    abstract T captureLocked(MemSeries s, SeriesExtras extras);

    /** Ends the capture: commits no longer capture for it. */
    @Override
    public void close() {
      synchronized (commitLock) {
        if (capturing == this) {
          capturing = null;
        }
      }
    }
  }

  /** Makes {@code c} the running capture; under the commit lock. */
  private <C extends SeriesCapture<?>> C begin(C c) {
    if (capturing != null) {
      throw new IllegalStateException("a capture of the head is running already");
    }
    capturing = c;
    return c;
  }

  /**
   * A head snapshot's capture (see {@link SeriesCapture}): every logged series' state, its
   * open float chunk as a view of the live buffer.
   */
  public final class SnapshotCapture extends SeriesCapture<SeriesSnapshot> {
    private final HeadState state;

    private SnapshotCapture(HeadState state, CaptureArrays arrays) {
      super(state.nextId(), arrays);
      this.state = state;
    }

    /** The head-wide state at the capture point. */
    public HeadState state() {
      return state;
    }

    @Override
    SeriesExtras extras(MemSeries s) {
      int[] extra;
      synchronized (createLock) {
        extra = aliases.get(s.id);
      }
      return new SeriesExtras(extra == null ? NO_ALIASES : extra.clone(),
          exemplarsOf(s.id, Long.MIN_VALUE), metadata.get(s.id));
    }

    @Override
    SeriesSnapshot captureLocked(MemSeries s, SeriesExtras x) {
      // Not logged yet: its series record comes after the capture point, so the WAL replayed
      // after the snapshot creates it (restored, it would pass for logged).
      return s.logged ? s.snapshot(x.aliases(), x.metadata(), x.exemplars()) : null;
    }
  }

  /**
   * Starts a {@link SnapshotCapture} at this point of the commit order; call inside
   * {@link #exclusive}, right after rotating the WAL, and close it when the snapshot is written.
   */
  public SnapshotCapture beginSnapshotCapture() {
    return beginSnapshotCapture(() -> {});
  }

  /**
   * As {@link #beginSnapshotCapture()}, taking the commit lock itself: runs
   * {@code atCapturePoint} (the WAL rotation) under it, then starts the capture, whose arrays
   * were allocated before.
   */
  public SnapshotCapture beginSnapshotCapture(Runnable atCapturePoint) {
    CaptureArrays arrays = captureArraysAhead();
    synchronized (commitLock) {
      atCapturePoint.run();
      HeadState state = snapshotState();
      return begin(new SnapshotCapture(state, CaptureArrays.atLeast(arrays, state.nextId())));
    }
  }

  /**
   * For a head snapshot: the head-wide state (consistent with the series inside
   * {@link #exclusive}).
   */
  public HeadState snapshotState() {
    synchronized (createLock) {
      return new HeadState(nextId, minValidTime, minTime, maxTime);
    }
  }

  /**
   * Restores one series of a head snapshot, between {@link #replayChunks} (whose chunks it
   * adopts, as a replayed series record does) and {@link #endReplay}. Throws
   * {@link SnapshotMismatchException} when the adopted chunks are not the ones the snapshot
   * counted or the id or labels are taken: the head is then unusable.
   */
  public void restoreSeries(SeriesSnapshot snap) {
    int id = snap.id();
    if (id <= 0) {
      throw new SnapshotMismatchException("series id " + id + " out of range");
    }
    synchronized (commitLock) {
      synchronized (createLock) {
        if (byId(id) != null || byLabels.get(snap.labels()) != null) {
          throw new SnapshotMismatchException("series " + id + " " + snap.labels()
              + " restored twice");
        }
        MemSeries s = create(id, snap.labels());
        s.logged = true;
        adoptFound(s, id);
        synchronized (lockFor(id)) {
          s.restore(snap);
        }
        newest.set(id, s.maxT);
        long[] skip = replaySkip;
        if (skip != null && id < skip.length >>> 1 && snap.maxT() > skip[id << 1]) {
          // The WAL after the snapshot follows: its samples up to the snapshot's newest were
          // out of order when appended (see replaySample).
          skip[id << 1] = snap.maxT();
        }
        for (int a : snap.aliases()) {
          if (a <= 0 || byId(a) != null) {
            throw new SnapshotMismatchException("alias " + a + " of series " + id
                + " out of range or taken");
          }
          addAlias(s, a);
        }
        if (snap.metadata() != null) {
          metadata.set(id, snap.metadata());
        }
        List<Exemplar> ex = snap.exemplars();
        for (int i = 0; i < ex.size(); i++) { // no iterator per series: most have none
          Exemplar e = ex.get(i);
          exemplars.add(id, e.timestamp(), e.value(), e.labels());
        }
      }
    }
  }

  /**
   * Ends a snapshot restore: the head-wide state, after every series is restored (and before
   * the WAL written after the snapshot is replayed).
   */
  public void restoreState(HeadState state) {
    synchronized (commitLock) {
      synchronized (createLock) {
        nextId = Math.max(nextId, state.nextId());
      }
      minValidTime = Math.max(minValidTime, state.minValidTime());
      // Chunks closed after the snapshot may reach further (adopted with the series).
      widenTimeRange(state.minTime(), state.maxTime());
    }
  }

  /**
   * Runs {@code action} holding the commit lock: no commit starts or ends meanwhile. For WAL
   * checkpoints, which must see the head and the log at one point of the commit order.
   */
  public void exclusive(Runnable action) {
    synchronized (commitLock) {
      action.run();
    }
  }

  /**
   * Raises the time before which appends are rejected to {@code t}, unless the head holds a
   * sample before {@code t} (then nothing changes): in one step with commits, so that no sample
   * before {@code t} gets in between the check and the raise (for a block of data before
   * {@code t} that appears beside the open head). Returns whether the head holds nothing before
   * {@code t}.
   */
  public boolean raiseMinValidTimeIfNothingBefore(long t) {
    synchronized (commitLock) {
      if (minTime != Long.MAX_VALUE && minTime < t) {
        return false;
      }
      if (t > minValidTime) {
        minValidTime = t;
      }
      return true;
    }
  }

  /**
   * Raises the time before which appends are rejected as out of bounds; commits validated
   * after this returns respect it. Call before snapshotting a range for a block.
   */
  public void setMinValidTime(long t) {
    synchronized (commitLock) {
      if (t > minValidTime) {
        minValidTime = t;
      }
    }
  }

  /**
   * Visits every series in ref order with an iterator over its samples at or after {@code from}.
   * Consistent across series only when called inside {@link #exclusive}.
   */
  public void forEachSeries(long from, SeriesVisitor visitor) {
    forEachOwnSeries(s -> {
      SampleIterator it;
      synchronized (lockFor(s.id)) {
        it = s.snapshotIterator(from, Long.MAX_VALUE, chunks);
      }
      visitor.visit(s.id, s.labels, it);
    });
  }

  AppendBatch borrowBatch() {
    for (int i = 0; i < batchPool.length(); i++) {
      AppendBatch b = batchPool.getAndSet(i, null);
      if (b != null) {
        return b;
      }
    }
    return new AppendBatch(this);
  }

  void returnBatch(AppendBatch b) {
    b.reset();
    int cap = b.capacity();
    if (cap > MAX_POOLED_BATCH) {
      return; // an outsized request: let it go rather than pin its arrays
    }
    // Large batches (one sample for each of 100k series, ~8 MB of arrays) may only use the
    // first LARGE_BATCH_SLOTS slots: a steady large-batch ingest reuses its arrays instead of
    // regrowing them per request (~100 B of garbage per sample), at a bounded pinned cost.
    int slots = cap > 1 << 16 ? LARGE_BATCH_SLOTS : batchPool.length();
    for (int i = 0; i < slots; i++) {
      if (batchPool.compareAndSet(i, null, b)) {
        return;
      }
    }
  }

  /**
   * The stripe lock guarding series {@code id}. Stripes cover runs of {@code 1 << STRIPE_RUN}
   * consecutive ids (series created together, e.g. one target's, get consecutive ids and
   * usually arrive together in a request), so a commit takes one lock per run of samples
   * instead of one per sample: a locked instruction per sample also stops the CPU from
   * overlapping the cache misses of consecutive samples.
   */
  Object lockFor(int id) {
    return stripes[(id >>> STRIPE_RUN) & (STRIPES - 1)];
  }

  MemSeries byId(long ref) {
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      return null;
    }
    int id = (int) ref;
    MemSeries[][] ps = pages;
    int page = id >>> PAGE_BITS;
    if (page >= ps.length || ps[page] == null) {
      return null;
    }
    return ps[page][id & ((1 << PAGE_BITS) - 1)];
  }

  /** The series for these labels, created (with a new id, interned strings) if missing. */
  MemSeries getOrCreate(Labels labels) {
    MemSeries s = byLabels.get(labels);
    if (s != null) {
      return s;
    }
    synchronized (createLock) {
      s = byLabels.get(labels);
      if (s != null) {
        return s;
      }
      return create(nextId, labels);
    }
  }

  // Under createLock.
  private MemSeries create(int id, Labels labels) {
    if (labels.isEmpty()) {
      throw new StorageException("series with no labels");
    }
    MemSeries s = new MemSeries(id, interner.intern(labels));
    setSlot(id, s);
    postings.add(id, s.labels);
    byLabels.put(s);
    nextId = Math.max(nextId, id + 1);
    exemplars.attach(id, s.labels); // continues the exemplars of a collected namesake, if any
    return s;
  }

  /**
   * Makes {@code ref}, another ref series {@code s} was logged under, lead to it. Under
   * createLock.
   */
  private void addAlias(MemSeries s, int ref) {
    setSlot(ref, s);
    int[] a = aliases.get(s.id);
    a = a == null ? new int[1] : Arrays.copyOf(a, a.length + 1);
    a[a.length - 1] = ref;
    aliases.put(s.id, a);
    nextId = Math.max(nextId, ref + 1);
  }

  /**
   * The head's one instance of the label name or value {@code s}: for a decoder of series
   * records (replay's read-ahead thread), so that the labels of new series arrive interned and
   * creating them interns nothing. Thread-safe.
   */
  public String internString(String s) {
    return interner.intern(s);
  }

  // Under createLock.
  private void setSlot(int id, MemSeries s) {
    newest.ensure(id);
    int page = id >>> PAGE_BITS;
    MemSeries[][] ps = pages;
    if (page >= ps.length) {
      ps = Arrays.copyOf(ps, Math.max(page + 1, ps.length * 2));
    }
    if (ps[page] == null) {
      ps[page] = new MemSeries[1 << PAGE_BITS];
    }
    ps[page][id & ((1 << PAGE_BITS) - 1)] = s;
    pages = ps; // volatile write publishes the slot too
  }

  /** Replay: recreates a series under the id it had when logged. Idempotent. */
  public void replaySeries(long ref, Labels labels) {
    checkReplayRef(ref);
    synchronized (commitLock) {
      synchronized (createLock) {
        replaySeriesLocked(ref, labels);
      }
    }
  }

  /**
   * Replay: {@link #replaySeries} for {@code refs[i]} and {@code labels.get(i)}, {@code i} below
   * {@code labels.size()} (a series record's batch), taking the locks once for the batch.
   *
   * <p>A restart spends the first part of its replay here, in code that has not been compiled
   * yet; a loop of its own keeps that code one compilation unit of the JIT's, instead of one
   * inlined into the replay's dispatch of every kind of record (which compiled for longer than
   * the series records took to apply, and delayed the compilation of the sample path behind it).
   */
  public void replaySeries(long[] refs, List<Labels> labels) {
    int n = labels.size();
    synchronized (commitLock) {
      synchronized (createLock) {
        for (int i = 0; i < n; i++) {
          checkReplayRef(refs[i]);
          replaySeriesLocked(refs[i], labels.get(i));
        }
      }
    }
  }

  private static void checkReplayRef(long ref) {
    if (ref <= 0 || ref > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("series ref " + ref + " out of range");
    }
  }

  // Under commitLock and createLock.
  private void replaySeriesLocked(long ref, Labels labels) {
    MemSeries existing = byLabels.get(labels);
    if (existing != null) {
      existing.logged = true;
      if (existing.id != ref && byId(ref) == null) {
        // The series was garbage-collected and re-created under a new ref before the WAL
        // was checkpointed (or logged twice): both refs lead to one series.
        LOG.log(System.Logger.Level.DEBUG, "series {0} logged with refs {1} and {2}",
            labels, existing.id, ref);
        addAlias(existing, (int) ref);
      }
      return;
    }
    MemSeries other = byId(ref);
    if (other != null) {
      throw new IllegalStateException("series ref " + ref + " logged for " + labels
          + " but already used by " + other.labels);
    }
    MemSeries s = create((int) ref, labels);
    s.logged = true;
    adoptFound(s, (int) ref);
  }

  /**
   * Replay: applies a logged sample. Returns false when the ref is unknown (the series record was
   * lost). Samples behind the series' newest go to the out-of-order buffer whatever the window:
   * they were acknowledged once.
   *
   * <p>With closed chunks adopted from the head chunk files ({@link #replayChunks}), in-order
   * samples they already hold are skipped. A logged sample was in order when it was appended iff
   * it is newer than every in-order sample logged before it for its series (the log is in commit
   * order, and checkpoints write in-order samples before out-of-order ones), so replay tells the
   * two apart by tracking the newest in-order timestamp per series.
   */
  public boolean replaySample(long ref, long t, double v, FloatHistogram h) {
    MemSeries s = byId(ref);
    if (s == null) {
      return false;
    }
    synchronized (commitLock) {
      if (!inTakenOverChunk(replaySkip, s.id, t)) {
        replayApply(s, t, v, h);
      }
    }
    return true;
  }

  /**
   * Whether an in-order sample {@code t} of series {@code id} is already in a closed chunk it
   * took over; tracks the newest in-order timestamp as a side effect (see {@link #replaySkip}).
   */
  private static boolean inTakenOverChunk(long[] skip, int id, long t) {
    if (skip == null || id >= skip.length >>> 1) { // (id << 1 overflows from 2^30 on)
      return false; // no chunks taken over
    }
    int k = id << 1;
    if (skip[k + 1] == Long.MIN_VALUE || t <= skip[k]) {
      return false; // no chunks taken over, or an out-of-order sample: apply it
    }
    skip[k] = t;
    return t <= skip[k + 1];
  }

  /**
   * Replay of a whole float-samples record, as {@link #replaySample} per sample but under one
   * lock and without the per-series stripe locks: during replay no other thread can see the
   * head (the database is not open yet). Returns how many refs were unknown.
   */
  public int replayFloats(long[] refs, long[] ts, double[] vs, int n) {
    synchronized (commitLock) {
      if (replayAlone == null) {
        replayAlone = new ReplayShard();
      }
      int unknown = replayFloatsShard(replayAlone, refs, ts, vs, 0, n);
      widenTimeRange(replayAlone.minT, replayAlone.maxT);
      return unknown;
    }
  }

  /** {@link #replayFloats}'s shard state; under the commit lock. */
  private ReplayShard replayAlone;

  /** Samples whose series a replay worker reads ahead at a time (see {@link AppendBatch}). */
  private static final int REPLAY_PREFETCH = 1024;

  /**
   * One replay apply worker's state for {@link #replayFloatsShard}: the time range of what it
   * applied, and the blocks of series it reads ahead. Used by one thread at a time.
   */
  public static final class ReplayShard {
    private long minT = Long.MAX_VALUE;
    private long maxT = Long.MIN_VALUE;
    private final int[] kept = new int[REPLAY_PREFETCH];
    private final MemSeries[] series = new MemSeries[REPLAY_PREFETCH];
    /** Per kept sample, its series' newest in-order timestamp at its commit, as tracked in
     * {@link #replaySkip} ({@code Long.MIN_VALUE}: not tracked, the series' maxT is it). */
    private final long[] newestAtCommit = new long[REPLAY_PREFETCH];
    private int touchSink;

    /** The oldest timestamp applied, {@code Long.MAX_VALUE} when none. */
    public long minT() {
      return minT;
    }

    /** The newest timestamp applied, {@code Long.MIN_VALUE} when none. */
    public long maxT() {
      return maxT;
    }
  }

  /**
   * Replay on one of several apply workers: as {@link #replayFloats}, without the commit lock,
   * for the samples at {@code [start, end)} of series that only this worker applies (every
   * ref of a series goes to one worker, see {@link #replayHasAliases}). Widens the shard's time range instead of the
   * head's; hand it to {@link #replayWidenTimeRange} once all workers are idle. Returns how
   * many refs were unknown.
   *
   * <p>Works in blocks: first the samples in chunks taken over from {@code chunks_head} are
   * dropped (most of a WAL when it is intact) and the series of the others read, then the tails
   * of their chunk buffers, then the samples are appended; loops doing only reads keep many
   * cache misses in flight, as the commit does (see {@link AppendBatch}).
   */
  public int replayFloatsShard(ReplayShard shard, long[] refs, long[] ts, double[] vs,
      int start, int end) {
    int unknown = 0;
    long[] skip = replaySkip;
    int perChunk = options.samplesPerChunk();
    int[] kept = shard.kept;
    MemSeries[] series = shard.series;
    long[] newestAt = shard.newestAtCommit;
    long lo = shard.minT;
    long hi = shard.maxT;
    int touched = 0;
    for (int from = start; from < end; from += REPLAY_PREFETCH) {
      int to = Math.min(end, from + REPLAY_PREFETCH);
      int k = 0;
      for (int i = from; i < to; i++) {
        long ref = refs[i];
        long t = ts[i];
        // Chunks are taken over only by the series created under that very ref, so the check
        // needs no series lookup: most replayed samples end here when chunks_head is intact.
        if (ref > 0 && ref < Integer.MAX_VALUE && inTakenOverChunk(skip, (int) ref, t)) {
          continue;
        }
        MemSeries s = byId(ref);
        if (s == null) {
          unknown++;
          continue;
        }
        if (s.id != ref && inTakenOverChunk(skip, s.id, t)) {
          continue; // logged under another ref of the series (see replaySeries)
        }
        touched ^= s.touch();
        // Read now: the checks of later samples in this block move the tracked newest on.
        newestAt[k] = trackedNewest(skip, s.id);
        kept[k] = i;
        series[k++] = s;
      }
      for (int j = 0; j < k; j++) {
        touched ^= series[j].touchForAppend();
      }
      for (int j = 0; j < k; j++) {
        MemSeries s = series[j];
        int i = kept[j];
        long t = ts[i];
        if (!replayFloat(s, t, vs[i], newestAt[j], perChunk)) {
          continue;
        }
        hi = Math.max(hi, t);
        lo = Math.min(lo, t);
      }
    }
    shard.minT = lo;
    shard.maxT = hi;
    shard.touchSink ^= touched;
    return unknown;
  }

  /**
   * Replay on the apply worker of series {@code ref}: skips a float run (a series' in-order
   * samples, timestamps strictly increasing from {@code firstT} to {@code lastT}) when the
   * chunks that series took over from the head chunk files hold all of it, exactly as
   * {@link #replayFloatsShard} would skip each of its samples: the run starts after the newest
   * in-order sample replayed so far and ends within the chunks. Returns false, having changed
   * nothing, when it does not: then replay its samples.
   */
  public boolean replaySkipRun(long ref, long firstT, long lastT) {
    long[] skip = replaySkip;
    if (ref <= 0 || ref >= Integer.MAX_VALUE || !tracksNewest(skip, (int) ref)) {
      return false;
    }
    int k = (int) ref << 1;
    if (firstT <= skip[k] || lastT > skip[k + 1]) {
      return false;
    }
    skip[k] = lastT;
    return true;
  }

  /**
   * Replay of {@code k} float-samples records that log the same refs in the same order, on one
   * apply worker: record {@code r} holds {@code ts[r][i]} (or {@code sharedTs[r]} for every
   * sample, when {@code ts[r]} is null), {@code vs[r][i]} for {@code refs[i]}. Applies the
   * samples at the {@code np} given positions series by series (for each, its {@code k}
   * samples in log order), so each series and the tail of its chunk are fetched into the
   * caches once for {@code k} samples instead of once per sample. The result is that of
   * {@link #replayFloatsShard} on the records one after the other as long as no series is at
   * two positions, nor at a position of another group of records replayed before the next
   * barrier (the caller checks). Returns how many samples had unknown refs.
   */
  public int replayFloatColumns(ReplayShard shard, long[] refs, int[] positions, int np,
      long[][] ts, long[] sharedTs, double[][] vs, int k) {
    int unknown = 0;
    long[] skip = replaySkip;
    int perChunk = options.samplesPerChunk();
    int[] kept = shard.kept;
    MemSeries[] series = shard.series;
    int touched = 0;
    for (int from = 0; from < np; from += REPLAY_PREFETCH) {
      int to = Math.min(np, from + REPLAY_PREFETCH);
      int m = 0;
      for (int j = from; j < to; j++) {
        int i = positions[j];
        MemSeries s = byId(refs[i]);
        if (s == null) {
          unknown += k; // no series under the ref, so no chunks taken over under it either
          continue;
        }
        touched ^= s.touch();
        kept[m] = i;
        series[m++] = s;
      }
      for (int j = 0; j < m; j++) {
        touched ^= series[j].touchForAppend();
      }
      for (int j = 0; j < m; j++) {
        replayRun(shard, series[j], refs[kept[j]], kept[j], ts, sharedTs, vs, k, skip,
            perChunk);
      }
    }
    shard.touchSink ^= touched;
    return unknown;
  }

  /**
   * {@link #replayFloatColumns} for one series: its {@code k} samples at position {@code i}.
   * A method of its own, called once per series, so the JIT can compile it as a whole early
   * instead of only replacing the long-running loop around it on the stack: cold opens
   * measured faster with it (bench/README.md, "WAL replay layout by layout").
   */
  private void replayRun(ReplayShard shard, MemSeries s, long ref, int i, long[][] ts,
      long[] sharedTs, double[][] vs, int k, long[] skip, int perChunk) {
    long lo = shard.minT;
    long hi = shard.maxT;
    s.reserveOpenChunk(perChunk);
    for (int r = 0; r < k; r++) {
      long[] recordTs = ts[r];
      long t = recordTs != null ? recordTs[i] : sharedTs[r];
      // The checks of replayFloatsShard, in the same order, one sample after the other.
      if (ref < Integer.MAX_VALUE && inTakenOverChunk(skip, (int) ref, t)) {
        continue;
      }
      if (s.id != ref && inTakenOverChunk(skip, s.id, t)) {
        continue;
      }
      if (!replayFloat(s, t, vs[r][i], trackedNewest(skip, s.id), perChunk)) {
        continue;
      }
      hi = Math.max(hi, t);
      lo = Math.min(lo, t);
    }
    shard.minT = lo;
    shard.maxT = hi;
  }

  /** Replay: widens the head's time range by what apply workers applied. */
  public void replayWidenTimeRange(long lo, long hi) {
    synchronized (commitLock) {
      widenTimeRange(lo, hi);
    }
  }

  /**
   * Widens the head's time range to take in {@code [lo, hi]} (an empty range, lo above hi,
   * changes nothing). Under the commit lock; writes a bound only when it moves.
   */
  private void widenTimeRange(long lo, long hi) {
    if (hi > maxTime) {
      maxTime = hi;
    }
    if (lo < minTime) {
      minTime = lo;
    }
    if (lo < committedMin) {
      committedMin = lo;
    }
  }

  /**
   * Replay: whether some series was logged under several refs, so samples must be routed by
   * {@link #replaySeriesId} rather than by ref.
   */
  public boolean replayHasAliases() {
    synchronized (createLock) {
      return !aliases.isEmpty();
    }
  }

  /** Replay: the id of the series logged under {@code ref}, or {@code ref} when unknown. */
  public long replaySeriesId(long ref) {
    MemSeries s = byId(ref);
    return s == null ? ref : s.id;
  }

  /**
   * Starts a replay with closed chunks found in the head chunk files: as each series record is
   * replayed, the chunks logged under its ref are adopted as its oldest data (see
   * {@link ReplayChunks}). Call {@link #endReplay} when the WAL is replayed.
   */
  public void replayChunks(ReplayChunks found) {
    synchronized (commitLock) {
      replayFound = found;
      long[] skip = new long[Math.max(16, found.maxSeriesId() + 1) * 2];
      Arrays.fill(skip, Long.MIN_VALUE);
      replaySkip = skip;
    }
  }

  /** Ends a replay started by {@link #replayChunks}, freeing its state. */
  public void endReplay() {
    synchronized (commitLock) {
      replayFound = null;
      replaySkip = null;
    }
  }

  private ReplayChunks replayFound; // under commitLock
  private long adoptedChunks; // under commitLock

  /** Closed chunks adopted from the head chunk files during replay. */
  public long adoptedChunks() {
    synchronized (commitLock) {
      return adoptedChunks;
    }
  }

  // Under createLock (and commitLock during replay).
  private void adoptFound(MemSeries s, int ref) {
    ReplayChunks found = replayFound;
    int n = found == null ? 0 : found.adoptInto(s, ref);
    if (n == 0) {
      return;
    }
    replaySkip[(ref << 1) + 1] = s.closedMaxT();
    newest.set(s.id, s.maxT);
    adoptedChunks += n;
    widenTimeRange(s.minT, s.maxT);
  }

  /**
   * Deletes the samples in {@code [minT, maxT]} of every series matching {@code matchers}: logged
   * first (a tombstone), then hidden from reads; they disappear physically when the range is cut
   * into a block (checkpoints keep them, with the tombstone). Returns the number of series
   * affected.
   */
  public int delete(long minT, long maxT, List<Matcher> matchers) {
    RoaringBitmap ids = postings.select(matchers);
    long[] refs = new long[ids.getCardinality()];
    int n = 0;
    PeekableIntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      refs[n++] = it.next();
    }
    if (n == 0) {
      return 0;
    }
    long token;
    synchronized (commitLock) {
      token = log.writeTombstones(refs, n, minT, maxT);
      for (int i = 0; i < n; i++) {
        replayTombstone(refs[i], minT, maxT);
      }
    }
    log.awaitDurable(token);
    return n;
  }

  /** Replay (and {@link #delete}): hides {@code [minT, maxT]} of series {@code ref}. */
  public boolean replayTombstone(long ref, long minT, long maxT) {
    MemSeries s = byId(ref);
    if (s == null) {
      return false;
    }
    synchronized (lockFor(s.id)) {
      s.delete(minT, maxT);
    }
    return true;
  }

  /** Whether the sample must be dropped at commit; called under the commit lock. */
  boolean rejectAtCommit(MemSeries s, long t, double v, FloatHistogram h) {
    if (t < minValidTime) {
      droppedAtCommit.incrementAndGet();
      return true;
    }
    if (t > s.maxT) {
      return false;
    }
    boolean dup;
    synchronized (lockFor(s.id)) {
      dup = s.isDuplicateOfLast(t, v, h, chunks);
    }
    if (dup) {
      return true; // an exact retry: nothing to do, nothing lost
    }
    long window = outOfOrderWindowMs;
    if (window > 0 && t >= maxTime - window) {
      return false;
    }
    droppedAtCommit.incrementAndGet();
    return true;
  }

  /** Replay: applies one logged sample; called under the commit lock. */
  private void replayApply(MemSeries s, long t, double v, FloatHistogram h) {
    synchronized (lockFor(s.id)) {
      if (t > s.maxT) {
        appendInOrder(s, t, v, h, options.samplesPerChunk());
      } else if (!applyBehindLocked(s, t, v, h, newestAtCommit(replaySkip, s), true)) {
        return;
      }
    }
    widenTimeRange(t, t);
  }

  /** Commits an appender's batch: log it, then apply it, then wait for durability. */
  void commit(AppendBatch a) {
    long token;
    waitingCommits.incrementAndGet();
    synchronized (commitLock) {
      waitingCommits.decrementAndGet();
      a.validateAtCommit(capturing);
      token = log.write(a);
      a.markLogged();
      applyBatch(a);
      a.applyExtras();
    }
    log.awaitDurable(token);
  }

  /**
   * Applies the accepted samples of a logged batch in order, holding each stripe lock for a run
   * of consecutive samples of series under that stripe (at most {@link #MAX_LOCKED_RUN}).
   * Called under the commit lock.
   */
  private void applyBatch(AppendBatch a) {
    long hi = Long.MIN_VALUE;
    long lo = Long.MAX_VALUE;
    int perChunk = options.samplesPerChunk();
    int touchedTo = 0;
    for (int i = 0, n = a.sampleCount(); i < n; ) {
      if (i >= touchedTo) {
        touchedTo = Math.min(n, i + AppendBatch.PREFETCH_BLOCK);
        a.touchChunkTails(i, touchedTo); // a software prefetch: see MemSeries.touch
      }
      Object lock = lockFor((int) a.ref(i)); // ids in a dense array, no series read
      int end = Math.min(touchedTo, i + MAX_LOCKED_RUN);
      synchronized (lock) {
        do {
          if (a.accepted(i)) {
            MemSeries s = a.series(i);
            long t = a.t(i);
            if (t > s.maxT) {
              appendInOrder(s, t, a.v(i), a.histogram(i), perChunk);
            } else if (!applyBehindLocked(s, t, a.v(i), a.histogram(i), s.maxT, false)) {
              i++;
              continue;
            }
            hi = Math.max(hi, t);
            lo = Math.min(lo, t);
          }
          i++;
        } while (i < end && lockFor((int) a.ref(i)) == lock);
      }
    }
    widenTimeRange(lo, hi);
  }

  /** Every in-order append goes through here, so {@link #newest} follows {@code s.maxT}. */
  private void appendInOrder(MemSeries s, long t, double v, FloatHistogram h, int perChunk) {
    s.appendInOrder(t, v, h, perChunk, chunks);
    newest.set(s.id, t);
  }

  /**
   * The newest in-order timestamp of series {@code id} as last committed, read without a lock
   * (may be stale, never ahead); {@code Long.MIN_VALUE} for an unknown id.
   */
  long newestTime(int id) {
    return newest.get(id);
  }

  /**
   * A sample not after the series' newest: an exact repeat is ignored, another value at the
   * newest in-order timestamp when it was committed ({@code newestAtCommit}) is dropped (a
   * concurrent commit got there first; replay drops it alike), anything else goes to the
   * out-of-order buffer. Returns whether the sample was stored. Under the series' stripe lock.
   */
  private boolean applyBehindLocked(MemSeries s, long t, double v, FloatHistogram h,
      long newestAtCommit, boolean replay) {
    if (s.isDuplicateOfLast(t, v, h, chunks)) {
      return false;
    }
    if (t == newestAtCommit) {
      if (!replay) {
        droppedAtCommit.incrementAndGet();
      }
      return false;
    }
    if (!s.insertOutOfOrder(t, v, h)) {
      if (!replay) {
        droppedAtCommit.incrementAndGet(); // lost a race with a commit at that timestamp
      }
      return false;
    }
    return true;
  }

  /**
   * Replay: the newest in-order timestamp series {@code s} had when the sample now replayed was
   * committed. While chunks taken over from the head chunk files put the series' own
   * {@code maxT} ahead, {@link #replaySkip} tracks it; otherwise replay has applied exactly what
   * the commits had, and it is {@code maxT}.
   */
  private static long newestAtCommit(long[] skip, MemSeries s) {
    return newestAtCommit(trackedNewest(skip, s.id), s);
  }

  /** {@link #newestAtCommit} from {@link #trackedNewest}'s answer read earlier. */
  private static long newestAtCommit(long tracked, MemSeries s) {
    return tracked != Long.MIN_VALUE ? tracked : s.maxT;
  }

  /**
   * The newest in-order timestamp {@link #replaySkip} tracks for series {@code id},
   * {@code Long.MIN_VALUE} when it tracks none (the series' {@code maxT} is it then).
   */
  private static long trackedNewest(long[] skip, int id) {
    return tracksNewest(skip, id) ? skip[id << 1] : Long.MIN_VALUE;
  }

  /**
   * Replay of one float sample on an apply worker: appended in order without the stripe lock
   * (nobody reads the head during replay), or, behind the series' newest, under it as a commit
   * applies it ({@code tracked}: {@link #trackedNewest} read right after the sample's own
   * taken-over-chunk check). Returns whether the sample was stored.
   */
  private boolean replayFloat(MemSeries s, long t, double v, long tracked, int perChunk) {
    if (t > s.maxT) {
      appendInOrder(s, t, v, null, perChunk);
      return true;
    }
    synchronized (lockFor(s.id)) {
      return applyBehindLocked(s, t, v, null, newestAtCommit(tracked, s), true);
    }
  }

  /** Whether {@link #replaySkip} tracks series {@code id}'s newest in-order timestamp. */
  private static boolean tracksNewest(long[] skip, int id) {
    return skip != null && id < skip.length >>> 1 && skip[(id << 1) + 1] != Long.MIN_VALUE;
  }

  // ---- exemplars and metadata ----

  /** The exemplar ring of this head. */
  public CircularExemplarStorage exemplars() {
    return exemplars;
  }

  /**
   * The series an exemplar or metadata update is for: by ref, else by labels; unlike a sample,
   * neither creates a series (Prometheus: "unknown series").
   */
  MemSeries existingSeries(long ref, Labels labels, String what) {
    MemSeries s = ref != 0 ? byId(ref) : null;
    if (s == null) {
      s = byLabels.get(labels);
    }
    if (s == null) {
      throw new StorageException("unknown series when trying to add " + what + ": ref " + ref
          + ", labels " + labels + " (append a sample of the series first)");
    }
    return s;
  }

  /** The latest metadata of series {@code ref}, null when none was recorded. */
  public Metadata metadataOf(long ref) {
    MemSeries s = byId(ref);
    return s == null ? null : metadata.get(s.id);
  }

  void setMetadata(int id, Metadata m) {
    metadata.set(id, m);
  }

  /**
   * Replay: stores a logged exemplar (out of order or repeated ones are dropped as at commit).
   * Returns false when the ref is unknown.
   */
  public boolean replayExemplar(long ref, long t, double v, Labels labels) {
    MemSeries s = byId(ref);
    if (s == null) {
      return false;
    }
    exemplars.add(s.id, t, v, labels);
    return true;
  }

  /** Replay: the series' metadata from this point of the log. False when the ref is unknown. */
  public boolean replayMetadata(long ref, Metadata m) {
    MemSeries s = byId(ref);
    if (s == null) {
      return false;
    }
    metadata.set(s.id, m);
    return true;
  }

  /**
   * The exemplars in {@code [minT, maxT]} of the series matching any of the matcher sets,
   * oldest first per series, series sorted by labels (as Prometheus's exemplar querier). Series
   * garbage-collected from the head keep their exemplars until the ring overwrites them, and
   * are matched by their labels (see {@link CircularExemplarStorage#detach}).
   */
  @Override
  public List<ExemplarSeries> selectExemplars(long minT, long maxT,
      List<List<Matcher>> matcherSets) {
    if (exemplars.capacity() == 0 || minT > maxT) {
      return new ArrayList<>();
    }
    // Head series by postings, then the series that left the head by labels. A chain moving
    // between the two meanwhile (a series collected, or re-created) could be seen twice or
    // missed: retry, and at last hold off collection and creation (both under createLock).
    for (int attempt = 0; attempt < 3; attempt++) {
      long moves = exemplars.moves();
      List<ExemplarSeries> out = collectExemplars(minT, maxT, matcherSets);
      if (exemplars.moves() == moves) {
        return out;
      }
    }
    synchronized (createLock) {
      return collectExemplars(minT, maxT, matcherSets);
    }
  }

  private List<ExemplarSeries> collectExemplars(long minT, long maxT,
      List<List<Matcher>> matcherSets) {
    List<ExemplarSeries> out = new ArrayList<>();
    RoaringBitmap ids = new RoaringBitmap();
    for (List<Matcher> set : matcherSets) {
      ids.or(postings.select(set));
    }
    PeekableIntIterator it = ids.getIntIterator();
    List<Exemplar> found = new ArrayList<>();
    while (it.hasNext()) {
      MemSeries s = byId(it.next());
      if (s == null || exemplars.select(s.id, minT, maxT, found) == 0) {
        continue;
      }
      out.add(new ExemplarSeries(s.labels, found));
      found.clear();
    }
    exemplars.selectDetached(minT, maxT, matcherSets, out);
    out.sort((a, b) -> a.seriesLabels().compareTo(b.seriesLabels()));
    return out;
  }

  /** A series and its latest metadata, as {@link #seriesMetadata} lists them. */
  public record SeriesMetadataEntry(Labels labels, Metadata metadata) {}

  /**
   * The metadata of the head series matching {@code matchers} that have any (for
   * {@code /api/v1/metadata}-like reads; survives restarts through the WAL), sorted by labels.
   */
  public List<SeriesMetadataEntry> seriesMetadata(List<Matcher> matchers) {
    List<SeriesMetadataEntry> out = new ArrayList<>();
    PeekableIntIterator it = postings.select(matchers).getIntIterator();
    while (it.hasNext()) {
      MemSeries s = byId(it.next());
      Metadata m = s == null ? null : metadata.get(s.id);
      if (m != null) {
        out.add(new SeriesMetadataEntry(s.labels, m));
      }
    }
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  /** For WAL checkpoints: the exemplars of series {@code ref} at or after {@code from}. */
  public List<Exemplar> exemplarsOf(long ref, long from) {
    MemSeries s = byId(ref);
    if (s == null || !exemplars.has(s.id)) {
      return List.of(); // most series: no list to build
    }
    List<Exemplar> out = new ArrayList<>();
    exemplars.select(s.id, from, Long.MAX_VALUE, out);
    return out;
  }
}
