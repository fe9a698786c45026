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
   * and needs no timestamp array ({@link #tsShared}): a third less memory per held sample, so
   * that replay's windows hold more samples of each series in the same heap.
   */
  static final class Floats extends RecordDecoder.FloatColumns
      implements RecordDecoder.Visitor {
    /** Decoded bytes per sample: ref, timestamp and value; without the timestamp when shared. */
    static final int BYTES_PER_SAMPLE = 24;
    static final int BYTES_PER_SAMPLE_SHARED_TS = 16;

    int n;

    @Override
    public RecordDecoder.FloatColumns floatColumns(int count) {
      return ensureRefsAndValues(count);
    }

    @Override
    public boolean takesSharedTimestamps() {
      return true;
    }

    @Override
    public void floatSamples(long[] r, long[] t, double[] v, int count) {
      if (r != refs) {
        ensureRefsAndValues(count);
        System.arraycopy(r, 0, refs, 0, count);
        System.arraycopy(t, 0, timestampsFor(count), 0, count);
        System.arraycopy(v, 0, vs, 0, count);
        tsShared = false;
      }
      n = count;
    }

    /** The record's timestamps as an array: a shared one written out first. */
    long[] timestamps() {
      if (tsShared) {
        Arrays.fill(timestampsFor(n), 0, n, sharedT);
        tsShared = false;
      }
      return ts;
    }

    /** What the record takes on the heap while held: {@link #BYTES_PER_SAMPLE} or less. */
    long decodedBytes() {
      return (long) n * (tsShared ? BYTES_PER_SAMPLE_SHARED_TS : BYTES_PER_SAMPLE);
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
      out = f != null ? f : new Floats();
    } else if (type == RecordType.SERIES_V1 || type == RecordType.SERIES_V2) {
      Series s = freeSeries.poll();
      out = s != null ? s : new Series();
    } else {
      return new Other(Arrays.copyOf(buf, len), segment, offset);
    }
    decoder.decode(buf, len, segment, offset, out);
    return out;
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
