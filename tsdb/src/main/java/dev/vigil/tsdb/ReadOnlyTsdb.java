package dev.vigil.tsdb;

import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.ReplayChunks;
import dev.vigil.tsdb.wal.WalCheckpoint;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A database opened for reading only, as Prometheus's {@code DBReadOnly}: beside a server that
 * has it open, or on a copy, for tools such as {@code vigil tsdb analyze}. It takes no lock and
 * writes nothing:
 *
 * <ul>
 *   <li>the blocks are opened as they are; a damaged block, or one being written, is skipped and
 *       listed in {@link #skippedBlocks} (an {@link Tsdb#open} would quarantine it);
 *   <li>the head is rebuilt in memory from the WAL checkpoint and segments. The head chunk files
 *       and the head snapshot are not read: they only spare a replay what the WAL holds too, and
 *       a running server may be writing them;
 *   <li>damage in the WAL ends the replay there, unrepaired, and is reported in
 *       {@link #replayStats}. Beside a running server a record being written at the WAL's end
 *       reads as such damage; the data before it is all there.
 * </ul>
 *
 * <p>It shows the data as it was when opened. A server that cuts or compacts blocks meanwhile
 * may delete a block this view reads; its queries then fail, and opening again helps.
 */
public final class ReadOnlyTsdb implements Queryable, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ReadOnlyTsdb.class.getName());

  private final Path dir;
  private final Head head;
  private final CopyOnWriteArrayList<Block> blocks;
  /** Block directories not opened, by name, with why, in the order found (under this). */
  private final Map<String, String> skipped;
  private final Tsdb.ReplayStats replay;

  private ReadOnlyTsdb(Path dir, Head head, List<Block> blocks, Map<String, String> skipped,
      Tsdb.ReplayStats replay) {
    this.dir = dir;
    this.head = head;
    this.blocks = new CopyOnWriteArrayList<>(blocks);
    this.skipped = skipped;
    this.replay = replay;
  }

  /** Records a block directory that is not opened, and says so in the log. */
  private static void skip(Map<String, String> skipped, Path block, String why) {
    skipped.put(block.getFileName().toString(), why);
    LOG.log(System.Logger.Level.WARNING, "block " + block + " skipped (" + why + ")");
  }

  /**
   * Opens the database in {@code dir} for reading.
   *
   * @throws StorageException when {@code dir} holds no database (neither {@code wal/} nor
   *     {@code blocks/})
   */
  public static ReadOnlyTsdb open(Path dir, TsdbOptions options) {
    Path walDir = dir.resolve("wal");
    if (!Files.isDirectory(walDir) && !Files.isDirectory(dir.resolve(Tsdb.BLOCKS))) {
      throw new StorageException("no database in " + dir + " (neither wal/ nor blocks/)");
    }
    long start = System.nanoTime();
    Map<String, String> skipped = new LinkedHashMap<>();
    List<Block> blocks;
    try {
      blocks = Tsdb.openBlocks(dir, (p, why) -> skip(skipped, p, why));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read database " + dir, e);
    }
    try {
      WalCheckpoint.Found checkpoint =
          Files.isDirectory(walDir) ? WalCheckpoint.latestFinished(walDir) : null;
      long minValid = Tsdb.minValidTime(checkpoint, blocks);
      Head head = new Head(options.head(), CommitLog.NONE);
      head.replayChunks(new ReplayChunks().seal());
      ReplayHandler handler;
      try {
        handler = new ReplayHandler(head, options.effectiveReplayApplyShards(),
            Tsdb.replayBytes(walDir, checkpoint, 0));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read WAL " + walDir, e);
      }
      String corruption = null;
      try {
        if (Files.isDirectory(walDir)) {
          WalReader.Result result = Tsdb.replayWal(walDir, checkpoint, 0, handler);
          if (result.corruption() != null) {
            corruption = result.corruption().toString();
            LOG.log(System.Logger.Level.WARNING, "WAL " + walDir + " read up to damage, not"
                + " repaired (read only; a running server's record in progress reads so): "
                + corruption);
          }
        }
      } finally {
        handler.close();
      }
      head.endReplay();
      head.setMinValidTime(minValid);
      Tsdb.ReplayStats stats = new Tsdb.ReplayStats(handler.samples, handler.series,
          handler.unknown, corruption, (System.nanoTime() - start) / 1_000_000, 0, null, 0,
          handler.runsSkipped);
      return new ReadOnlyTsdb(dir, head, blocks, skipped, stats);
    } catch (RuntimeException e) {
      for (Block b : blocks) {
        b.close();
      }
      throw e;
    }
  }

  /** The database's directory. */
  public Path dir() {
    return dir;
  }

  /** The head, rebuilt from the WAL (what blocks do not hold yet: from its min valid time). */
  public Head head() {
    return head;
  }

  /** The blocks opened, oldest first. */
  public List<Block> blocks() {
    return List.copyOf(blocks);
  }

  /** Block directories not opened, each with why ({@code "ULID: reason"}). */
  public synchronized List<String> skippedBlocks() {
    List<String> out = new ArrayList<>();
    skipped.forEach((name, why) -> out.add(name + ": " + why));
    return out;
  }

  /**
   * Opens the blocks written since this view was opened (by this process's own backfill, so
   * that what it wrote first is read by what it computes next). Returns how many.
   */
  public synchronized int loadNewBlocks() {
    List<Block> found = Tsdb.openNewBlocks(dir, blocks, Set.copyOf(skipped.keySet()),
        (p, why) -> skip(skipped, p, why));
    blocks.addAll(found);
    blocks.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
    return found.size();
  }

  /** What the replay read; {@code corruption} is where it stopped early, unrepaired. */
  public Tsdb.ReplayStats replayStats() {
    return replay;
  }

  /** Reads head and blocks; on equal timestamps the head's sample wins, as in {@link Tsdb}. */
  @Override
  public Querier querier(long minT, long maxT) {
    List<Querier> qs = new ArrayList<>();
    qs.add(head.querier(Math.max(minT, head.minValidTime()), maxT));
    try {
      for (Block b : blocks) {
        if (b.meta().minTime() <= maxT && b.meta().maxTime() > minT) {
          qs.add(b.querier(minT, maxT));
        }
      }
    } catch (RuntimeException e) {
      for (Querier q : qs) {
        q.close();
      }
      throw e;
    }
    return qs.size() == 1 ? qs.get(0) : new MergeQuerier(qs);
  }

  @Override
  public void close() {
    for (Block b : blocks) {
      b.close();
    }
  }
}
