package dev.vigil.tsdb;

import dev.vigil.model.exemplar.ExemplarQueryable;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockFormat;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.BlockWriter;
import dev.vigil.tsdb.block.Ulid;
import dev.vigil.tsdb.chunks.MappedHeadChunks;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.CommitBatch;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.ReplayChunks;
import dev.vigil.tsdb.head.SnapshotMismatchException;
import dev.vigil.tsdb.snapshot.HeadSnapshotFormat;
import dev.vigil.tsdb.snapshot.HeadSnapshotReader;
import dev.vigil.tsdb.snapshot.HeadSnapshotWriter;
import dev.vigil.tsdb.snapshot.WalPosition;
import dev.vigil.tsdb.wal.WalCheckpoint;
import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalReadAhead;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalRepair;
import dev.vigil.tsdb.wal.WalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * One time-series database in a directory ({@code <dir>/wal}, {@code <dir>/chunks_head},
 * {@code <dir>/blocks}, {@code <dir>/lock}; see {@code FORMATS.md}): the head, made durable by
 * the WAL, its full chunks in memory-mapped files, and immutable blocks cut from it. Every commit is in the WAL before it returns; {@link #open} opens the
 * blocks and replays the WAL (checkpoint first), repairing a damaged tail (logged, quarantined,
 * never deleted). Thread-safe. Only one process may open a directory (an OS file lock).
 */
public final class Tsdb implements Storage, ExemplarQueryable, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());
  static final String BLOCKS = "blocks";
  static final String QUARANTINE = "quarantine";
  static final String CHUNKS_HEAD = "chunks_head";

  private final Path dir;
  /** As opened, then as {@link #updateLimits} changed it (under limitsLock). */
  private volatile TsdbOptions options;
  private final Object limitsLock = new Object();
  private final Clock clock;
  private final Head head;
  private final MappedHeadChunks headChunks;
  private final WalWriter wal;
  private final CopyOnWriteArrayList<Block> blocks;
  private final Object cutLock = new Object();
  /** Block directories {@link #loadNewBlocks} leaves alone: dropped, broken or refused. */
  private final Set<String> notLoaded = new HashSet<>(); // under cutLock
  /**
   * End of the newest range cut from the head into a block (written under cutLock, read by
   * queries). Not the head's minValidTime: that moves before a cut is written, and a cut that
   * fails (disk full) must be retried from the same start instead of being skipped and
   * truncated away. Queries read the head only from here on: what the head still holds before
   * it (whole chunks that straddle the cut) is in a block, or was dropped with one by retention
   * and must not come back from the head.
   */
  private volatile long cutUpTo;
  /** Queriers by the cut generation they opened in, so a cut can wait for the older ones. */
  private final HeadReaders headReaders = new HeadReaders();
  /** How long a cut waits for queriers opened before it (Prometheus waits without a limit). */
  private static final long READER_WAIT_NANOS = 120_000_000_000L;
  private final SplittableRandom ids;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ReplayStats replay;
  private volatile boolean closed;
  // When the last head snapshot was written (or the database opened), by the clock, and the
  // WAL's byte count then: guarded by cutLock, read without it by writeHeadSnapshotIfDue.
  private volatile long snapshotAtMillis;
  private volatile long snapshotAtWalBytes;
  /** Size of the head snapshot last written while open, 0 when none was. */
  private volatile long headSnapshotBytes;

  /**
   * What opening found in the WAL.
   *
   * @param samples samples replayed
   * @param series series records replayed
   * @param unknownRefs samples dropped because their series record was missing
   * @param corruption description of repaired damage, or null
   * @param millis time the replay took
   * @param headChunks closed chunks taken over from the head chunk files (their samples in the
   *     WAL were counted in {@code samples} but not decoded into the head again)
   * @param headChunkCorruption damage found in the head chunk files (the WAL replayed what
   *     they lost), or null
   * @param snapshotSeries series restored from a head snapshot instead of replaying the WAL (0:
   *     the WAL was replayed, and the other counts describe that)
   * @param runsSkipped float runs of the checkpoint skipped without decoding, as the chunks
   *     taken over held them (their samples are counted in {@code samples})
   */
  public record ReplayStats(long samples, long series, long unknownRefs, String corruption,
      long millis, long headChunks, String headChunkCorruption, long snapshotSeries,
      long runsSkipped) {}

  /** No snapshot restored, the head is untouched. */
  private static final long NO_SNAPSHOT = -1;
  /** {@link #restoreSnapshot}: a restore failed part way, the head must be thrown away. */
  private static final long HEAD_UNUSABLE = -2;

  /**
   * Opens the head snapshot (written at a clean close or by {@link #writeHeadSnapshot}) and
   * starts decoding it, if there is one and it still stands for the head (see
   * {@link #staleness}); else returns null, having removed a stale snapshot (the WAL holds all
   * it held) or quarantined a damaged one.
   */
  private static HeadSnapshotReader openSnapshot(Path dir, Path walDir, int samplesPerChunk)
      throws IOException {
    Files.deleteIfExists(dir.resolve(HeadSnapshotFormat.TMP_NAME)); // a write cut short
    Path file = dir.resolve(HeadSnapshotFormat.FILE_NAME);
    if (!Files.exists(file)) {
      return null;
    }
    HeadSnapshotReader reader;
    try {
      reader = HeadSnapshotReader.open(file);
    } catch (IOException | CorruptDataException e) {
      LOG.log(System.Logger.Level.WARNING, "head snapshot " + file + " not used ("
          + e.getMessage() + "): replaying the WAL instead");
      quarantine(dir, file, "damaged head snapshot");
      return null;
    }
    String stale = staleness(walDir, reader.walPosition());
    if (stale != null) {
      LOG.log(System.Logger.Level.INFO, "head snapshot " + file + " is stale (" + stale
          + "): replaying the WAL");
      reader.close();
      Files.delete(file);
      return null;
    }
    reader.startDecoding(openChunksTo(walDir, reader.walPosition(), samplesPerChunk));
    return reader;
  }

  /**
   * What a snapshot written at {@code at} has its open chunks restored for (see
   * {@link HeadSnapshotReader#startDecoding}): when WAL records follow it (a crash after it),
   * the replay fills them next, and they get the room it would reserve instead of being copied
   * to it; else (a clean close) 0, the room resuming gives.
   */
  static int openChunksTo(Path walDir, WalPosition at, int samplesPerChunk) throws IOException {
    return hasRecordsAfter(walDir, at.lastSegment()) ? samplesPerChunk : 0;
  }

  /**
   * Why a snapshot written when the WAL ended at {@code at} no longer stands for the head, or
   * null: the WAL must still hold that segment, unchanged, and no checkpoint made after it (a
   * block cut since, which also dropped data from the head). Segments written after it are the
   * WAL replayed on top of the snapshot.
   */
  private static String staleness(Path walDir, WalPosition at) throws IOException {
    if (at.lastSegment() >= 0) {
      Path seg = walDir.resolve(WalFormat.segmentName(at.lastSegment()));
      if (!Files.exists(seg)) {
        return "WAL segment " + at.lastSegment() + " is gone";
      }
      long size = Files.size(seg);
      if (size != at.lastSegmentBytes()) {
        return "WAL segment " + at.lastSegment() + " has " + size + " bytes, the snapshot was"
            + " written at " + at.lastSegmentBytes();
      }
    }
    WalCheckpoint.Found cp = WalCheckpoint.latest(walDir);
    if (cp != null && cp.lastSegment() > at.lastSegment()) {
      return "WAL checkpoint of segments up to " + cp.lastSegment() + " is newer";
    }
    return null;
  }

  /**
   * Whether opening the database in {@code dir} would replay WAL records: it was not closed
   * cleanly (a crash, a kill), or was closed without writing a head snapshot, or its snapshot
   * no longer stands for the head (damaged, stale). A server uses it to start such replays at
   * once instead of at the database's first request. Reads the WAL's file sizes and the
   * snapshot's header only; when in doubt (an unreadable file) it answers true, and the open
   * then reports what is wrong.
   */
  public static boolean hasWalToReplay(Path dir) {
    Path walDir = dir.resolve("wal");
    if (!Files.isDirectory(walDir)) {
      return false;
    }
    try {
      int coveredUpTo = -1; // segments after this one hold what an open replays
      Path snapshot = dir.resolve(HeadSnapshotFormat.FILE_NAME);
      if (Files.exists(snapshot)) {
        try (HeadSnapshotReader reader = HeadSnapshotReader.open(snapshot)) {
          if (staleness(walDir, reader.walPosition()) != null) {
            return true;
          }
          coveredUpTo = reader.walPosition().lastSegment();
        }
      } else if (WalCheckpoint.latest(walDir) != null) {
        return true;
      }
      return hasRecordsAfter(walDir, coveredUpTo);
    } catch (IOException | CorruptDataException | UncheckedIOException e) {
      return true;
    }
  }

  /** Whether a WAL segment after {@code segment} holds more than its header: records. */
  private static boolean hasRecordsAfter(Path walDir, int segment) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(walDir)) {
      for (Path f : files) {
        if (WalFormat.segmentIndex(f.getFileName().toString()) > segment
            && Files.size(f) > WalFormat.SEGMENT_HEADER_SIZE) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Restores the head from an opened snapshot (see {@link #openSnapshot}). Returns the series
   * restored, or {@link #HEAD_UNUSABLE} when the snapshot turned out damaged or not to fit the
   * head chunk files; it is then removed (a damaged one moved to the quarantine).
   */
  private static long restoreSnapshot(Path dir, HeadSnapshotReader reader, Head head)
      throws IOException {
    Path file = dir.resolve(HeadSnapshotFormat.FILE_NAME);
    long result = HEAD_UNUSABLE;
    boolean damaged = false;
    try (reader) {
      result = reader.restoreInto(head);
    } catch (IOException | CorruptDataException | SnapshotMismatchException e) {
      damaged = !(e instanceof SnapshotMismatchException);
      LOG.log(System.Logger.Level.WARNING, "head snapshot " + file + " not used ("
          + e.getMessage() + "): replaying the WAL instead");
    }
    if (damaged) {
      quarantine(dir, file, "damaged head snapshot");
    } else if (result < 0) {
      Files.delete(file);
    }
    // A restored snapshot stays: until the next block cut, a crash restores it again and
    // replays only the WAL written after it.
    return result;
  }

  private Tsdb(Path dir, TsdbOptions options, Clock clock, Head head, MappedHeadChunks headChunks,
      WalWriter wal, List<Block> blocks, FileChannel lockChannel, FileLock lock,
      ReplayStats replay) {
    this.dir = dir;
    this.options = options;
    this.clock = clock;
    this.head = head;
    this.headChunks = headChunks;
    this.blocks = new CopyOnWriteArrayList<>(blocks);
    this.ids = new SplittableRandom(clock.millis() ^ System.nanoTime());
    this.wal = wal;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.replay = replay;
    this.cutUpTo = head.minValidTime();
    // A head rebuilt from WAL records is what the next crash would replay again, and more: its
    // first periodic snapshot is due at once, so a process killed again and again (an OOM
    // loop) replays that WAL once, not at every start.
    boolean replayed = replay.samples() > 0 || replay.series() > 0;
    this.snapshotAtMillis = replayed ? Long.MIN_VALUE / 2 : clock.millis();
    this.snapshotAtWalBytes = replayed ? -1 : 0;
  }

  public static Tsdb open(Path dir, TsdbOptions options) {
    return open(dir, options, Clock.systemUTC());
  }

  /**
   * Whether {@code dir}'s database is open now, in another process (a running server) or in
   * this one: its lock is held.
   */
  public static boolean isOpenElsewhere(Path dir) {
    Path lockFile = dir.resolve("lock");
    if (!Files.exists(lockFile)) {
      return false;
    }
    try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock l = tryLock(c);
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the lock of " + dir, e);
    }
  }

  /** The directory lock, or null while another process or this one holds it. */
  private static FileLock tryLock(FileChannel c) throws IOException {
    try {
      return c.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held in this JVM
    }
  }

  /** Opens with {@code clock} used for block ids (ULIDs carry their creation time). */
  public static Tsdb open(Path dir, TsdbOptions options, Clock clock) {
    FileChannel lockChannel = null;
    try {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = tryLock(lockChannel);
      if (lock == null) {
        throw new StorageException("database " + dir + " is already open (lock file "
            + dir.resolve("lock") + " held)");
      }
      Path walDir = dir.resolve("wal");
      Files.createDirectories(walDir);
      Files.createDirectories(dir.resolve(BLOCKS));
      long start = System.nanoTime();
      CommitLogProxy proxy = new CommitLogProxy();
      // Decoding a snapshot starts now, overlapping the scan of the head chunk files.
      HeadSnapshotReader snapshot = openSnapshot(dir, walDir,
          options.head().samplesPerChunk());
      List<Block> blocks = List.of();
      MappedHeadChunks headChunks = null;
      try {
        blocks = openBlocks(dir, (p, why) -> quarantine(dir, p, why));
        // Chunks ending before the blocks' end, or before the end of the last cut (retention
        // may have dropped its block since), are in a block already or went with one.
        WalCheckpoint.Found checkpoint = WalCheckpoint.latest(walDir);
        long minValid = minValidTime(checkpoint, blocks);
        long keepFrom = minValid;
        ReplayChunks found = new ReplayChunks();
        headChunks = MappedHeadChunks.open(dir.resolve(CHUNKS_HEAD), options.headChunkFileSize(),
            dir.resolve(QUARANTINE), (id, ref, minT, maxT) -> {
              if (maxT >= keepFrom) {
                found.add(id, ref, minT, maxT);
              }
            });
        // Appends at most half a block range behind the newest sample (Head.appendFloor).
        long appendableLag = options.blockRangeMs() / 2;
        Head head = new Head(options.head(), proxy, headChunks, appendableLag);
        head.replayChunks(found.seal());
        int snapshotSegment = snapshot == null ? -1 : snapshot.walPosition().lastSegment();
        long restored = snapshot == null ? NO_SNAPSHOT : restoreSnapshot(dir, snapshot, head);
        snapshot = null;
        if (restored == HEAD_UNUSABLE) {
          head = new Head(options.head(), proxy, headChunks, appendableLag);
          head.replayChunks(found);
        }
        // A restored snapshot holds everything up to its WAL position; else the checkpoint does.
        boolean fromSnapshot = restored >= 0;
        WalCheckpoint.Found replayCheckpoint = fromSnapshot ? null : checkpoint;
        int replayAfter = fromSnapshot ? Math.max(0, snapshotSegment) : 0;
        ReplayHandler handler = new ReplayHandler(head, options.effectiveReplayApplyShards(),
            replayBytes(walDir, replayCheckpoint, replayAfter));
        try {
          return openWithBlocks(dir, options, clock, walDir, head, headChunks, proxy, handler,
              blocks, replayCheckpoint, replayAfter, minValid, start, lockChannel, lock, restored);
        } finally {
          handler.close();
        }
      } catch (RuntimeException | IOException e) {
        for (Block b : blocks) {
          b.close();
        }
        if (headChunks != null) {
          headChunks.close();
        }
        if (snapshot != null) {
          snapshot.close();
        }
        throw e;
      }
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new UncheckedIOException("cannot open database " + dir, e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  /**
   * The oldest time the head may hold: what is older is in {@code blocks} already, or before the
   * end of the cut that wrote {@code checkpoint} (retention may have dropped its block since).
   */
  static long minValidTime(WalCheckpoint.Found checkpoint, List<Block> blocks) {
    long minValid = checkpoint == null ? Long.MIN_VALUE : checkpoint.cutEnd();
    for (Block b : blocks) {
      minValid = Math.max(minValid, b.meta().maxTime());
    }
    return minValid;
  }

  /**
   * Replays {@code checkpoint} (if any; then from the segment after it) and the WAL segments
   * after {@code after} into {@code handler}: reading, CRC checks and decoding on a second
   * thread, up to a window of samples ahead of this one, which applies them. A damaged
   * checkpoint is logged and replayed up to its damage; the WAL's own result (with its damage,
   * if any) is returned for the caller to repair or report.
   */
  static WalReader.Result replayWal(Path walDir, WalCheckpoint.Found checkpoint, int after,
      ReplayHandler handler) {
    if (checkpoint != null) {
      WalReader.Result cr = WalReadAhead.read(checkpoint.dir(), handler, 0, handler.aheadBytes());
      handler.finish();
      if (cr.corruption() != null) {
        LOG.log(System.Logger.Level.ERROR, "WAL checkpoint " + checkpoint.dir() + " is damaged ("
            + cr.corruption() + "); replayed what precedes the damage");
      }
      after = checkpoint.lastSegment();
    }
    WalReader.Result result = WalReadAhead.read(walDir, handler, after, handler.aheadBytes());
    handler.finish();
    return result;
  }

  /**
   * The bytes {@link #replayWal} reads with these arguments: the checkpoint's segments, then
   * the WAL's after {@code after} (a segment gone meanwhile counts nothing).
   */
  static long replayBytes(Path walDir, WalCheckpoint.Found checkpoint, int after)
      throws IOException {
    long bytes = 0;
    if (checkpoint != null) {
      bytes += segmentBytes(checkpoint.dir(), 0);
      after = checkpoint.lastSegment();
    }
    return bytes + (Files.isDirectory(walDir) ? segmentBytes(walDir, after) : 0);
  }

  private static long segmentBytes(Path dir, int after) throws IOException {
    long bytes = 0;
    for (int i : WalReader.segments(dir)) {
      if (i > after) {
        try {
          bytes += Files.size(dir.resolve(WalFormat.segmentName(i)));
        } catch (NoSuchFileException e) {
          // removed since it was listed: nothing to replay there
        }
      }
    }
    return bytes;
  }

  private static Tsdb openWithBlocks(Path dir, TsdbOptions options, Clock clock, Path walDir,
      Head head, MappedHeadChunks headChunks, CommitLogProxy proxy, ReplayHandler handler,
      List<Block> blocks, WalCheckpoint.Found replayCheckpoint, int replayAfter, long minValid,
      long start, FileChannel lockChannel, FileLock lock, long snapshotSeries) {
    boolean fromSnapshot = snapshotSeries >= 0;
    WalReader.Result result = replayWal(walDir, replayCheckpoint, replayAfter, handler);
    String corruption = null;
    if (result.corruption() != null) {
      corruption = result.corruption().toString();
      WalRepair.repair(walDir, result.corruption(), result.segments());
    }
    long adopted = head.adoptedChunks();
    head.endReplay();
    WalWriter writer = WalWriter.open(walDir, options.wal());
    proxy.target = new WalCommitLog(writer);
    ReplayStats stats = new ReplayStats(handler.samples, handler.series, handler.unknown,
        corruption, (System.nanoTime() - start) / 1_000_000, adopted,
        headChunks.loaded().corruption(), Math.max(0, snapshotSeries), handler.runsSkipped);
    if (handler.unknown > 0) {
      LOG.log(System.Logger.Level.WARNING, "WAL " + walDir + ": " + handler.unknown
          + " samples referenced series with no series record and were skipped");
    }
    if (fromSnapshot) {
      LOG.log(System.Logger.Level.INFO, "opened " + dir + ": restored " + snapshotSeries
          + " series from the head snapshot (" + adopted + " full chunks from " + CHUNKS_HEAD
          + ") and replayed " + stats.samples() + " samples of the WAL after it in "
          + stats.millis() + " ms");
    } else {
      LOG.log(System.Logger.Level.INFO, "opened " + dir + ": replayed " + stats.samples()
          + " samples of " + head.numSeries() + " series (" + adopted + " full chunks from "
          + CHUNKS_HEAD + ", holding " + handler.runsSkipped + " runs of the checkpoint) and "
          + handler.exemplars + " exemplars in " + stats.millis() + " ms");
    }
    // The head must not accept what the blocks already hold, nor what a cut moved to a block
    // that retention dropped since; queries read the head from there on (Tsdb.cutUpTo).
    head.setMinValidTime(minValid);
    return new Tsdb(dir, options, clock, head, headChunks, writer, blocks, lockChannel, lock,
        stats);
  }

  /** What becomes of a block directory that cannot be used. */
  @FunctionalInterface
  interface BrokenBlock {
    void found(Path block, String why) throws IOException;
  }

  /**
   * Opens every block under {@code <dir>/blocks}. Leftover {@code .tmp} directories (a crash
   * while writing, or a block being written now) and blocks that fail to open go to
   * {@code broken} ({@link #open} moves them to {@code <dir>/quarantine} with a warning);
   * nothing is deleted.
   */
  static List<Block> openBlocks(Path dir, BrokenBlock broken) throws IOException {
    return openBlocks(dir, name -> false, broken);
  }

  /**
   * Opens the block directories that appeared since {@code open} were opened: those that are
   * none of them, not named in {@code leaveAlone}, and not still being written ({@code .tmp},
   * which wait for their rename).
   */
  static List<Block> openNewBlocks(Path dir, List<Block> open, Set<String> leaveAlone,
      BrokenBlock broken) {
    Set<String> known = new HashSet<>(leaveAlone);
    for (Block b : open) {
      known.add(b.dir().getFileName().toString());
    }
    try {
      return openBlocks(dir, name -> known.contains(name)
          || name.endsWith(BlockFormat.TMP_SUFFIX), broken);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the blocks of " + dir, e);
    }
  }

  /** As {@link #openBlocks(Path, BrokenBlock)}, leaving alone the directories {@code skip} names. */
  private static List<Block> openBlocks(Path dir, Predicate<String> skip, BrokenBlock broken)
      throws IOException {
    Path blocksDir = dir.resolve(BLOCKS);
    List<Block> out = new ArrayList<>();
    if (!Files.isDirectory(blocksDir)) {
      return out;
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(blocksDir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p)) {
          entries.add(p);
        }
      }
    }
    entries.sort(null);
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (skip.test(name)) {
        continue;
      }
      if (name.endsWith(BlockFormat.TMP_SUFFIX)) {
        broken.found(p, "incomplete block (writer stopped before finishing)");
        continue;
      }
      try {
        out.add(Block.open(p));
      } catch (CorruptDataException e) {
        broken.found(p, e.getMessage());
      }
    }
    out.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
    return out;
  }

  private static void quarantine(Path dir, Path p, String why) throws IOException {
    Path q = dir.resolve(QUARANTINE);
    Files.createDirectories(q);
    Path dst = q.resolve(p.getFileName().toString());
    Files.move(p, dst, StandardCopyOption.REPLACE_EXISTING);
    LOG.log(System.Logger.Level.WARNING, "moved " + p + " to " + dst + ": " + why);
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Already failing; the original error matters.
      }
    }
  }

  /** Lets the head exist during replay (no logging) before the WAL writer is opened. */
  private static final class CommitLogProxy implements CommitLog {
    volatile CommitLog target = CommitLog.NONE;

    @Override
    public long write(CommitBatch batch) {
      return target.write(batch);
    }

    @Override
    public long writeTombstones(long[] refs, int n, long minT, long maxT) {
      return target.writeTombstones(refs, n, minT, maxT);
    }

    @Override
    public void awaitDurable(long token) {
      target.awaitDurable(token);
    }
  }

  @Override
  public Appender appender() {
    ensureOpen();
    return head.appender();
  }

  /** Whether start timestamps become zero samples ({@link Head#startTimestampZeroSamples}). */
  @Override
  public boolean ingestsStartTimestamps() {
    return head.startTimestampZeroSamples();
  }

  /**
   * Reads head and blocks; on equal timestamps the head's sample wins. The head is read from the
   * end of the last cut on (see {@link #cutUpTo}); the block holding that cut is in the list
   * before the bound moves, and a cut truncates the head only once the queriers opened before it
   * have closed ({@link HeadReaders}), so no sample is ever missing from a query.
   */
  @Override
  public Querier querier(long minT, long maxT) {
    ensureOpen();
    HeadReaders.Generation reading = headReaders.enter();
    List<Querier> qs = new ArrayList<>();
    try {
      qs.add(head.querier(Math.max(minT, cutUpTo), maxT));
      for (Block b : blocks) {
        // A block dropped meanwhile (compaction, retention) fails tryAcquire: its data is in the
        // block that replaced it, which is in the list we iterate, or was meant to go.
        if (b.meta().minTime() <= maxT && b.meta().maxTime() > minT && b.tryAcquire()) {
          Querier bq;
          try {
            bq = b.querier(minT, maxT);
          } catch (RuntimeException e) {
            b.release();
            throw e;
          }
          qs.add(new ClosingQuerier(bq, b::release));
        }
      }
    } catch (RuntimeException e) {
      for (Querier q : qs) {
        q.close();
      }
      reading.leave();
      throw e;
    }
    return new ClosingQuerier(qs.size() == 1 ? qs.get(0) : new MergeQuerier(qs), reading::leave);
  }

  /**
   * A querier that runs {@code onClose} after closing the one it wraps, once however often it is
   * closed: a block reference released twice, or a {@link HeadReaders} generation left twice,
   * would let a block be unmapped or a cut truncate under another reader.
   */
  private static final class ClosingQuerier implements Querier {
    private final Querier q;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    ClosingQuerier(Querier q, Runnable onClose) {
      this.q = q;
      this.onClose = onClose;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers) {
      return q.select(sorted, hints, matchers);
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
      return q.labelValues(name, matchers);
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
      return q.labelNames(matchers);
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        q.close();
      } finally {
        onClose.run();
      }
    }
  }

  /**
   * Merges blocks into larger ones, as Prometheus does 2 h → 6 h → 24 h: for each range
   * {@code blockRange × 3^k} (k = 1, 2) whose aligned window is complete (data exists after
   * it), the two or more blocks inside the window become one block of the window; the sources
   * are then dropped (deleted once no query uses them). Returns the blocks written.
   * A crash between writing and deleting leaves overlapping blocks, which queries merge and the
   * next compaction folds together.
   */
  public List<BlockMeta> compact() {
    ensureOpen();
    List<BlockMeta> written = new ArrayList<>();
    synchronized (cutLock) {
      // Blocks with tombstones are rewritten on their own so deleted samples leave the disk.
      for (Block b : List.copyOf(blocks)) {
        if (b.hasTombstones()) {
          written.add(merge(List.of(b), b.meta().minTime(), b.meta().maxTime()));
        }
      }
      long[] ranges = {options.blockRangeMs() * 3, options.blockRangeMs() * 12};
      for (long range : ranges) {
        boolean again = true;
        while (again) {
          again = false;
          List<Block> current = List.copyOf(blocks);
          long newest = head.minValidTime();
          for (Block b : current) {
            newest = Math.max(newest, b.meta().maxTime());
          }
          for (int i = 0; i < current.size(); i++) {
            long start = Math.floorDiv(current.get(i).meta().minTime(), range) * range;
            long end = start + range;
            List<Block> group = new ArrayList<>();
            for (Block b : current) {
              if (b.meta().minTime() >= start && b.meta().maxTime() <= end) {
                group.add(b);
              }
            }
            if (group.size() < 2 || newest < end) {
              continue;
            }
            written.add(merge(group, start, end));
            again = true;
            break;
          }
        }
      }
    }
    return written;
  }

  private BlockMeta merge(List<Block> group, long start, long end) {
    List<Querier> qs = new ArrayList<>();
    int level = 0;
    for (Block b : group) {
      qs.add(b.querier(start, end - 1));
      level = Math.max(level, b.meta().level());
    }
    if (group.size() == 1) {
      level--; // a rewrite to apply tombstones keeps the level
    }
    BlockMeta meta;
    try (Querier q = new MergeQuerier(qs)) {
      meta = BlockWriter.write(dir.resolve(BLOCKS), Ulid.generate(clock.millis(), ids), q, start,
          end, options.blockChunks(), level + 1);
    }
    blocks.add(Block.open(dir.resolve(BLOCKS).resolve(meta.ulid())));
    blocks.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
    drop(group);
    LOG.log(System.Logger.Level.INFO, dir + ": compacted " + group.size() + " blocks into "
        + meta.ulid() + " [" + start + ", " + end + ")");
    return meta;
  }

  /**
   * Deletes blocks entirely older than {@code maxAgeMs} before the newest sample, and then the
   * oldest blocks while all blocks together exceed {@code maxBytes} (0: no size limit).
   * Returns how many blocks were dropped.
   */
  public int applyRetention(long maxAgeMs, long maxBytes) {
    ensureOpen();
    synchronized (cutLock) {
      long newest = head.maxTime();
      for (Block b : blocks) {
        newest = Math.max(newest, b.meta().maxTime() - 1);
      }
      List<Block> sorted = new ArrayList<>(blocks);
      sorted.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
      List<Block> victims = new ArrayList<>();
      long total = 0;
      for (Block b : sorted) {
        total += blockBytes(b);
      }
      for (Block b : sorted) {
        boolean tooOld = maxAgeMs > 0 && b.meta().maxTime() <= newest - maxAgeMs;
        boolean tooBig = maxBytes > 0 && total > maxBytes;
        if (!tooOld && !tooBig) {
          break;
        }
        victims.add(b);
        total -= blockBytes(b);
      }
      if (!victims.isEmpty()) {
        drop(victims);
        LOG.log(System.Logger.Level.INFO, dir + ": retention dropped " + victims.size()
            + " block(s)");
      }
      return victims.size();
    }
  }

  private static long blockBytes(Block b) {
    long n = b.meta().indexLength();
    for (long l : b.meta().chunkSegmentLengths()) {
      n += l;
    }
    return n;
  }

  // Removes blocks from the list (new queries stop seeing them), deletes their directories
  // (running queries keep their memory mappings) and releases the owner references.
  private void drop(List<Block> victims) {
    blocks.removeAll(victims);
    for (Block b : victims) {
      notLoaded.add(b.dir().getFileName().toString()); // if deleting fails, it stays dropped
      try {
        FileTrees.delete(b.dir());
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "could not delete dropped block " + b.dir(), e);
      }
      b.close();
    }
  }

  /**
   * Deletes the samples in {@code [minT, maxT]} of every series matching {@code matchers}, in
   * the head (a WAL tombstone record) and in every overlapping block (its tombstones file).
   * Deleted samples vanish from queries at once and from disk when compacted or cut.
   * Returns the number of (series, head-or-block) pairs affected.
   */
  public int delete(long minT, long maxT, List<Matcher> matchers) {
    ensureOpen();
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("delete needs at least one matcher");
    }
    synchronized (cutLock) {
      int n = head.delete(minT, maxT, matchers);
      for (Block b : blocks) {
        n += b.delete(minT, maxT, matchers);
      }
      return n;
    }
  }

  /** Open blocks, oldest first. */
  public List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /**
   * Opens the blocks that appeared in {@code blocks/} since the open: a backfill written beside
   * the running server ({@link Backfill#runBeside}), or blocks copied in (as Prometheus takes up
   * blocks at its next reload). A block reaching into the head's time range is refused and left
   * where it is (logged once): the next open would otherwise hide the head's samples before its
   * end. From a block taken up on, the head accepts no sample older than its end, as after a
   * reopen. Directories being written ({@code .tmp}) wait for their rename. Returns how many
   * blocks were taken up.
   */
  public int loadNewBlocks() {
    ensureOpen();
    synchronized (cutLock) {
      List<Block> found = openNewBlocks(dir, blocks, notLoaded, (p, why) -> {
        notLoaded.add(p.getFileName().toString());
        LOG.log(System.Logger.Level.WARNING, "block " + p + " not loaded: " + why);
      });
      int taken = 0;
      for (Block b : found) {
        if (!head.raiseMinValidTimeIfNothingBefore(b.meta().maxTime())) {
          notLoaded.add(b.dir().getFileName().toString());
          LOG.log(System.Logger.Level.ERROR, "block " + b.dir() + " not loaded: it reaches to "
              + Instant.ofEpochMilli(b.meta().maxTime()) + ", into the head, which starts at "
              + Instant.ofEpochMilli(head.minTime()) + "; move it away (only data older than"
              + " the head can be added)");
          b.close();
          continue;
        }
        blocks.add(b);
        taken++;
        LOG.log(System.Logger.Level.INFO, "loaded new block " + b.meta().ulid() + " ["
            + b.meta().minTime() + ", " + b.meta().maxTime() + "): " + b.meta().numSeries()
            + " series, " + b.meta().numSamples() + " samples");
      }
      blocks.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
      return taken;
    }
  }

  /**
   * Cuts blocks from the head while it spans more than 1.5 block ranges (as Prometheus): each
   * cut writes the oldest aligned range {@code [k·range, (k+1)·range)} to a block, drops it from
   * the head, and checkpoints the WAL so replay no longer reads it. Returns the blocks written.
   * Safe to call concurrently with appends and queries; calls are serialised.
   */
  public List<BlockMeta> cutBlocks() {
    ensureOpen();
    List<BlockMeta> written = new ArrayList<>();
    synchronized (cutLock) {
      long range = options.blockRangeMs();
      while (true) {
        long max = head.maxTime();
        if (head.minTime() == Long.MAX_VALUE) {
          break;
        }
        // The head keeps whole chunks that straddle the last cut, so its min time can lag;
        // everything before cutUpTo is in blocks already.
        long min = Math.max(head.minTime(), cutUpTo);
        if (max - min <= range / 2 * 3) {
          break;
        }
        long start = Math.floorDiv(min, range) * range;
        long end = start + range;
        // From here no commit can add samples before `end`: the block below sees them all.
        head.setMinValidTime(end);
        BlockMeta meta;
        try (Querier q = head.querier(start, end - 1)) {
          meta = BlockWriter.write(dir.resolve(BLOCKS), Ulid.generate(clock.millis(),
              ids), q, start, end, options.blockChunks(), 1);
        }
        blocks.add(Block.open(dir.resolve(BLOCKS).resolve(meta.ulid())));
        blocks.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
        cutUpTo = end;
        // Queriers opened from here on read the head from `end`; those opened before may
        // still select what the truncation drops.
        int stillOpen = headReaders.startGenerationAndAwaitPrevious(READER_WAIT_NANOS);
        if (stillOpen > 0) {
          LOG.log(System.Logger.Level.WARNING, "cut [" + start + ", " + end + ") of " + dir
              + ": " + stillOpen + " querier(s) opened before it still open after "
              + READER_WAIT_NANOS / 1_000_000_000 + " s; truncating the head anyway (they may"
              + " miss samples of that range if they select now)");
        }
        dropHeadSnapshot(); // it holds what the truncation below drops
        head.truncateBefore(end);
        headChunks.truncateBefore(end);
        checkpoint(end);
        written.add(meta);
        LOG.log(System.Logger.Level.INFO, dir + ": cut block " + meta.ulid() + " [" + start
            + ", " + end + "): " + meta.numSeries() + " series, " + meta.numSamples()
            + " samples");
      }
    }
    return written;
  }

  /**
   * Rotates the WAL and writes every series and the head's samples from {@code from}, as they
   * were at the rotation, into a checkpoint covering all earlier segments, which are then
   * deleted.
   */
  private void checkpoint(long from) {
    Path walDir = dir.resolve("wal");
    // Commits wait only while the WAL is rotated; the series are captured (copy on write) and
    // written out while they go on.
    int[] last = new int[1];
    Head.CheckpointCapture captured =
        head.beginCheckpointCapture(from, () -> last[0] = wal.rotateNow() - 1);
    int n = last[0];
    try (Head.CheckpointCapture capture = captured;
        WalWriter cw = WalCheckpoint.begin(walDir, n, options.wal())) {
      CheckpointWriter writer = new CheckpointWriter(cw);
      capture.forEach(writer::series);
      writer.flush();
    }
    WalCheckpoint.finish(walDir, n, from);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("database " + dir + " is closed");
    }
  }

  public Head head() {
    return head;
  }

  /** Exemplars are kept in the head only (as Prometheus): blocks hold none. */
  @Override
  public List<ExemplarSeries> selectExemplars(long minT, long maxT,
      List<List<Matcher>> matcherSets) {
    ensureOpen();
    return head.selectExemplars(minT, maxT, matcherSets);
  }

  public ReplayStats replayStats() {
    return replay;
  }

  /** The options in force: those it was opened with, as {@link #updateLimits} changed them. */
  public TsdbOptions options() {
    return options;
  }

  /**
   * Applies new limits to this open database at once, as Prometheus's {@code DB.ApplyConfig}
   * does for its out-of-order window and exemplar storage: the next append is checked against
   * {@code outOfOrderWindowMs}, and the exemplar ring is resized to {@code maxExemplars},
   * keeping its newest exemplars (0 drops them all and stores no more). Data already accepted
   * stays. Returns the options now in force.
   *
   * @throws IllegalArgumentException when a value is invalid (negative, or a window wider than
   *     half the block range); nothing is changed then
   */
  public TsdbOptions updateLimits(long outOfOrderWindowMs, int maxExemplars) {
    ensureOpen();
    synchronized (limitsLock) {
      TsdbOptions next = options.withHead(options.head()
          .withOutOfOrderWindowMs(outOfOrderWindowMs).withMaxExemplars(maxExemplars));
      head.setOutOfOrderWindowMs(outOfOrderWindowMs);
      head.resizeExemplars(maxExemplars);
      options = next;
      return next;
    }
  }

  public Path dir() {
    return dir;
  }

  /**
   * Writes a head snapshot while the database stays open, so that a crash restores it and
   * replays only the WAL written after it (a clean close writes one anyway). Commits wait only
   * while the WAL moves to a new segment; then the head is written out as it was at that point
   * while they go on (each commit first captures the series it changes that are not written
   * yet, see {@code Head.SnapshotCapture}), and the head chunk files and the snapshot are
   * synced. Returns the series written.
   */
  public long writeHeadSnapshot() {
    ensureOpen();
    synchronized (cutLock) {
      long t0 = System.nanoTime();
      WalPosition[] position = new WalPosition[1];
      long[] locked = new long[1];
      Head.SnapshotCapture capture = head.beginSnapshotCapture(() -> {
        locked[0] = System.nanoTime();
        snapshotAtMillis = clock.millis();
        snapshotAtWalBytes = wal.bytesWritten();
        int segment = wal.rotateNow() - 1;
        try {
          headChunks.flush(); // the chunks the snapshot counts, into their files
          position[0] = WalPosition.atEndOf(dir.resolve("wal"), segment);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write head snapshot of " + dir, e);
        }
      });
      // Chunks closed from now on are not counted by the snapshot (a restore adopts them as
      // closed after it, and replays the WAL after it over them).
      long t1 = System.nanoTime();
      HeadSnapshotWriter.Captured captured;
      try (Head.SnapshotCapture c = capture) {
        captured = HeadSnapshotWriter.capture(dir, c, position[0]);
      }
      long t2 = System.nanoTime();
      try {
        FileTrees.syncFiles(dir.resolve(CHUNKS_HEAD));
      } catch (IOException e) {
        captured.abandon();
        throw new UncheckedIOException("cannot sync head chunk files of " + dir, e);
      }
      long n = captured.commit();
      headSnapshotBytes = captured.bytes();
      LOG.log(System.Logger.Level.INFO, "head snapshot of " + dir + ": " + n + " series, "
          + captured.bytes() + " bytes; commits"
          + " waited " + (t1 - locked[0]) / 1_000_000 + " ms (the commit lock taken after "
          + (locked[0] - t0) / 1_000_000 + " ms), written in " + (t2 - t1) / 1_000_000
          + " ms, synced in " + (System.nanoTime() - t2) / 1_000_000 + " ms");
      return n;
    }
  }

  /** The size of the head snapshot last written while open ({@link #writeHeadSnapshot}), 0 when none was. */
  public long headSnapshotBytes() {
    return headSnapshotBytes;
  }

  /**
   * Writes a head snapshot ({@link #writeHeadSnapshot}) if the last one (or the open) is at
   * least {@code intervalMs} old and the WAL has grown since; at once after an open that
   * replayed WAL records. Returns the series written, 0 when none was due.
   */
  public long writeHeadSnapshotIfDue(long intervalMs) {
    if (intervalMs <= 0 || clock.millis() - snapshotAtMillis < intervalMs
        || wal.bytesWritten() == snapshotAtWalBytes) {
      return 0;
    }
    return writeHeadSnapshot();
  }

  /** Removes the head snapshot (before the head drops data it holds). */
  private void dropHeadSnapshot() {
    try {
      Files.deleteIfExists(dir.resolve(HeadSnapshotFormat.FILE_NAME));
    } catch (IOException e) {
      // Harmless: the next open finds it stale (the checkpoint after this cut is newer).
      LOG.log(System.Logger.Level.WARNING, "cannot remove head snapshot of " + dir, e);
    }
  }

  /**
   * Closes the WAL and the head chunk files and writes a head snapshot standing for them, with
   * no cut and no commit running. A snapshot that cannot be written is only logged: the next open
   * replays the WAL.
   */
  private void closeWithSnapshot() {
    synchronized (cutLock) {
      head.exclusive(() -> {
        wal.close();
        headChunks.close();
        try {
          long t0 = System.nanoTime();
          // The snapshot relies on the head chunk files, which are otherwise never synced.
          FileTrees.syncFiles(dir.resolve(CHUNKS_HEAD));
          long n = HeadSnapshotWriter.write(dir, head, WalPosition.of(dir.resolve("wal")));
          LOG.log(System.Logger.Level.INFO, "closed " + dir + ": head snapshot of " + n
              + " series written in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (IOException | UncheckedIOException e) {
          LOG.log(System.Logger.Level.WARNING, "closed " + dir + " without a head snapshot (the"
              + " next open replays the WAL): " + e.getMessage());
        }
      });
    }
  }

  /**
   * Flushes and closes the WAL (writing a head snapshot when the options ask for one) and
   * releases the directory lock. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (options.snapshotOnShutdown()) {
        closeWithSnapshot();
      } else {
        // After a running cut or snapshot: they read the WAL and the head chunk files.
        synchronized (cutLock) {
          wal.close();
          headChunks.close();
        }
      }
      for (Block b : blocks) {
        b.close();
      }
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException e) {
        throw new UncheckedIOException("releasing lock of " + dir, e);
      }
    }
  }
}
