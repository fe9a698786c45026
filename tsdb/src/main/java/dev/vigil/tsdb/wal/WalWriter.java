package dev.vigil.tsdb.wal;

import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.fs.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Appends framed records to the newest segment (format: {@code FORMAT.md}). A batch of records
 * is written with one {@code write} and never split across segments, so a commit is either
 * wholly in one segment or (torn) detected as a bad tail on replay. Thread-safe.
 *
 * <p>Durability: {@link #write} returns once the bytes are handed to the OS (they survive a
 * process kill); {@link #sync} then makes them survive power loss per {@link FsyncPolicy}.
 */
public final class WalWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(WalWriter.class.getName());

  private final Path dir;
  private final WalOptions options;
  private final Object writeLock = new Object();
  private final Object syncLock = new Object();
  private final ScheduledExecutorService syncer;
  // Guarded by writeLock.
  private FileChannel current;
  private int segment;
  private long segmentBytes;
  private long written; // logical bytes written since open: the durability token
  private boolean broken; // a failed write left the segment tail unknown: rotate first
  private boolean closed;
  private volatile long synced;

  /** Opens segment files; a seam for fault injection (disk full, I/O errors) in tests. */
  @FunctionalInterface
  public interface ChannelOpener {
    FileChannel open(Path file, OpenOption... options) throws IOException;
  }

  private final ChannelOpener opener;

  private WalWriter(Path dir, WalOptions options, int firstSegment, ChannelOpener opener)
      throws IOException {
    this.dir = dir;
    this.options = options;
    this.opener = opener;
    openSegment(firstSegment);
    if (options.fsync() == FsyncPolicy.INTERVAL) {
      syncer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vigil-wal-sync " + dir);
        t.setDaemon(true);
        return t;
      });
      syncer.scheduleWithFixedDelay(this::backgroundSync, options.fsyncIntervalMs(),
          options.fsyncIntervalMs(), TimeUnit.MILLISECONDS);
    } else {
      syncer = null;
    }
  }

  /** Opens a writer that starts a new segment after the highest existing one. */
  public static WalWriter open(Path dir, WalOptions options) {
    return open(dir, options, FileChannel::open);
  }

  /** As {@link #open(Path, WalOptions)}, opening segment files through {@code opener}. */
  public static WalWriter open(Path dir, WalOptions options, ChannelOpener opener) {
    try {
      Files.createDirectories(dir);
      int last = 0;
      for (int idx : WalReader.segments(dir)) {
        last = Math.max(last, idx);
      }
      return new WalWriter(dir, options, last + 1, opener);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open WAL in " + dir, e);
    }
  }

  /** Starts a record in {@code out}; encode the payload after it, then call {@link #endRecord}. */
  public static int beginRecord(ByteSink out) {
    int mark = out.length();
    out.putBE32(0);
    out.putBE32(0);
    return mark;
  }

  /**
   * Fills in length and CRC32C (over length and payload) of the record begun at {@code mark};
   * {@code crc} is caller-owned scratch so framing allocates nothing.
   */
  public static void endRecord(ByteSink out, int mark, CRC32C crc) {
    int len = out.length() - mark - WalFormat.RECORD_HEADER_SIZE;
    out.setBE32(mark, len);
    out.setBE32(mark + 4, WalFormat.recordCrc(crc, out.array(), mark, out.array(),
        mark + WalFormat.RECORD_HEADER_SIZE, len));
  }

  /**
   * Encodes a batch again for the segment it is about to be written to, when that is not the
   * segment it was encoded for: records coded against earlier records (float-samples v2 value
   * chains) must depend on nothing before the segment they land in.
   */
  @FunctionalInterface
  public interface SegmentEncoder {
    /** Replaces the contents of {@code batch} with the batch encoded for {@code segment}. */
    void encodeFor(ByteSink batch, int segment);
  }

  /**
   * Writes the framed records in {@code batch} (whole records only) to the OS and returns a
   * token for {@link #sync}. On failure (disk full...) nothing of the batch stays in the log
   * and a {@link StorageException} says why; later writes may succeed when space returns.
   */
  public long write(ByteSink batch) {
    return write(batch, 0, null);
  }

  /**
   * As {@link #write(ByteSink)} for a batch encoded for segment {@code encodedFor}: if it is
   * going to another segment (this write starts a new one, or one was started since), it is
   * first re-encoded by {@code reencode} (under the write lock).
   */
  public long write(ByteSink batch, int encodedFor, SegmentEncoder reencode) {
    synchronized (writeLock) {
      if (closed) {
        throw new IllegalStateException("WAL " + dir + " is closed");
      }
      int len = batch.length();
      try {
        rotateIfFull(len);
        if (reencode != null && segment != encodedFor) {
          reencode.encodeFor(batch, segment);
          len = batch.length();
          if (segmentBytes + len > options.segmentSize()
              && segmentBytes > WalFormat.SEGMENT_HEADER_SIZE) {
            rotate();
            reencode.encodeFor(batch, segment);
            len = batch.length();
          }
        }
      } catch (IOException e) {
        throw new StorageException("WAL " + dir + ": cannot start segment " + (segment + 1)
            + ": " + e.getMessage(), e);
      }
      long start = segmentBytes;
      // An interrupt during channel I/O closes the channel (InterruptibleChannel): keep the
      // caller's interrupt out of it, restore it after, and reopen if one got in anyway.
      boolean interrupted = Thread.interrupted();
      try {
        reopenIfClosed();
        ByteBuffer buf = ByteBuffer.wrap(batch.array(), 0, len);
        while (buf.hasRemaining()) {
          current.write(buf);
        }
      } catch (IOException e) {
        undoPartialWrite(start);
        throw new StorageException("WAL write of " + len + " bytes to " + segmentPath(segment)
            + " at offset " + start + " failed: " + e.getMessage(), e);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      segmentBytes += len;
      written += len;
      return written;
    }
  }

  // Under writeLock.
  private void rotateIfFull(int len) throws IOException {
    if (broken || (segmentBytes + len > options.segmentSize()
        && segmentBytes > WalFormat.SEGMENT_HEADER_SIZE)) {
      rotate();
    }
  }

  // Under writeLock. The segment's valid length is segmentBytes: cut anything a failed write left.
  private void reopenIfClosed() throws IOException {
    if (!current.isOpen()) {
      current = opener.open(segmentPath(segment), StandardOpenOption.WRITE);
      current.truncate(segmentBytes);
      current.position(segmentBytes);
    }
  }

  private void undoPartialWrite(long start) {
    try {
      reopenIfClosed();
      current.truncate(start);
      current.position(start);
    } catch (IOException e) {
      broken = true;
      LOG.log(System.Logger.Level.ERROR, "WAL segment " + segmentPath(segment)
          + " may hold a partial record after offset " + start + "; continuing in a new segment", e);
    }
  }

  /** Blocks until the write that returned {@code token} is durable as the policy promises. */
  public void sync(long token) {
    if (options.fsync() != FsyncPolicy.PER_COMMIT || synced >= token) {
      return;
    }
    synchronized (syncLock) {
      if (synced >= token) {
        return; // another committer's fsync covered us
      }
      forceUpTo();
    }
  }

  // Called under syncLock. Rotation and close force a segment before closing it, so a channel
  // closed under us means the bytes we wanted are already forced.
  private void forceUpTo() {
    FileChannel ch;
    long target;
    synchronized (writeLock) {
      ch = current;
      target = written;
    }
    boolean interrupted = Thread.interrupted();
    try {
      ch.force(false);
    } catch (ClosedChannelException e) {
      forceAfterClosed(ch);
    } catch (IOException e) {
      throw new StorageException("WAL fsync of " + dir + " failed: " + e.getMessage(), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (target > synced) {
      synced = target;
    }
  }

  // The channel closed under us: by rotate() or close(), which forced it first (done), or by an
  // interrupt (reopen the same file and force it: fsync covers the file, not the descriptor).
  private void forceAfterClosed(FileChannel ch) {
    synchronized (writeLock) {
      if (closed || ch != current) {
        return;
      }
      try {
        reopenIfClosed();
        current.force(false);
      } catch (IOException e) {
        throw new StorageException("WAL fsync of " + dir + " failed: " + e.getMessage(), e);
      }
    }
  }

  private void backgroundSync() {
    try {
      if (synced < writtenNow()) {
        synchronized (syncLock) {
          forceUpTo();
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "background WAL fsync failed", e);
    }
  }

  private long writtenNow() {
    synchronized (writeLock) {
      return written;
    }
  }

  /** Bytes written since open: grows with every write (a cheap "anything new?" check). */
  public long bytesWritten() {
    return writtenNow();
  }

  /**
   * Closes the current segment (fsynced) and starts the next; returns the new segment's index.
   * Everything written before is in segments below it.
   */
  public int rotateNow() {
    synchronized (writeLock) {
      if (closed) {
        throw new IllegalStateException("WAL " + dir + " is closed");
      }
      try {
        reopenIfClosed();
        rotate();
      } catch (IOException e) {
        throw new StorageException("WAL " + dir + ": cannot start segment " + (segment + 1)
            + ": " + e.getMessage(), e);
      }
      if (written > synced) {
        synced = written; // rotate() forced the old segment
      }
      return segment;
    }
  }

  /** Index of the segment being written. */
  public int currentSegment() {
    synchronized (writeLock) {
      return segment;
    }
  }

  private Path segmentPath(int idx) {
    return dir.resolve(WalFormat.segmentName(idx));
  }

  // Under writeLock.
  private void rotate() throws IOException {
    FileChannel old = current;
    old.force(false);
    old.close();
    openSegment(segment + 1);
    broken = false;
  }

  private void openSegment(int idx) throws IOException {
    Path p = segmentPath(idx);
    FileChannel ch = opener.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteSink h = new ByteSink(WalFormat.SEGMENT_HEADER_SIZE);
      h.putBE32(WalFormat.MAGIC).putByte(WalFormat.VERSION_CURRENT).putByte(0).putByte(0)
          .putByte(0);
      ByteBuffer hb = ByteBuffer.wrap(h.array(), 0, h.length());
      while (hb.hasRemaining()) {
        ch.write(hb);
      }
      ch.force(true);
      FileTrees.syncDirectory(dir);
    } catch (IOException | RuntimeException e) {
      // Nothing is in the new segment yet: remove it, so that the next rotation can create it
      // (on a full disk the header write fails; left behind, the file made every later
      // rotation fail with "already exists" after space returned).
      ch.close();
      try {
        Files.deleteIfExists(p);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    current = ch;
    segment = idx;
    segmentBytes = WalFormat.SEGMENT_HEADER_SIZE;
  }

  @Override
  public void close() {
    if (syncer != null) {
      // Never shutdownNow(): interrupting a thread inside force() closes the channel.
      syncer.shutdown();
      try {
        syncer.awaitTermination(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (syncLock) {
      synchronized (writeLock) {
        if (closed) {
          return;
        }
        closed = true;
        try {
          reopenIfClosed();
          current.force(false);
          current.close();
          synced = written;
        } catch (IOException e) {
          throw new UncheckedIOException("closing WAL segment " + segmentPath(segment), e);
        }
      }
    }
  }
}
