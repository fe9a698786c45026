package dev.vigil.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.record.RecordType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;

/**
 * The read-ahead thread's share of WAL replay: float-sample records (types 2 and 17, nearly all
 * of a WAL) are decoded there into pooled arrays and series records into labels, so the
 * replaying thread only applies them; float runs (type 20, in checkpoints) only to their header,
 * the record copied for the apply shard, which mostly skips it; other records (tombstones,
 * histograms, exemplars, metadata: few) are copied and decoded by the replaying thread, in log
 * order with the rest. The value chains of type-17 records live in this thread's decoder.
 */
final class ReadAheadDecoder {
  /**
   * A decoded float-samples record; hand it back with {@link #release} once applied. A v2
   * record (what the WAL holds) is decoded straight into its arrays; a v1 record is copied in.
   * A v2 record whose samples share one timestamp (a scrape's) keeps it in {@link #sharedT}
   * and needs no timestamp array ({@link #tsShared}); one that logs the refs of an earlier
   * record, in the same order, holds that record's refs array ({@link #refsShared},
   * {@link RefColumns}). A scrape's record held in a window then takes 8 bytes per sample
   * instead of 24, and windows hold that many more samples of each series in the same heap.
   */
  static final class Floats extends RecordDecoder.FloatColumns
      implements RecordDecoder.Visitor {
    /** Decoded bytes per sample: ref, timestamp and value, 8 each. */
    static final int BYTES_PER_SAMPLE = 24;
    private static final long[] NONE = new long[0];

    int n;
    /** Whether {@link #refs} is an array shared with other records ({@link RefColumns}). */
    boolean refsShared;
    /** Where a v2 record's refs are decoded before they are shared or copied; null: own. */
    private final ReadAheadDecoder readAhead;
    private long[] own = NONE;

    /** Columns decoded on their own (a float run on its apply shard). */
    Floats() {
      this(null);
    }

    private Floats(ReadAheadDecoder readAhead) {
      this.readAhead = readAhead;
    }

    @Override
    public RecordDecoder.FloatColumns floatColumns(int count) {
      refs = readAhead != null ? readAhead.scratchRefs(count) : ownRefs(count);
      refsShared = false;
      valuesFor(count);
      return this;
    }

    @Override
    public boolean takesSharedTimestamps() {
      return true;
    }

    @Override
    public void floatSamples(long[] r, long[] t, double[] v, int count) {
      if (r != refs) {
        refs = ownRefs(count);
        refsShared = false;
        System.arraycopy(r, 0, refs, 0, count);
        System.arraycopy(t, 0, timestampsFor(count), 0, count);
        System.arraycopy(v, 0, valuesFor(count), 0, count);
        tsShared = false;
      }
      n = count;
    }

    private long[] ownRefs(int count) {
      if (own.length < count) {
        own = new long[count];
      }
      return own;
    }

    /**
     * After a v2 record was decoded, its refs in the read-ahead thread's scratch array: the
     * array of its layout when {@code columns} shares one (this record's own array is then let
     * go: while layouts repeat, it is not needed), else a copy of its own.
     */
    void keepRefs(RefColumns columns) {
      // A record with a series twice (a checkpoint's, one series each) is applied as logged,
      // never held in a window: nothing to share.
      boolean twice = n > 1 && refs[0] == refs[1];
      long[] shared = twice ? null : columns.shared(refs, n);
      if (shared != null) {
        refs = shared;
        refsShared = true;
        own = NONE;
      } else {
        long[] o = ownRefs(n);
        System.arraycopy(refs, 0, o, 0, n);
        refs = o;
      }
    }

    /** The record's timestamps as an array: a shared one written out first. */
    long[] timestamps() {
      if (tsShared) {
        Arrays.fill(timestampsFor(n), 0, n, sharedT);
        tsShared = false;
      }
      return ts;
    }

    /**
     * What the record takes on the heap while held: {@link #BYTES_PER_SAMPLE}, less the
     * timestamp when the samples share one and the ref when the column is shared.
     */
    long decodedBytes() {
      int shared = (tsShared ? Long.BYTES : 0) + (refsShared ? Long.BYTES : 0);
      return (long) n * (BYTES_PER_SAMPLE - shared);
    }
  }

  /**
   * A decoded series record (labels built here, interned by the head when applied); hand it
   * back with {@link #release} once applied, so that the next record reuses its list and refs.
   */
  static final class Series implements RecordDecoder.Visitor {
    final List<Labels> labels = new ArrayList<>();
    long[] refs = new long[16];

    @Override
    public void series(long ref, Labels l) {
      int i = labels.size();
      if (i == refs.length) {
        refs = Arrays.copyOf(refs, i * 2);
      }
      refs[i] = ref;
      labels.add(l);
    }
  }

  /**
   * A float run (type 20) read up to its samples: its header, and the record copied for the
   * apply shard of its series, which skips it when the chunks that series took over from the
   * head chunk files hold it, and decodes it otherwise. Hand it back with {@link #release}.
   */
  static final class FloatRun extends RecordDecoder.FloatRunHeader {
    byte[] payload = new byte[256];
    int length;
    int segment;
    long offset;
  }

  /** Any other record, for the replaying thread to decode. */
  record Other(byte[] payload, int segment, long offset) {}

  private final ReplayRecordDecoder decoder;
  private final ConcurrentLinkedQueue<Floats> free = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Series> freeSeries = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<FloatRun> freeRuns = new ConcurrentLinkedQueue<>();
  // Shared ref columns take at most a 64th of the heap, as a window does.
  private final RefColumns refColumns =
      new RefColumns(Runtime.getRuntime().maxMemory() / 64 / Long.BYTES);
  /** The array v2 records' refs are decoded into, before they are shared or copied. */
  private long[] scratchRefs = new long[0];

  /**
   * Series labels are decoded to {@code canonical}'s strings: the head's interned ones, so that
   * the replaying thread finds every string of a new series interned already.
   */
  ReadAheadDecoder(UnaryOperator<String> canonical) {
    decoder = new ReplayRecordDecoder(canonical);
  }

  /** On the read-ahead thread: a {@link Floats}, {@link Series}, {@link FloatRun} or {@link Other}. */
  Object prepare(byte[] buf, int len, int segment, long offset) {
    int type = len > 0 ? buf[0] & 0xFF : -1;
    if (type == RecordType.FLOAT_RUN) {
      return run(buf, len, segment, offset);
    }
    RecordDecoder.Visitor out;
    if (type == RecordType.FLOAT_SAMPLES_V2 || type == RecordType.FLOAT_SAMPLES_V1) {
      Floats f = free.poll();
      out = f != null ? f : new Floats(this);
    } else if (type == RecordType.SERIES_V1 || type == RecordType.SERIES_V2) {
      Series s = freeSeries.poll();
      out = s != null ? s : new Series();
    } else {
      return new Other(Arrays.copyOf(buf, len), segment, offset);
    }
    decoder.decode(buf, len, segment, offset, out);
    if (type == RecordType.FLOAT_SAMPLES_V2) {
      ((Floats) out).keepRefs(refColumns);
    }
    return out;
  }

  /** {@link #scratchRefs}, grown to hold at least {@code n}: on the read-ahead thread. */
  private long[] scratchRefs(int n) {
    if (scratchRefs.length < n) {
      scratchRefs = new long[Math.max(n, scratchRefs.length * 2)];
    }
    return scratchRefs;
  }

  private FloatRun run(byte[] buf, int len, int segment, long offset) {
    FloatRun r = freeRuns.poll();
    if (r == null) {
      r = new FloatRun();
    }
    decoder.floatRunHeader(buf, len, segment, offset, r);
    if (r.payload.length < len) {
      r.payload = new byte[Math.max(len, r.payload.length * 2)];
    }
    System.arraycopy(buf, 0, r.payload, 0, len);
    r.length = len;
    r.segment = segment;
    r.offset = offset;
    return r;
  }

  /** On any apply thread, once {@code r} is applied. */
  void release(FloatRun r) {
    freeRuns.offer(r);
  }

  /** On the replaying thread, after applying {@code f}. */
  void release(Floats f) {
    free.offer(f);
  }

  /** On the replaying thread, after applying {@code s}. */
  void release(Series s) {
    s.labels.clear();
    freeSeries.offer(s);
  }
}
