package dev.vigil.collector.remote;

import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The durable remote-write sender, as Prometheus's agent mode: an {@link Appendable} whose
 * {@code commit()} returns once the batch is in a local WAL (that is the acknowledgement), and one
 * queue per {@code remote_write} entry that tails the WAL and delivers every committed sample to
 * its endpoint, retrying through outages, resuming after a restart or a crash from its saved
 * position. Segments every queue has sent are truncated. Directory layout: {@code FORMAT.md}.
 *
 * <pre>{@code
 * try (RemoteStorage rs = RemoteStorage.open(dataDir, config.remoteWrite())) {
 *   scrapeManager.run(rs);            // any Appendable consumer
 * }
 * }</pre>
 *
 * <p>One process per directory (a lock file enforces it). Thread-safe.
 */
public final class RemoteStorage implements Appendable, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RemoteStorage.class.getName());
  static final String WAL_DIR = "wal";
  static final String QUEUES_DIR = "queues";
  static final String LOCK_FILE = "lock";

  private final Path dir;
  private final RemoteStorageOptions options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final SenderWal wal;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final ScheduledExecutorService maintenance;
  private final Object maintenanceLock = new Object();
  private long lastTruncate = System.nanoTime();
  private boolean closed;

  /** One remote_write entry at run time. */
  private record Endpoint(String name, Path dir, QueueStats stats, PositionTracker tracker,
      QueueManager queue, WalWatcher watcher) {}

  private RemoteStorage(Path dir, List<RemoteWriteConfig> configs, RemoteStorageOptions options)
      throws IOException {
    this.dir = dir;
    this.options = options;
    Files.createDirectories(dir);
    lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null; // held by this JVM: another RemoteStorage on the same directory
    } catch (IOException e) {
      lockChannel.close();
      throw e;
    }
    if (l == null) {
      lockChannel.close();
      throw new IllegalStateException("remote-write directory " + dir
          + " is in use by another process (" + dir.resolve(LOCK_FILE) + " is locked; in this JVM, "
          + "close the other RemoteStorage first)");
    }
    lock = l;
    SenderWal w = null;
    try {
      w = SenderWal.open(dir.resolve(WAL_DIR), options.wal());
      wal = w;
      Set<String> names = new HashSet<>();
      for (RemoteWriteConfig c : configs) {
        String name = queueName(c);
        if (!names.add(name)) {
          throw new IllegalArgumentException("two remote_write entries share the queue name " + name
              + "; give them distinct names");
        }
        Path qdir = dir.resolve(QUEUES_DIR).resolve(name);
        Files.createDirectories(qdir);
        WalPosition start = PositionFile.read(qdir);
        if (start != null && start.segment() > wal.firstSegmentOfThisProcess()) {
          // The WAL was removed or replaced under the queue: there is nothing of it left to send.
          LOG.log(System.Logger.Level.WARNING, "remote write " + name + ": saved position " + start
              + " is beyond the WAL in " + wal.dir() + "; starting at its newest segment");
          start = null;
        }
        if (start == null) {
          // A new endpoint starts with what is appended from now on, as in Prometheus.
          start = new WalPosition(wal.firstSegmentOfThisProcess(), 0);
          PositionFile.write(qdir, start);
        }
        QueueStats stats = new QueueStats(name, c.url());
        stats.savedPosition = start;
        stats.readPosition = start;
        PositionTracker tracker = new PositionTracker(start);
        QueueManager q = new QueueManager(c, name, stats, tracker,
            new RemoteWriteClient(c, versionOf(c), options.clock()), options.reshardInterval());
        WalWatcher watcher = new WalWatcher(wal, q, tracker, start, options);
        endpoints.add(new Endpoint(name, qdir, stats, tracker, q, watcher));
      }
    } catch (RuntimeException | IOException e) {
      for (Endpoint ep : endpoints) {
        ep.queue.client().close();
      }
      if (w != null) {
        w.close();
      }
      lock.release();
      lockChannel.close();
      throw e;
    }
    for (Endpoint e : endpoints) {
      wal.onCommit(e.watcher::wake);
      e.queue.start();
      e.watcher.start();
    }
    maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "vigil-remote-write maintenance " + dir);
      t.setDaemon(true);
      return t;
    });
    long every = options.positionSaveInterval().toMillis();
    maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
  }

  /** Opens with {@link RemoteStorageOptions#defaults()}. */
  public static RemoteStorage open(Path dir, List<RemoteWriteConfig> configs) {
    return open(dir, configs, RemoteStorageOptions.defaults());
  }

  /**
   * Opens (creating if needed) the sender's directory {@code dir}: replays its WAL, resumes each
   * queue from its saved position (a new entry starts at what is appended from now on) and
   * starts sending.
   *
   * @throws IllegalStateException when another process uses {@code dir}
   * @throws IllegalArgumentException for entries that cannot be told apart or are unusable
   */
  public static RemoteStorage open(Path dir, List<RemoteWriteConfig> configs,
      RemoteStorageOptions options) {
    try {
      return new RemoteStorage(dir, List.copyOf(configs), options);
    } catch (IOException e) {
      throw new UncheckedIOException("opening remote-write directory " + dir, e);
    }
  }

  static dev.vigil.protocol.remote.RemoteWriteVersion versionOf(RemoteWriteConfig c) {
    try {
      return dev.vigil.protocol.remote.RemoteWriteVersion.fromContentType(
          dev.vigil.protocol.remote.RemoteWriteVersion.PROTOBUF + ";proto=" + c.protobufMessage());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("remote_write " + c.url() + ": protobuf_message "
          + c.protobufMessage() + " is not prometheus.WriteRequest or io.prometheus.write.v2.Request");
    }
  }

  /**
   * The directory name of an entry's queue: its {@code name} (characters outside
   * {@code [A-Za-z0-9_.-]} replaced by {@code _}), or {@code url-} and 12 hex digits of the
   * URL's SHA-256 when unnamed.
   */
  static String queueName(RemoteWriteConfig c) {
    if (!c.name().isEmpty()) {
      String n = c.name().replaceAll("[^A-Za-z0-9_.-]", "_");
      return n.equals(".") || n.equals("..") ? "_" + n : n;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(c.url().getBytes(StandardCharsets.UTF_8));
      return "url-" + HexFormat.of().formatHex(h, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public Appender appender() {
    return wal.appender(options.startTimestampZeroSamples());
  }

  /** Whether start timestamps are sent as zero samples (see {@link RemoteStorageOptions}). */
  @Override
  public boolean ingestsStartTimestamps() {
    return options.startTimestampZeroSamples();
  }

  /** Live counters of each queue, in config order. */
  public List<QueueStats> queues() {
    List<QueueStats> out = new ArrayList<>(endpoints.size());
    for (Endpoint e : endpoints) {
      out.add(e.stats);
    }
    return out;
  }

  /** Series currently in the WAL's series table. */
  public int walSeries() {
    return wal.seriesCount();
  }

  /** The sender's directory. */
  public Path dir() {
    return dir;
  }

  private void maintain() {
    try {
      synchronized (maintenanceLock) {
        if (closed) {
          return;
        }
        savePositions();
        if (System.nanoTime() - lastTruncate >= options.truncateInterval().toNanos()) {
          lastTruncate = System.nanoTime();
          truncateSent();
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "remote-write maintenance of " + dir + " failed", e);
    }
  }

  private void savePositions() {
    for (Endpoint e : endpoints) {
      WalPosition p = e.tracker.sent();
      if (!p.equals(e.stats.savedPosition)) {
        PositionFile.write(e.dir, p);
        e.stats.savedPosition = p;
      }
    }
  }

  /**
   * Saves positions, then replaces the segments every queue has durably sent with a checkpoint.
   * Returns the last segment truncated, or -1. Runs periodically; exposed for tests.
   */
  int truncateSent() {
    synchronized (maintenanceLock) {
      savePositions();
      int current = wal.currentSegment();
      int upTo = current - 1;
      for (Endpoint e : endpoints) {
        upTo = Math.min(upTo, e.stats.savedPosition.segment() - 1);
      }
      if (upTo == current - 1 && wal.currentSegmentHasRecords()) {
        // Every queue is in the segment being written: start a new one (as Prometheus's agent
        // does), so that a low-volume sender does not keep a whole segment size of sent data.
        wal.rotate();
      }
      if (upTo <= 0) {
        return -1;
      }
      int done = wal.truncate(upTo);
      if (done > 0) {
        for (Endpoint e : endpoints) {
          e.watcher.truncated(done);
        }
        LOG.log(System.Logger.Level.DEBUG, "remote-write WAL " + dir + " truncated up to segment " + done);
      }
      return done;
    }
  }

  /**
   * Stops reading the WAL, sends what is buffered in memory for up to the close timeout, saves
   * each queue's position and closes the WAL. Whatever was not sent is sent after reopening.
   */
  @Override
  public void close() {
    synchronized (maintenanceLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    maintenance.shutdown();
    boolean interrupted = false;
    try {
      for (Endpoint e : endpoints) {
        e.watcher.stop();
      }
      // A watcher may be draining shards for a reshard; the queue's close aborts that in time.
      for (Endpoint e : endpoints) {
        e.watcher.join(options.closeTimeout().toMillis());
      }
      for (Endpoint e : endpoints) {
        e.queue.close(options.closeTimeout());
      }
      for (Endpoint e : endpoints) {
        if (!e.watcher.join(e.queue.config().remoteTimeout().toMillis() + 10_000)) {
          LOG.log(System.Logger.Level.WARNING, "remote write " + e.name + ": WAL watcher did not stop");
        }
      }
    } catch (InterruptedException ex) {
      interrupted = true;
      for (Endpoint e : endpoints) {
        e.queue.abort();
      }
    }
    try {
      maintenance.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException ex) {
      interrupted = true;
    }
    try {
      synchronized (maintenanceLock) {
        savePositions();
      }
      wal.close();
    } finally {
      try {
        lock.release();
        lockChannel.close();
      } catch (IOException ex) {
        LOG.log(System.Logger.Level.WARNING, "releasing " + dir.resolve(LOCK_FILE), ex);
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
