package dev.vigil.tsdb;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.wal.WalReadAhead;

/** Replays records into the head; counts what it could not place. */
final class ReplayHandler implements WalReadAhead.Stage<Object>,
    RecordDecoder.Visitor {
  private final Head head;
  long samples;
  long series;
  long unknown;
  /** Float runs (type 20) skipped undecoded: chunks taken over held them (after finish()). */
  long runsSkipped;
  // Samples applied on this thread; samples and unknown add the apply shards' at finish().
  private long countedSamples;
  private long countedUnknown;
  long exemplars;
  private final ReplayRecordDecoder decoder = new ReplayRecordDecoder();

  private final ShardedApply shards;
  private final int applyShards;
  /** Float records held back to be applied series by series; null: record by record. */
  private final FloatRecordWindow window;
  private final long aheadBytes;
  /** Windows applied layout by layout, and record by record. */
  long windowsByLayout;
  long windowsByRecord;

  /**
   * Held back float samples per window: 1M samples (24 MB decoded) give 10 samples of each
   * series to apply in one go at 100k series. The read-ahead thread decodes up to another
   * window's worth meanwhile (see {@link #aheadBytes}), so decoding the next window overlaps
   * with applying this one. Window and read-ahead take at most a 64th of the heap each, so a
   * small heap replays in smaller windows rather than running out. Between half a window and
   * a whole one, a window decodes to at most 30% of the WAL bytes to replay: the pool of
   * decoded arrays is heap touched for the first time (its page faults cost 1.5-3 ms per MB
   * here) and may bring a young collection into the replay, which a short WAL does not win
   * back (100k series x 100 samples, 40 MB: 0.82 s against 0.93 s with whole windows), while
   * windows under half (300k samples for a crash's 24 MB after a head snapshot) lose more to
   * cache misses per series than they save. Window and read-ahead count decoded bytes, 24 per
   * sample; records whose samples share one timestamp (a scrape's) and repeat an earlier
   * record's refs take 8, so a window holds up to 3 times as many of theirs in the same heap
   * (bench/README.md, "shared timestamps kept once", "ref columns shared").
   */
  static final int WINDOW_SAMPLES = 1 << 20;
  static final int WINDOW_RECORDS = 4096;
  private static final int DECODED_BYTES_PER_SAMPLE = ReadAheadDecoder.Floats.BYTES_PER_SAMPLE;
  /** A decoded series record's labels, per series: the label set, strings shared mostly. */
  private static final int DECODED_BYTES_PER_SERIES = 256;
  private static final int RECORD_OVERHEAD_BYTES = 64;

  /** For a replay of {@code walBytes} bytes of WAL (checkpoint and segments). */
  ReplayHandler(Head head, int applyShards, long walBytes) {
    this(head, applyShards, windowSamples(Runtime.getRuntime().maxMemory(), walBytes),
        WINDOW_RECORDS);
  }

  /** The window for a heap of at most {@code maxHeapBytes} and {@code walBytes} of WAL. */
  static int windowSamples(long maxHeapBytes, long walBytes) {
    long fit = maxHeapBytes / 64 / DECODED_BYTES_PER_SAMPLE;
    long forWal = Math.max(WINDOW_SAMPLES / 2, walBytes / 10 * 3 / DECODED_BYTES_PER_SAMPLE);
    return (int) Math.max(1024, Math.min(WINDOW_SAMPLES, Math.min(fit, forWal)));
  }

  /** With windows of at most {@code windowSamples} (0: no window) or {@code windowRecords}. */
  ReplayHandler(Head head, int applyShards, int windowSamples, int windowRecords) {
    this.head = head;
    this.ahead = new ReadAheadDecoder(head::internString);
    this.shards = new ShardedApply(head, applyShards, ahead);
    this.applyShards = applyShards;
    this.window = windowSamples > 0 ? new FloatRecordWindow(windowSamples, windowRecords) : null;
    this.aheadBytes = (long) Math.max(1024, windowSamples) * DECODED_BYTES_PER_SAMPLE;
  }

  /**
   * How far, in bytes of decoded records ({@link #weight}), the read-ahead thread may run ahead
   * of this one: a window's worth of samples.
   */
  long aheadBytes() {
    return aheadBytes;
  }

  /**
   * {@inheritDoc} Tests of {@code instanceof}, not a pattern {@code switch}: that one's bootstrap
   * generates a class at its first call (6-9 ms with the AOT cache, 14-21 ms without, in a
   * fresh JVM), and the first call is the read-ahead thread's as a restart's replay begins.
   */
  @Override
  public long weight(Object prepared) {
    long bytes;
    if (prepared instanceof ReadAheadDecoder.Floats f) {
      bytes = f.decodedBytes();
    } else if (prepared instanceof ReadAheadDecoder.Series s) {
      bytes = (long) s.labels.size() * DECODED_BYTES_PER_SERIES;
    } else if (prepared instanceof ReadAheadDecoder.FloatRun r) {
      bytes = r.length;
    } else if (prepared instanceof ReadAheadDecoder.Other o) {
      bytes = o.payload().length;
    } else {
      throw new IllegalArgumentException("not a prepared record: " + prepared);
    }
    return bytes + RECORD_OVERHEAD_BYTES;
  }

  /** Applies everything handed out so far and adds it to the counts. */
  void finish() {
    applyWindow();
    shards.barrier();
    samples = countedSamples + shards.applied();
    unknown = countedUnknown + shards.unknown();
    runsSkipped = shards.runsSkipped();
  }

  void close() {
    shards.close();
  }

  // Decoding of float samples on the read-ahead thread, applying in the shards (which hand
  // float runs back to it).
  private final ReadAheadDecoder ahead;

  @Override
  public Object prepare(byte[] buf, int len, int segment, long offset) {
    return ahead.prepare(buf, len, segment, offset);
  }

  @Override
  public void consume(Object prepared) {
    if (prepared instanceof ReadAheadDecoder.Floats f) {
      if (window == null || (f.n > 1 && f.refs[0] == f.refs[1])) {
        // A record with a series twice (a checkpoint's: one series each) fails any window's
        // grouping: it goes as logged, after the window held before it.
        applyWindow();
        shards.floats(f.refs, f.timestamps(), f.vs, f.n);
        ahead.release(f);
      } else if (window.add(f)) {
        applyWindow();
      }
      return;
    }
    applyWindow(); // every other record comes after the samples logged before it
    if (prepared instanceof ReadAheadDecoder.FloatRun r) {
      shards.run(r); // in order with the samples of its series, on their shard
    } else if (prepared instanceof ReadAheadDecoder.Series s) {
      shards.barrier(); // earlier samples of a ref this record brings must stay unknown
      head.replaySeries(s.refs, s.labels);
      series += s.labels.size();
      ahead.release(s);
    } else {
      ReadAheadDecoder.Other o = (ReadAheadDecoder.Other) prepared;
      shards.barrier(); // tombstones and the rest must see every earlier sample applied
      decoder.decode(o.payload(), o.payload().length, o.segment(), o.offset(), this);
    }
  }

  /** Applies the held float records: layout by layout when that is safe, else as logged. */
  private void applyWindow() {
    if (window == null || window.isEmpty()) {
      return;
    }
    if (window.group(head, applyShards)) {
      shards.columns(window.groups());
      windowsByLayout++;
    } else {
      for (ReadAheadDecoder.Floats f : window.records()) {
        shards.floats(f.refs, f.timestamps(), f.vs, f.n);
      }
      windowsByRecord++;
    }
    for (ReadAheadDecoder.Floats f : window.records()) {
      ahead.release(f);
    }
    window.clear();
  }

  @Override
  public void series(long ref, Labels labels) {
    head.replaySeries(ref, labels);
    series++;
  }

  @Override
  public void floatSample(long ref, long t, double v) {
    if (head.replaySample(ref, t, v, null)) {
      countedSamples++;
    } else {
      countedUnknown++;
    }
  }

  @Override
  public void floatSamples(long[] refs, long[] ts, double[] vs, int n) {
    int missing = head.replayFloats(refs, ts, vs, n);
    countedSamples += n - missing;
    countedUnknown += missing;
  }

  @Override
  public void tombstone(long ref, long minT, long maxT) {
    head.replayTombstone(ref, minT, maxT);
  }

  @Override
  public void exemplar(long ref, long t, double v, Labels labels) {
    if (head.replayExemplar(ref, t, v, labels)) {
      exemplars++;
    }
  }

  @Override
  public void metadata(long ref, Metadata metadata) {
    head.replayMetadata(ref, metadata);
  }

  @Override
  public void histogramSample(long ref, long t, FloatHistogram h) {
    if (head.replaySample(ref, t, 0, h)) {
      countedSamples++;
    } else {
      countedUnknown++;
    }
  }
}
