package dev.vigil.tsdb.wal;

import dev.vigil.tsdb.fs.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Checkpoints bound replay time: {@code checkpoint.N/} holds, in ordinary segments, what the
 * head needs from segments 1..N (every series, and the samples not yet in a block). Protocol:
 * write {@code checkpoint.N.tmp/} completely (fsynced), rename it to {@code checkpoint.N}, and only
 * then delete segments ≤ N and older checkpoints. A crash at any step leaves either the old
 * segments or the finished checkpoint; a leftover {@code .tmp} is an incomplete copy and is
 * removed on open.
 */
public final class WalCheckpoint {
  private static final System.Logger LOG = System.getLogger(WalCheckpoint.class.getName());
  static final String PREFIX = "checkpoint.";
  static final String TMP = ".tmp";

  private WalCheckpoint() {}

  /**
   * The file in a checkpoint holding, as decimal milliseconds, where the block cut that wrote
   * it ended: every sample before that time is in a block, or went with one (retention).
   */
  static final String CUT_FILE = "cut";

  /**
   * A finished checkpoint: its directory, the last segment it covers, and the end of the cut
   * that wrote it ({@code Long.MIN_VALUE} when unknown: checkpoints written before the
   * {@value #CUT_FILE} file, or a damaged one).
   */
  public record Found(Path dir, int lastSegment, long cutEnd) {}

  /**
   * The newest finished checkpoint in {@code walDir}, or null. Removes incomplete ones: only for
   * the WAL's owner, at open.
   */
  public static Found latest(Path walDir) {
    return latest(walDir, true);
  }

  /**
   * The newest finished checkpoint in {@code walDir}, or null; touches nothing (for a reader
   * beside a running writer, whose checkpoint in progress must stay).
   */
  public static Found latestFinished(Path walDir) {
    return latest(walDir, false);
  }

  private static Found latest(Path walDir, boolean removeIncomplete) {
    Found best = null;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, PREFIX + "*")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (name.endsWith(TMP)) {
          if (removeIncomplete) {
            LOG.log(System.Logger.Level.INFO, "removing incomplete WAL checkpoint " + p
                + " (its segments are still there)");
            deleteTree(p);
          }
          continue;
        }
        int n = WalFormat.segmentIndex(name.substring(PREFIX.length()));
        if (n >= 0 && (best == null || n > best.lastSegment())) {
          best = new Found(p, n, Long.MIN_VALUE);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing checkpoints in " + walDir, e);
    }
    return best == null ? null : new Found(best.dir(), best.lastSegment(), cutEnd(best.dir()));
  }

  private static long cutEnd(Path dir) {
    Path f = dir.resolve(CUT_FILE);
    if (!Files.exists(f)) {
      return Long.MIN_VALUE;
    }
    try {
      return Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      // Only a bound for hiding data already in blocks: without it that data shows twice at
      // most, merged away by queries, or what retention dropped shows again. Nothing is lost.
      LOG.log(System.Logger.Level.WARNING, "WAL checkpoint " + dir + ": unreadable " + CUT_FILE
          + " file (" + e.getMessage() + "); the head is not bounded by it");
      return Long.MIN_VALUE;
    }
  }

  /** Starts writing checkpoint {@code n}; append records, close the writer, then {@link #finish}. */
  public static WalWriter begin(Path walDir, int n, WalOptions options) {
    Path tmp = walDir.resolve(PREFIX + WalFormat.segmentName(n) + TMP);
    if (Files.exists(tmp)) {
      deleteTree(tmp);
    }
    return WalWriter.open(tmp, options.withFsync(FsyncPolicy.PER_COMMIT));
  }

  /** Publishes checkpoint {@code n} (not written by a block cut) and deletes what it replaces. */
  public static void finish(Path walDir, int n) {
    finish(walDir, n, Long.MIN_VALUE);
  }

  /**
   * Publishes checkpoint {@code n}, written by the block cut that ended at {@code cutEnd}
   * ({@code Long.MIN_VALUE}: none), and deletes what it replaces.
   */
  public static void finish(Path walDir, int n, long cutEnd) {
    Path tmp = walDir.resolve(PREFIX + WalFormat.segmentName(n) + TMP);
    Path dst = walDir.resolve(PREFIX + WalFormat.segmentName(n));
    try {
      if (cutEnd != Long.MIN_VALUE) {
        Path cut = tmp.resolve(CUT_FILE);
        Files.writeString(cut, cutEnd + "\n", StandardCharsets.US_ASCII,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (FileChannel ch = FileChannel.open(cut, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      FileTrees.syncDirectory(tmp);
      Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.syncDirectory(walDir);
      for (int idx : WalReader.segments(walDir)) {
        if (idx <= n) {
          Files.delete(walDir.resolve(WalFormat.segmentName(idx)));
        }
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, PREFIX + "*")) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          int m = name.endsWith(TMP) ? -1 : WalFormat.segmentIndex(name.substring(PREFIX.length()));
          if (m >= 0 && m < n) {
            deleteTree(p);
          }
        }
      }
      FileTrees.syncDirectory(walDir);
    } catch (IOException e) {
      throw new UncheckedIOException("finishing WAL checkpoint " + dst + ": " + e.getMessage(),
          e);
    }
  }

  private static void deleteTree(Path p) {
    try {
      FileTrees.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + p + ": " + e.getMessage(), e);
    }
  }
}
