package dev.vigil.collector.remote;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.record.ExemplarRecordCodec;
import dev.vigil.tsdb.record.MetadataRecordCodec;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalCheckpoint;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalRepair;
import dev.vigil.tsdb.wal.WalWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The sender's write-ahead log, as Prometheus's agent mode keeps it: the TSDB's segment format
 * and record payloads ({@code dev.vigil.tsdb.wal}, {@code dev.vigil.tsdb.record}), no head and
 * no blocks. A commit writes one batch (series records for series not logged yet, then metadata
 * that changed, float and histogram sample records, exemplars) and returns once it is durable
 * per the WAL's fsync policy: that is the acknowledgement. Watchers tail the segments; {@link
 * #truncate} replaces segments every queue has sent by a checkpoint of the series still in use
 * and their latest metadata.
 *
 * <p>Thread-safe: appenders run concurrently, commits are serialised (one WAL write each, fsync
 * shared by concurrent commits).
 */
final class SenderWal implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(SenderWal.class.getName());

  private final Path dir;
  private final WalOptions options;
  private final WalWriter writer;
  private final ConcurrentHashMap<Labels, SenderSeries> series = new ConcurrentHashMap<>();
  private final AtomicLong nextRef;
  private final ReentrantLock commitLock = new ReentrantLock();
  /** Held shared by readers of old segments and the checkpoint, exclusively by truncation. */
  final ReentrantReadWriteLock layout = new ReentrantReadWriteLock();
  private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
  // Guarded by commitLock: one encoding buffer for all commits.
  private final ByteSink batch = new ByteSink(1 << 16);
  private final RecordEncoder encoder = new RecordEncoder();
  private final ExemplarRecordCodec exemplarCodec = new ExemplarRecordCodec();
  private final MetadataRecordCodec metadataCodec = new MetadataRecordCodec();
  private final CRC32C crc = new CRC32C();
  private final List<SenderSeries> newlyLogged = new ArrayList<>();
  private final int firstSegmentOfThisProcess;

  private SenderWal(Path dir, WalOptions options, long maxRef) {
    this.dir = dir;
    this.options = options;
    this.nextRef = new AtomicLong(maxRef + 1);
    this.writer = WalWriter.open(dir, options);
    this.firstSegmentOfThisProcess = writer.currentSegment();
  }

  /**
   * Opens (creating if needed) the WAL in {@code dir}: repairs a damaged tail the way the TSDB
   * does (quarantine, never delete), reloads the series table from the checkpoint and segments
   * so refs stay stable, and starts a new segment.
   */
  static SenderWal open(Path dir, WalOptions options) {
    Replay replay = new Replay();
    WalCheckpoint.Found cp = java.nio.file.Files.isDirectory(dir) ? WalCheckpoint.latest(dir) : null;
    int after = 0;
    if (cp != null) {
      replay.fixedSegment = cp.lastSegment(); // checkpoint segments are numbered from 1 inside it
      WalReader.Result r = WalReader.read(cp.dir(), replay::record);
      replay.fixedSegment = -1;
      if (r.corruption() != null) {
        throw new StorageException("remote-write WAL checkpoint " + cp.dir() + " is damaged at "
            + r.corruption().file() + " offset " + r.corruption().offset() + ": "
            + r.corruption().reason());
      }
      after = cp.lastSegment();
    }
    WalReader.Result r = WalReader.read(dir, replay::record, after);
    if (r.corruption() != null) {
      LOG.log(System.Logger.Level.WARNING, "remote-write WAL " + dir + " damaged at segment "
          + r.corruption().segment() + " offset " + r.corruption().offset() + " ("
          + r.corruption().reason() + "); keeping what precedes it");
      WalRepair.repair(dir, r.corruption(), r.segments());
    }
    SenderWal wal = new SenderWal(dir, options, replay.maxRef);
    for (SenderSeries s : replay.byRef.values()) {
      wal.series.putIfAbsent(s.labels, s);
    }
    return wal;
  }

  /** Replays series records (and sample timestamps) to rebuild the series table. */
  private static final class Replay implements RecordDecoder.Visitor {
    final java.util.HashMap<Long, SenderSeries> byRef = new java.util.HashMap<>();
    final java.util.HashMap<Metadata, Metadata> metadata = new java.util.HashMap<>();
    final RecordDecoder decoder = new RecordDecoder();
    final ByteSource source = new ByteSource("", new byte[0]);
    long maxRef;
    int segment;
    int fixedSegment = -1;

    void record(byte[] buf, int len, int seg, long offset) {
      segment = fixedSegment >= 0 ? fixedSegment : seg;
      decoder.decode(source.reset("remote-write WAL segment " + seg, buf, 0, len, offset), this);
    }

    @Override
    public void series(long ref, Labels labels) {
      SenderSeries s = new SenderSeries(ref, labels);
      s.logged = true;
      s.lastSegment = segment;
      SenderSeries old = byRef.put(ref, s);
      if (old != null) {
        s.maxT = old.maxT;
        s.metadata = old.metadata;
      }
      maxRef = Math.max(maxRef, ref);
    }

    @Override
    public void metadata(long ref, Metadata m) {
      SenderSeries s = byRef.get(ref);
      if (s != null) {
        Metadata known = metadata.putIfAbsent(m, m); // one object per distinct metadata
        s.metadata = known == null ? m : known;
        s.lastSegment = segment;
      }
    }

    @Override
    public void floatSample(long ref, long t, double v) {
      sample(ref, t);
    }

    @Override
    public void histogramSample(long ref, long t, FloatHistogram h) {
      sample(ref, t);
    }

    private void sample(long ref, long t) {
      SenderSeries s = byRef.get(ref);
      if (s != null) {
        s.lastSegment = segment;
        if (t > s.maxT) {
          s.maxT = t;
        }
      }
    }
  }

  Path dir() {
    return dir;
  }

  /** The first segment written by this process: where a queue without a saved position starts. */
  int firstSegmentOfThisProcess() {
    return firstSegmentOfThisProcess;
  }

  int currentSegment() {
    return writer.currentSegment();
  }

  boolean currentSegmentHasRecords() {
    try {
      return java.nio.file.Files.size(dir.resolve(dev.vigil.tsdb.wal.WalFormat.segmentName(
          writer.currentSegment()))) > dev.vigil.tsdb.wal.WalFormat.SEGMENT_HEADER_SIZE;
    } catch (java.io.IOException e) {
      return false; // rotated meanwhile: the new one is checked next time
    }
  }

  /** Starts a new segment, so the current one can be truncated once every queue passed it. */
  int rotate() {
    return writer.rotateNow();
  }

  int seriesCount() {
    return series.size();
  }

  /** {@code listener} runs after every commit (on the committing thread): keep it short. */
  void onCommit(Runnable listener) {
    commitListeners.add(listener);
  }

  /**
   * An appender; with {@code startTimestampZeroSamples}, a sample's start timestamp is logged as a
   * zero sample before it when it lies after the series' newest sample (see {@link
   * RemoteStorageOptions#startTimestampZeroSamples}).
   */
  Appender appender(boolean startTimestampZeroSamples) {
    return new SenderAppender(this, startTimestampZeroSamples);
  }

  /**
   * The label set the series table holds for {@code labels} (the appender's, i.e. usually the
   * scrape cache's own object), or {@code labels} itself when the series is not in the table:
   * a watcher keeps that one instead of the copy it decoded from the WAL.
   */
  Labels shared(Labels labels) {
    SenderSeries s = series.get(labels);
    return s != null ? s.labels : labels;
  }

  SenderSeries seriesFor(Labels labels) {
    SenderSeries s = series.get(labels);
    if (s != null) {
      return s;
    }
    return series.computeIfAbsent(labels, l -> {
      long ref = nextRef.getAndIncrement();
      if (ref > Integer.MAX_VALUE) {
        // The WAL's series record limits refs to 31 bits; a fresh directory starts over at 1.
        throw new StorageException("remote-write WAL " + dir + " has used all 2^31 series refs; "
            + "stop the agent and remove the directory once its queues have sent everything");
      }
      return new SenderSeries(ref, l);
    });
  }

  /**
   * Logs one appender's batch. Arrays are the appender's; {@code nf}/{@code nh} entries are used.
   *
   * @throws StorageException when the WAL write fails (nothing of the batch is then logged)
   */
  void commit(SenderSeries[] fs, long[] ft, double[] fv, int nf,
      SenderSeries[] hs, long[] ht, FloatHistogram[] hv, int nh,
      SenderSeries[] es, Exemplar[] ev, int ne, SenderSeries[] ms, Metadata[] mv, int nm) {
    if (nf == 0 && nh == 0 && ne == 0 && nm == 0) {
      return;
    }
    long token;
    commitLock.lock();
    try {
      batch.reset();
      newlyLogged.clear();
      int mark = -1;
      for (int pass = 0; pass < 4; pass++) {
        SenderSeries[] arr = switch (pass) {
          case 0 -> ms;
          case 1 -> fs;
          case 2 -> hs;
          default -> es;
        };
        int n = switch (pass) {
          case 0 -> nm;
          case 1 -> nf;
          case 2 -> nh;
          default -> ne;
        };
        for (int i = 0; i < n; i++) {
          SenderSeries s = arr[i];
          if (!s.logged || s.dead) {
            if (mark < 0) {
              mark = WalWriter.beginRecord(batch);
              encoder.seriesStart(batch);
            }
            encoder.series(batch, s.ref, s.labels);
            s.logged = true;
            newlyLogged.add(s);
          }
        }
      }
      if (mark >= 0) {
        WalWriter.endRecord(batch, mark, crc);
      }
      // Metadata before the samples: a 2.0 queue sends the series' first samples with it.
      if (nm > 0) {
        mark = WalWriter.beginRecord(batch);
        metadataCodec.start(batch);
        for (int i = 0; i < nm; i++) {
          metadataCodec.metadata(batch, ms[i].ref, mv[i]);
        }
        WalWriter.endRecord(batch, mark, crc);
      }
      if (nf > 0) {
        mark = WalWriter.beginRecord(batch);
        encoder.floatsStart(batch, fs[0].ref, ft[0]);
        for (int i = 0; i < nf; i++) {
          encoder.floatSample(batch, fs[i].ref, ft[i], fv[i]);
        }
        WalWriter.endRecord(batch, mark, crc);
      }
      if (nh > 0) {
        mark = WalWriter.beginRecord(batch);
        encoder.histogramsStart(batch, hs[0].ref, ht[0]);
        for (int i = 0; i < nh; i++) {
          encoder.histogramSample(batch, hs[i].ref, ht[i], hv[i]);
        }
        WalWriter.endRecord(batch, mark, crc);
      }
      // Exemplars after the samples, so receivers know the series when they get the exemplar.
      if (ne > 0) {
        mark = WalWriter.beginRecord(batch);
        exemplarCodec.start(batch, es[0].ref, ev[0].timestamp());
        for (int i = 0; i < ne; i++) {
          exemplarCodec.exemplar(batch, es[i].ref, ev[i].timestamp(), ev[i].value(), ev[i].labels());
        }
        WalWriter.endRecord(batch, mark, crc);
      }
      try {
        token = writer.write(batch);
      } catch (RuntimeException e) {
        for (SenderSeries s : newlyLogged) {
          s.logged = false;
        }
        throw e;
      }
      // A rotation after our write only makes this conservative (a higher segment).
      int seg = writer.currentSegment();
      for (SenderSeries s : newlyLogged) {
        if (s.dead) {
          s.dead = false;
          series.putIfAbsent(s.labels, s);
        }
      }
      for (int i = 0; i < nf; i++) {
        touch(fs[i], seg, ft[i]);
      }
      for (int i = 0; i < nh; i++) {
        touch(hs[i], seg, ht[i]);
      }
      for (int i = 0; i < nm; i++) {
        ms[i].metadata = mv[i];
        ms[i].lastSegment = seg;
      }
      for (int i = 0; i < ne; i++) {
        es[i].lastSegment = seg;
      }
    } finally {
      commitLock.unlock();
    }
    writer.sync(token);
    for (Runnable r : commitListeners) {
      r.run();
    }
  }

  private static void touch(SenderSeries s, int seg, long t) {
    s.lastSegment = seg;
    if (t > s.maxT) {
      s.maxT = t;
    }
  }

  /** Writes one checkpoint entry of a series. */
  @FunctionalInterface
  private interface EntryWriter {
    void write(ByteSink out, SenderSeries s);
  }

  private static final int ENTRIES_PER_CHECKPOINT_RECORD = 1000;

  /** Writes {@code entries} to {@code cp} in records of at most 1000, each begun by {@code start}. */
  private void writeInRecords(WalWriter cp, List<SenderSeries> entries, Consumer<ByteSink> start,
      EntryWriter entry) {
    for (int from = 0; from < entries.size(); from += ENTRIES_PER_CHECKPOINT_RECORD) {
      batch.reset();
      int mark = WalWriter.beginRecord(batch);
      start.accept(batch);
      int to = Math.min(entries.size(), from + ENTRIES_PER_CHECKPOINT_RECORD);
      for (int i = from; i < to; i++) {
        entry.write(batch, entries.get(i));
      }
      WalWriter.endRecord(batch, mark, crc);
      cp.write(batch);
    }
  }

  /**
   * Replaces segments {@code ≤ upTo} by checkpoint {@code upTo}, which holds a series record for
   * every series used in a later segment; series used only in the dropped segments leave the
   * series table (a later append re-creates them under a new ref). Segments at or above the one
   * being written are never touched. Returns the segment the checkpoint covers, or -1 if there
   * was nothing to do.
   */
  int truncate(int upTo) {
    commitLock.lock();
    layout.writeLock().lock();
    try {
      int last = Math.min(upTo, writer.currentSegment() - 1);
      int[] segs = WalReader.segments(dir);
      if (segs.length == 0 || segs[0] > last) {
        return -1;
      }
      try (WalWriter cp = WalCheckpoint.begin(dir, last, options)) {
        List<SenderSeries> kept = new ArrayList<>();
        List<SenderSeries> drop = new ArrayList<>();
        for (SenderSeries s : series.values()) {
          if (!s.logged) {
            continue; // created by an appender that has not committed: logged with its commit
          }
          (s.lastSegment <= last ? drop : kept).add(s);
        }
        writeInRecords(cp, kept, encoder::seriesStart,
            (out, s) -> encoder.series(out, s.ref, s.labels));
        // The latest metadata of every kept series: it was logged once, maybe in a dropped segment.
        kept.removeIf(s -> s.metadata == null);
        writeInRecords(cp, kept, metadataCodec::start,
            (out, s) -> metadataCodec.metadata(out, s.ref, s.metadata));
        for (SenderSeries s : drop) {
          s.dead = true;
          series.remove(s.labels, s);
        }
      }
      WalCheckpoint.finish(dir, last);
      return last;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("truncating remote-write WAL " + dir, e);
    } finally {
      layout.writeLock().unlock();
      commitLock.unlock();
    }
  }

  @Override
  public void close() {
    writer.close();
  }

  /** Buffers one batch; everything reaches the WAL in {@link #commit()}. Not thread-safe. */
  private static final class SenderAppender implements Appender {
    private final SenderWal wal;
    private SenderSeries[] fs = new SenderSeries[64];
    private long[] ft = new long[64];
    private double[] fv = new double[64];
    private int nf;
    private SenderSeries[] hs = new SenderSeries[8];
    private long[] ht = new long[8];
    private FloatHistogram[] hv = new FloatHistogram[8];
    private int nh;
    private SenderSeries[] es = new SenderSeries[8];
    private Exemplar[] ev = new Exemplar[8];
    private int ne;
    private SenderSeries[] ms = new SenderSeries[8];
    private Metadata[] mv = new Metadata[8];
    private int nm;
    private boolean done;
    private final boolean startZero;

    SenderAppender(SenderWal wal, boolean startZero) {
      this.wal = wal;
      this.startZero = startZero;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      return addFloat(accept(labels, t), t, v);
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
      return addHistogram(accept(labels, t), t, h);
    }

    @Override
    public long appendWithStart(long ref, Labels labels, long st, long t, double v) {
      SenderSeries s = accept(labels, t);
      if (zeroAtStart(s, st, t)) {
        addFloat(s, st, 0);
      }
      return addFloat(s, t, v);
    }

    @Override
    public long appendHistogramWithStart(long ref, Labels labels, long st, long t,
        FloatHistogram h) {
      SenderSeries s = accept(labels, t);
      if (zeroAtStart(s, st, t)) {
        addHistogram(s, st, h.emptyStart());
      }
      return addHistogram(s, t, h);
    }

    // As Prometheus's agent: a start at or before the series' newest sample (an ongoing counter
    // repeats its start with every sample) or not before the sample is dropped without an error.
    private boolean zeroAtStart(SenderSeries s, long st, long t) {
      return startZero && st > 0 && st < t && st > s.maxT;
    }

    private long addFloat(SenderSeries s, long t, double v) {
      if (nf == fs.length) {
        int n = nf * 2;
        fs = java.util.Arrays.copyOf(fs, n);
        ft = java.util.Arrays.copyOf(ft, n);
        fv = java.util.Arrays.copyOf(fv, n);
      }
      fs[nf] = s;
      ft[nf] = t;
      fv[nf] = v;
      nf++;
      return s.ref;
    }

    private long addHistogram(SenderSeries s, long t, FloatHistogram h) {
      if (nh == hs.length) {
        int n = nh * 2;
        hs = java.util.Arrays.copyOf(hs, n);
        ht = java.util.Arrays.copyOf(ht, n);
        hv = java.util.Arrays.copyOf(hv, n);
      }
      hs[nh] = s;
      ht[nh] = t;
      hv[nh] = h;
      nh++;
      return s.ref;
    }

    @Override
    public long appendExemplar(long ref, Labels labels, Exemplar e) {
      checkOpen();
      int runes = 0;
      Labels el = e.labels();
      for (int i = 0; i < el.size(); i++) {
        runes += el.name(i).codePointCount(0, el.name(i).length())
            + el.value(i).codePointCount(0, el.value(i).length());
      }
      if (runes > Exemplar.MAX_LABELS_RUNES) {
        throw new StorageException("exemplar label set is too long: " + runes + " characters, at most "
            + Exemplar.MAX_LABELS_RUNES + " allowed, for exemplar " + el + " of " + labels);
      }
      SenderSeries s = series(labels, e.timestamp());
      synchronized (s) {
        Exemplar last = s.lastExemplar;
        if (last != null && last.sameAs(e)) {
          return s.ref; // Prometheus drops an exact repeat silently
        }
        if (last != null && e.timestamp() < last.timestamp()) {
          throw new StorageException("out of order exemplar: " + e.timestamp()
              + " is before the series' newest exemplar at " + last.timestamp() + " for " + labels);
        }
        s.lastExemplar = e;
      }
      if (ne == es.length) {
        es = java.util.Arrays.copyOf(es, ne * 2);
        ev = java.util.Arrays.copyOf(ev, ne * 2);
      }
      es[ne] = s;
      ev[ne] = e;
      ne++;
      return s.ref;
    }

    @Override
    public long updateMetadata(long ref, Labels labels, Metadata m) {
      checkOpen();
      SenderSeries s = series(labels, 0);
      if (m.equals(s.metadata)) {
        return s.ref; // logged already: a WAL record only when it changes
      }
      // Two updates of one series in a batch are both logged; the later one wins on replay.
      if (nm == ms.length) {
        ms = java.util.Arrays.copyOf(ms, nm * 2);
        mv = java.util.Arrays.copyOf(mv, nm * 2);
      }
      ms[nm] = s;
      mv[nm] = m;
      nm++;
      return s.ref;
    }

    private void checkOpen() {
      if (done) {
        throw new IllegalStateException("appender already committed or rolled back");
      }
    }

    private SenderSeries series(Labels labels, long t) {
      if (labels.isEmpty()) {
        throw new StorageException("series without labels refused (at " + t + ")");
      }
      return wal.seriesFor(labels);
    }

    // The caller's ref is not trusted: refs of series dropped by a truncation are not reused,
    // and the label lookup is what keeps one ref per label set.
    private SenderSeries accept(Labels labels, long t) {
      if (done) {
        throw new IllegalStateException("appender already committed or rolled back");
      }
      if (labels.isEmpty()) {
        throw new StorageException("series without labels refused (sample at " + t + ")");
      }
      SenderSeries s = wal.seriesFor(labels);
      long max = s.maxT;
      if (t <= max) {
        throw new StorageException((t == max ? "duplicate sample for timestamp " : "out of order sample: ")
            + t + (t == max ? "" : " is before the series' newest sample at " + max) + " for " + labels);
      }
      return s;
    }

    @Override
    public void commit() {
      if (done) {
        throw new IllegalStateException("appender already committed or rolled back");
      }
      done = true;
      wal.commit(fs, ft, fv, nf, hs, ht, hv, nh, es, ev, ne, ms, mv, nm);
    }

    @Override
    public void rollback() {
      done = true;
      nf = 0;
      nh = 0;
      ne = 0;
      nm = 0;
    }
  }
}
