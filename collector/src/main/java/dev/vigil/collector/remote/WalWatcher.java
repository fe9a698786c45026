package dev.vigil.collector.remote;

import dev.vigil.collector.relabel.Relabeler;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.wal.WalCheckpoint;
import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalTailReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tails the sender's WAL for one queue, like Prometheus's WAL watcher: loads the series table
 * from the checkpoint and the segments before its start position, then follows the segments from
 * that position, applying {@code write_relabel_configs} to series records and handing samples to
 * the {@link QueueManager}. Each record gets a mark in the {@link PositionTracker}, so the queue
 * knows how far it has durably sent. A full queue blocks the watcher; the backlog stays on disk.
 * Exemplar records are sent when {@code send_exemplars} is true; metadata records set each
 * series' metadata (sent with the series in 2.0, per family every {@code send_interval} in 1.0).
 */
final class WalWatcher implements RecordDecoder.Visitor {
  private static final System.Logger LOG = System.getLogger(WalWatcher.class.getName());

  private static final String[] FAMILY_SUFFIXES = {"_bucket", "_sum", "_count"};

  private final SenderWal wal;
  private final Path walDir;
  private final QueueManager queue;
  private final QueueStats stats;
  private final PositionTracker tracker;
  private final InstantSource clock;
  private final long pollMillis;
  private final long ageLimitMillis;
  private final boolean sendHistograms;
  private final boolean sendExemplars;
  private final boolean v1;
  private final MetadataSender metadataSender; // null unless 1.0 with metadata_config.send
  private final long metadataIntervalNanos;
  private long lastMetadataRound = System.nanoTime();
  // Every family's metadata known from records of the WAL still on disk, shared by its series.
  private final Map<MetricMetadata, FamilyMetadata> families = new HashMap<>();
  private final RefMap<QueuedSeries> series = new RefMap<>();
  // Accepted float samples of the record being dispatched (the decoder's arrays are reused).
  private long[] batchRefs = new long[256];
  private QueuedSeries[] batchSeries = new QueuedSeries[256];
  private long[] batchTs = new long[256];
  private double[] batchVs = new double[256];
  private final RecordDecoder decoder = new RecordDecoder();
  private final ByteSource source = new ByteSource("", new byte[0]);
  private final WalTailReader tail = new WalTailReader();
  private final Object signal = new Object();
  private final Thread thread;
  private boolean woken;
  private volatile boolean stopped;
  private volatile int truncatedUpTo = -1;
  private int appliedTruncation = -1;
  private WalPosition start;
  // The record being dispatched.
  private boolean sending; // false while loading series before the start position
  private int segment;
  private long mark;
  private int enqueued;
  private boolean interrupted;
  private int resourceSegment = -1;
  private String reportedDamage = "";
  private int consumedSegment = -1;
  private long consumedUpTo;
  private String resource = "";

  WalWatcher(SenderWal wal, QueueManager queue, PositionTracker tracker, WalPosition start,
      RemoteStorageOptions options) {
    this.wal = wal;
    this.walDir = wal.dir();
    this.queue = queue;
    this.stats = queue.stats();
    this.tracker = tracker;
    this.start = start;
    this.clock = options.clock();
    this.pollMillis = Math.max(1, options.watcherPoll().toMillis());
    this.ageLimitMillis = queue.config().queueConfig().sampleAgeLimit().toMillis();
    this.sendHistograms = queue.config().sendNativeHistograms();
    this.sendExemplars = queue.config().sendExemplars();
    this.v1 = queue.version() == RemoteWriteVersion.V1;
    this.metadataSender = queue.metadataSender();
    this.metadataIntervalNanos = queue.config().metadataConfig().sendInterval().toNanos();
    this.thread = new Thread(this::run, "vigil-remote-write " + queue.name() + " watcher");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Called after every commit: new records may be there. */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  /** Segments up to {@code n} are gone: forget series used only there. */
  void truncated(int n) {
    truncatedUpTo = n;
  }

  /** Asks the watcher to stop reading; see {@link #join}. */
  void stop() {
    stopped = true;
    queue.closeIntake();
    wake();
  }

  /** Waits up to {@code millis} for the watcher thread to end; true if it did. */
  boolean join(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
    return !thread.isAlive();
  }

  private void run() {
    try {
      loadSeries();
      int seg = start.segment();
      long off = start.offset();
      sending = true;
      while (!stopped && !interrupted) {
        applyTruncation();
        maybeSendMetadata();
        queue.maybeReshard(); // once per interval, also when the watcher never catches up
        Path file = walDir.resolve(WalFormat.segmentName(seg));
        if (!Files.exists(file)) {
          int next = firstSegmentAfter(seg);
          if (next > seg) {
            LOG.log(System.Logger.Level.WARNING, "remote write " + queue.name() + ": WAL segment "
                + seg + " is missing, continuing at segment " + next);
            seg = next;
            off = 0;
            continue;
          }
          await();
          continue;
        }
        boolean nextExists = Files.exists(walDir.resolve(WalFormat.segmentName(seg + 1)));
        WalTailReader.Progress p;
        try {
          p = tail.read(walDir, seg, off, this::record);
        } catch (java.io.UncheckedIOException e) {
          // A failing disk read: keep the place and try again rather than stop sending for good.
          LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": reading WAL segment "
              + seg + " failed, retrying: " + e.getMessage());
          stats.lastError = String.valueOf(e);
          if (consumedSegment == seg) {
            off = Math.max(off, consumedUpTo); // records delivered before the failure stay delivered
          }
          await();
          continue;
        }
        off = p.offset();
        stats.readPosition = new WalPosition(seg, off);
        if (stopped || interrupted) {
          break;
        }
        if (nextExists) {
          if (p.stop() != WalTailReader.Stop.END) {
            LOG.log(System.Logger.Level.WARNING, "remote write " + queue.name()
                + ": skipping the damaged rest of WAL segment " + seg + ": " + p.reason());
          }
          // Once what came before is settled, the position may move past this segment, so an
          // idle queue does not hold the segment back from truncation.
          tracker.seal(tracker.open(seg + 1, 0), 0);
          seg++;
          off = 0;
          continue;
        }
        if (p.stop() == WalTailReader.Stop.CORRUPT && !p.reason().equals(reportedDamage)) {
          reportedDamage = p.reason();
          LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": " + p.reason()
              + "; waiting for the next segment");
        }
        queue.maybeReshard();
        await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": WAL watcher stopped; "
          + "unsent samples stay in the WAL", e);
      stats.lastError = String.valueOf(e);
    }
  }

  private void await() throws InterruptedException {
    synchronized (signal) {
      if (!woken && !stopped) {
        signal.wait(pollMillis);
      }
      woken = false;
    }
    maybeSendMetadata();
    queue.maybeReshard();
  }

  /**
   * Every {@code send_interval} (1.0 only): hands the metadata of every family with series in
   * the WAL to the metadata sender, once per distinct (family, type, help, unit).
   */
  private void maybeSendMetadata() {
    if (metadataSender == null || System.nanoTime() - lastMetadataRound < metadataIntervalNanos) {
      return;
    }
    lastMetadataRound = System.nanoTime();
    if (!families.isEmpty()) {
      metadataSender.offer(List.copyOf(families.keySet()));
    }
  }

  /** Gives {@code q} the family entry of its metadata record {@code m}. */
  private void setFamily(QueuedSeries q, Metadata m) {
    FamilyMetadata f = q.family;
    if (f != null && f.metadata.type() == m.type() && f.metadata.help().equals(m.help())
        && f.metadata.unit().equals(m.unit())) {
      return; // unchanged: the name is the same, so is the family
    }
    MetricMetadata mm = new MetricMetadata(family(q.metricName(), m.type()), m.type(), m.help(), m.unit());
    FamilyMetadata nf = families.computeIfAbsent(mm, FamilyMetadata::new);
    nf.series++;
    releaseFamily(q);
    q.family = nf;
  }

  private void releaseFamily(QueuedSeries q) {
    FamilyMetadata f = q.family;
    if (f != null) {
      q.family = null;
      if (--f.series == 0) {
        families.remove(f.metadata);
      }
    }
  }

  /** The family of a series: its name without the suffixes classic histograms and summaries add. */
  static String family(String name, MetricType type) {
    if (type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM || type == MetricType.SUMMARY) {
      for (String suffix : FAMILY_SUFFIXES) {
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
          return name.substring(0, name.length() - suffix.length());
        }
      }
    }
    return name;
  }

  private int firstSegmentAfter(int seg) {
    try {
      for (int s : WalReader.segments(walDir)) {
        if (s > seg) {
          return s;
        }
      }
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + walDir, e);
    }
  }

  /** Reads series (and their last use) from everything before the start position. */
  private void loadSeries() {
    wal.layout.readLock().lock();
    try {
      WalCheckpoint.Found cp = WalCheckpoint.latest(walDir);
      int after = 0;
      if (cp != null) {
        segment = cp.lastSegment();
        WalReader.Result r = WalReader.read(cp.dir(), (buf, len, s, off) -> decode(buf, len, off));
        if (r.corruption() != null) {
          LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": checkpoint "
              + cp.dir() + " damaged: " + r.corruption().reason());
        }
        after = cp.lastSegment();
      }
      int[] segs = WalReader.segments(walDir);
      int first = -1;
      for (int s : segs) {
        if (s > after) {
          first = s;
          break;
        }
      }
      if (first >= 0 && start.segment() < first) {
        LOG.log(System.Logger.Level.WARNING, "remote write " + queue.name() + ": saved position "
            + start + " is before the oldest WAL segment " + first + "; resuming there");
        start = new WalPosition(first, 0);
        tracker.seal(tracker.open(first, 0), 0);
      }
      for (int s : segs) {
        if (s <= after || s > start.segment()) {
          continue;
        }
        long stopAt = s < start.segment() ? Long.MAX_VALUE : start.offset();
        if (stopAt <= WalFormat.SEGMENT_HEADER_SIZE) {
          continue;
        }
        segment = s;
        tail.read(walDir, s, 0, (buf, len, sg, off) -> {
          if (off < stopAt) {
            decode(buf, len, off);
          }
        });
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + walDir, e);
    } finally {
      wal.layout.readLock().unlock();
    }
  }

  /**
   * Forgets series last seen in truncated segments, except those in the new checkpoint: the WAL
   * kept them because a later segment uses them, possibly one this watcher has not reached yet.
   */
  private void applyTruncation() {
    int n = truncatedUpTo;
    if (n <= appliedTruncation) {
      return;
    }
    appliedTruncation = n;
    wal.layout.readLock().lock();
    try {
      WalCheckpoint.Found cp = WalCheckpoint.latest(walDir);
      if (cp != null && cp.lastSegment() >= n) {
        int keep = cp.lastSegment() + 1;
        RecordDecoder.Visitor mark = new RecordDecoder.Visitor() {
          @Override
          public void series(long ref, Labels labels) {
            QueuedSeries w = series.get(ref);
            if (w != null) {
              w.lastSegment = Math.max(w.lastSegment, keep);
            } else {
              series.put(ref, QueuedSeries.of(relabel(labels), v1, keep));
            }
          }

          @Override
          public void metadata(long ref, Metadata m) {
            QueuedSeries w = series.get(ref);
            if (w != null && !w.dropped() && w.family == null) {
              setFamily(w, m); // else: known from a record at or after the checkpoint's
            }
          }
        };
        WalReader.read(cp.dir(), (buf, len, s, off) -> {
          try {
            decoder.decode(source.reset(cp.dir().toString(), buf, 0, len, off), mark);
          } catch (CorruptDataException e) {
            LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": " + e.getMessage());
          }
        });
      }
    } finally {
      wal.layout.readLock().unlock();
    }
    series.removeIf((ref, w) -> {
      if (w.lastSegment <= n) {
        releaseFamily(w);
        return true;
      }
      return false;
    });
  }

  private Labels relabel(Labels labels) {
    // Without rules the series keeps the appender's label set: no second copy per queue.
    Labels out = Relabeler.process(wal.shared(labels), queue.config().writeRelabelConfigs());
    return out == null || out.isEmpty() ? null : out;
  }

  private void record(byte[] buf, int len, int seg, long offset) {
    if (stopped || interrupted) {
      return; // the read cannot be cut short; the rest is read again after a restart
    }
    segment = seg;
    mark = tracker.open(seg, offset + WalFormat.RECORD_HEADER_SIZE + len);
    enqueued = 0;
    decode(buf, len, offset);
    if (!stopped && !interrupted) {
      tracker.seal(mark, enqueued);
      consumedSegment = seg;
      consumedUpTo = offset + WalFormat.RECORD_HEADER_SIZE + len;
    }
    // else: left open, so the sent position never passes samples that were not enqueued
  }

  private void decode(byte[] buf, int len, long offset) {
    if (segment != resourceSegment) {
      resourceSegment = segment;
      resource = walDir.resolve(WalFormat.segmentName(segment)).toString();
    }
    try {
      decoder.decode(source.reset(resource, buf, 0, len, offset), this);
    } catch (CorruptDataException e) {
      LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": skipping a damaged "
          + "WAL record: " + e.getMessage());
    }
  }

  @Override
  public void series(long ref, Labels labels) {
    QueuedSeries old = series.get(ref);
    QueuedSeries q = QueuedSeries.of(relabel(labels), v1, segment);
    if (old != null) {
      if (q.dropped()) {
        releaseFamily(old);
      } else {
        q.family = old.family; // the series record of a series seen again (same labels)
      }
    }
    series.put(ref, q);
  }

  @Override
  public void metadata(long ref, Metadata m) {
    QueuedSeries q = series.get(ref);
    if (q != null && !q.dropped()) {
      setFamily(q, m);
      q.lastSegment = Math.max(q.lastSegment, segment);
    }
  }

  @Override
  public void exemplar(long ref, long t, double v, Labels labels) {
    if (!sending || !sendExemplars || stopped || interrupted) {
      return;
    }
    stats.exemplarsIn.increment();
    QueuedSeries q = series.get(ref);
    if (q == null || q.dropped() || (ageLimitMillis > 0 && t < clock.millis() - ageLimitMillis)) {
      return; // as Prometheus: exemplars of unknown, relabelled-away or too old series go unsent
    }
    q.lastSegment = segment;
    try {
      if (queue.appendExemplar(ref, q, t, v, labels, mark)) {
        enqueued++;
      } else {
        stopped = true;
      }
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void floatSamples(long[] refs, long[] ts, double[] vs, int n) {
    if (batchRefs.length < n) {
      int cap = Math.max(n, batchRefs.length * 2);
      batchRefs = new long[cap];
      batchSeries = new QueuedSeries[cap];
      batchTs = new long[cap];
      batchVs = new double[cap];
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
      QueuedSeries w = accept(refs[i], ts[i]);
      if (w != null) {
        batchRefs[k] = refs[i];
        batchSeries[k] = w;
        batchTs[k] = ts[i];
        batchVs[k] = vs[i];
        k++;
      }
    }
    if (k == 0 || stopped || interrupted) {
      java.util.Arrays.fill(batchSeries, 0, k, null);
      return;
    }
    try {
      if (queue.appendFloats(batchRefs, batchSeries, batchTs, batchVs, k, mark)) {
        enqueued += k;
      } else {
        stopped = true;
      }
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
    }
    java.util.Arrays.fill(batchSeries, 0, k, null);
  }

  @Override
  public void floatSample(long ref, long t, double v) {
    QueuedSeries w = accept(ref, t);
    if (w == null || stopped || interrupted) {
      return;
    }
    try {
      if (queue.append(ref, w, t, v, mark)) {
        enqueued++;
      } else {
        stopped = true;
      }
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void histogramSample(long ref, long t, FloatHistogram h) {
    if (sending && !sendHistograms) {
      stats.samplesIn.increment();
      stats.drop(QueueStats.DROP_NATIVE_HISTOGRAMS_DISABLED, 1);
      return;
    }
    QueuedSeries w = accept(ref, t);
    if (w == null || stopped || interrupted) {
      return;
    }
    try {
      if (queue.appendHistogram(ref, w, t, h, mark)) {
        enqueued++;
      } else {
        stopped = true;
      }
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
    }
  }

  // The series to send the sample under, or null when it is not to be sent (counted).
  private QueuedSeries accept(long ref, long t) {
    QueuedSeries w = series.get(ref);
    if (!sending) {
      if (w != null) {
        w.lastSegment = segment;
      }
      return null;
    }
    stats.samplesIn.increment();
    QueueStats.raise(stats.highestReadTimestamp, t);
    if (w == null) {
      stats.drop(QueueStats.DROP_UNKNOWN_SERIES, 1);
      return null;
    }
    w.lastSegment = segment;
    if (w.dropped()) {
      stats.drop(QueueStats.DROP_RELABELED, 1);
      return null;
    }
    if (ageLimitMillis > 0 && t < clock.millis() - ageLimitMillis) {
      stats.drop(QueueStats.DROP_TOO_OLD, 1);
      return null;
    }
    return w;
  }
}
