package dev.vigil.tsdb.record;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.HistogramCodec;
import dev.vigil.tsdb.encoding.LabelsCodec;
import dev.vigil.tsdb.encoding.StringTable;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Decodes record payloads written by {@link RecordEncoder}, calling back per element so replay
 * allocates nothing per float sample. Throws {@link CorruptDataException} (resource, offset,
 * what was wrong) on any malformed payload; a record is decoded fully before the next.
 */
public final class RecordDecoder {
  /** Receives decoded elements; implement the kinds you need. */
  public interface Visitor {
    default void series(long ref, Labels labels) {}

    default void floatSample(long ref, long t, double v) {}

    /**
     * A whole float-samples record: {@code refs/ts/vs[0, n)}, arrays reused for the next
     * record. By default calls {@link #floatSample} per sample; replay takes the batch to
     * apply it under one lock.
     */
    default void floatSamples(long[] refs, long[] ts, double[] vs, int n) {
      for (int i = 0; i < n; i++) {
        floatSample(refs[i], ts[i], vs[i]);
      }
    }

    /**
     * Arrays to decode a float-samples v2 record of {@code n} samples into, each of at least
     * {@code n} entries, instead of the decoder's own; {@link #floatSamples} then gets these
     * arrays. For a visitor that keeps the samples (replay's read-ahead thread), which is spared
     * a copy of each. Null, the default: the decoder's own arrays.
     */
    default FloatColumns floatColumns(int n) {
      return null;
    }

    default void histogramSample(long ref, long t, FloatHistogram h) {}

    default void tombstone(long ref, long minT, long maxT) {}

    /** An exemplar of series {@code ref} (record type 4, {@link ExemplarRecordCodec}). */
    default void exemplar(long ref, long t, double v, Labels labels) {}

    /** The metadata of series {@code ref} (record type 6, {@link MetadataRecordCodec}). */
    default void metadata(long ref, dev.vigil.model.metadata.Metadata metadata) {}
  }

  /**
   * Arrays a {@link Visitor} lends the decoder (see {@link Visitor#floatColumns}): a record's
   * refs, timestamps and values from index 0, grown by {@link #ensure}. Columns that
   * {@link #takesSharedTimestamps} may get a float-samples v2 record whose samples all carry
   * one timestamp (a scrape's) as {@link #sharedT} alone: {@link #tsShared} is then set and
   * {@link #ts} is left as it was, so that they need no timestamp array for such records.
   */
  public static class FloatColumns {
    public long[] refs = new long[0];
    public long[] ts = new long[0];
    public double[] vs = new double[0];
    /** Whether the last record decoded here had one timestamp, {@link #sharedT}, not in ts. */
    public boolean tsShared;
    public long sharedT;

    /** Makes each array hold at least {@code n} entries (what they held is not kept). */
    public final FloatColumns ensure(int n) {
      if (refs.length < n || ts.length < n || vs.length < n) {
        refs = new long[n];
        ts = new long[n];
        vs = new double[n];
      }
      return this;
    }

    /** The value array, grown to hold at least {@code n} (what it held is not kept). */
    public final double[] valuesFor(int n) {
      if (vs.length < n) {
        vs = new double[n];
      }
      return vs;
    }

    /** The timestamp array, grown to hold at least {@code n} (what it held is not kept). */
    public final long[] timestampsFor(int n) {
      if (ts.length < n) {
        ts = new long[n];
      }
      return ts;
    }

    /** Whether a record whose samples share one timestamp may leave {@link #ts} unwritten. */
    public boolean takesSharedTimestamps() {
      return false;
    }
  }

  private final Labels.Builder builder = Labels.builder();
  /** Series records repeat a few hundred names and values: decode each to one String. */
  private final StringTable strings;

  public RecordDecoder() {
    this(UnaryOperator.identity());
  }

  /**
   * A decoder whose series labels hold {@code canonical}'s instance of each name and value
   * (a head's interned strings during replay); other records' strings are not passed to it.
   */
  public RecordDecoder(UnaryOperator<String> canonical) {
    strings = new StringTable(12, canonical);
  }
  // Previous value per series for type-17 records; carried from record to record.
  private final ChainedFloatsDecoder chained = new ChainedFloatsDecoder();
  private final ExemplarRecordCodec exemplars = new ExemplarRecordCodec();
  private final MetadataRecordCodec metadata = new MetadataRecordCodec();
  // Decoded float samples of the current record, reused across records.
  private final FloatColumns own = new FloatColumns().ensure(256);

  /**
   * Call when the next record is the first of a segment (or checkpoint segment). Optional:
   * writers restart their value chains there anyway, so decoding is correct without it; with it,
   * a reader that skipped records of a segment gets an error instead of relying on older values.
   */
  public void segmentStart() {
    chained.restartChain();
  }

  /** Decodes one payload {@code in[position, end)}. */
  public void decode(ByteSource in, Visitor visitor) {
    int type = in.getByte();
    switch (type) {
      case RecordType.SERIES_V1 -> series(in, visitor);
      case RecordType.SERIES_V2 -> seriesV2(in, visitor);
      case RecordType.FLOAT_SAMPLES_V1 -> floats(in, visitor);
      case RecordType.FLOAT_SAMPLES_V2 -> floatsV2(in, visitor);
      case RecordType.FLOAT_RUN -> floatRun(in, visitor);
      case RecordType.HISTOGRAM_SAMPLES_V1 -> histograms(in, visitor, false);
      case RecordType.HISTOGRAM_SAMPLES_V2 -> histograms(in, visitor, true);
      case RecordType.TOMBSTONES_V1 -> tombstones(in, visitor);
      case RecordType.EXEMPLARS_V1 -> exemplars.decode(in, visitor::exemplar);
      case RecordType.METADATA_V1 -> metadata.decode(in, visitor::metadata);
      default -> throw new CorruptDataException(in.resource(), 0, "unknown record type " + type
          + ", known: 1 (series), 2 (float samples), 3 (tombstones), 4 (exemplars),"
          + " 6 (metadata), 16 (histogram samples), 17 (float samples v2),"
          + " 18 (histogram samples v2), 19 (series v2), 20 (float run)");
    }
  }

  private void series(ByteSource in, Visitor visitor) {
    while (in.hasRemaining()) {
      long ref = in.getUvarint();
      if (ref <= 0 || ref > Integer.MAX_VALUE) {
        throw in.corrupt("series ref " + ref + " not in [1, 2^31)");
      }
      visitor.series(ref, LabelsCodec.read(in, builder, strings, "label"));
    }
  }

  /** The symbols of the series record v2 being decoded. */
  private String[] symbols = new String[64];

  private void seriesV2(ByteSource in, Visitor visitor) {
    int count = in.getUvarintInt(in.remaining(), "symbol count");
    if (count > symbols.length) {
      symbols = new String[Math.max(count, symbols.length * 2)];
    }
    String[] sym = symbols;
    for (int i = 0; i < count; i++) {
      sym[i] = in.getUvarintString(strings);
      if (i > 0 && sym[i - 1].compareTo(sym[i]) >= 0) {
        throw in.corrupt("symbols out of order: " + sym[i - 1] + " then " + sym[i]);
      }
    }
    int maxId = count - 1;
    while (in.hasRemaining()) {
      long ref = in.getUvarint();
      if (ref <= 0 || ref > Integer.MAX_VALUE) {
        throw in.corrupt("series ref " + ref + " not in [1, 2^31)");
      }
      int n = in.getUvarintInt(in.remaining() / 2, "label", " count");
      builder.reset(Labels.EMPTY);
      // Symbols are sorted, so names in order are increasing numbers.
      int previousName = -1;
      for (int i = 0; i < n; i++) {
        int name = in.getUvarintInt(maxId, "label name", " symbol");
        if (name <= previousName) {
          throw in.corrupt("label names out of order: " + sym[previousName] + " then "
              + sym[name]);
        }
        previousName = name;
        builder.append(sym[name], sym[in.getUvarintInt(maxId, "label value", " symbol")]);
      }
      visitor.series(ref, builder.build());
    }
  }

  private void floats(ByteSource in, Visitor visitor) {
    long baseRef = in.getBE64();
    long baseT = in.getBE64();
    int n = 0;
    long[] r = own.refs;
    long[] t = own.ts;
    double[] v = own.vs;
    while (in.hasRemaining()) {
      if (n == r.length) {
        r = own.refs = Arrays.copyOf(r, n * 2);
        t = own.ts = Arrays.copyOf(t, n * 2);
        v = own.vs = Arrays.copyOf(v, n * 2);
      }
      r[n] = baseRef + in.getVarint();
      t[n] = baseT + in.getVarint();
      v[n] = in.getDouble();
      n++;
    }
    visitor.floatSamples(r, t, v, n);
  }

  private void floatsV2(ByteSource in, Visitor visitor) {
    int n = ChainedFloatsDecoder.count(in);
    FloatColumns c = columnsFor(visitor, n);
    if (c.takesSharedTimestamps()) {
      chained.decodeSharingTimestamps(in, n, c);
    } else {
      chained.decode(in, n, c.refs, c.ts, c.vs);
    }
    visitor.floatSamples(c.refs, c.ts, c.vs, n);
  }

  /**
   * Where a float-samples v2 body of {@code n} samples decodes to: the columns the visitor
   * lends (see {@link Visitor#floatColumns}), else this decoder's own, grown to {@code n}.
   */
  private FloatColumns columnsFor(Visitor visitor, int n) {
    FloatColumns lent = visitor.floatColumns(n);
    if (lent != null) {
      // Columns taking shared timestamps grow ts when a record needs it (timestampsFor).
      if (lent.refs.length < n || lent.vs.length < n
          || (!lent.takesSharedTimestamps() && lent.ts.length < n)) {
        throw new IllegalStateException("columns lent for " + n + " samples hold "
            + Math.min(lent.refs.length, Math.min(lent.ts.length, lent.vs.length)));
      }
      return lent;
    }
    if (n > own.refs.length) {
      own.ensure(Math.max(n, own.refs.length * 2));
    }
    return own;
  }

  /**
   * The header of a float run (type 20): its series, first and last timestamp, and sample
   * count, as {@link #floatRunHeader} reads it without decoding the samples.
   */
  public static class FloatRunHeader {
    public long ref;
    public long firstT;
    public long lastT;
    public int n;
  }

  /**
   * Reads the header of the float run at {@code in} (type byte included) into {@code out},
   * leaving {@code in} at its samples, and forgets the series' previous value as decoding the
   * run would have: a reader that skips a run is left with the chain of one that decoded it.
   * The samples are trusted to match the header (the record's checksum matched; decoding the
   * run checks them).
   */
  public void floatRunHeader(ByteSource in, FloatRunHeader out) {
    int type = in.getByte();
    if (type != RecordType.FLOAT_RUN) {
      throw in.corrupt("record type " + type + " is not a float run (" + RecordType.FLOAT_RUN
          + ")");
    }
    floatRunFields(in, out);
  }

  private void floatRunFields(ByteSource in, FloatRunHeader out) {
    long ref = in.getUvarint();
    if (ref <= 0 || ref >= Integer.MAX_VALUE) {
      throw in.corrupt("float run of series ref " + ref + " not in [1, 2^31)");
    }
    long first = in.getVarint();
    long last = in.getVarint();
    int n = ChainedFloatsDecoder.count(in);
    // Strictly increasing timestamps: n of them span at least n - 1 (a span past 2^63 - 1
    // overflows to negative: plenty).
    long span = last - first;
    if (last < first || (span >= 0 && span < n - 1)) {
      throw in.corrupt("float run of series " + ref + " with " + n + " samples in ["
          + first + ", " + last + "]");
    }
    chained.forget(ref);
    out.ref = ref;
    out.firstT = first;
    out.lastT = last;
    out.n = n;
  }

  private final FloatRunHeader run = new FloatRunHeader();

  private void floatRun(ByteSource in, Visitor visitor) {
    floatRunFields(in, run);
    int n = run.n;
    long ref = run.ref;
    FloatColumns c = columnsFor(visitor, n);
    long[] refs = c.refs;
    long[] ts = c.timestampsFor(n);
    c.tsShared = false;
    double[] vs = c.vs;
    long at = in.offset();
    chained.decode(in, n, refs, ts, vs);
    chained.forget(ref);
    for (int i = 0; i < n; i++) {
      if (refs[i] != ref) {
        throw new CorruptDataException(in.resource(), at, "float run of series " + ref
            + " holds a sample of series " + refs[i]);
      }
      if (i > 0 && ts[i] <= ts[i - 1]) {
        throw new CorruptDataException(in.resource(), at, "float run of series " + ref
            + ": timestamp " + ts[i] + " after " + ts[i - 1]);
      }
    }
    if (ts[0] != run.firstT || ts[n - 1] != run.lastT) {
      throw new CorruptDataException(in.resource(), at, "float run of series " + ref
          + " spans [" + ts[0] + ", " + ts[n - 1] + "], its header says [" + run.firstT + ", "
          + run.lastT + "]");
    }
    visitor.floatSamples(refs, ts, vs, n);
  }

  private void tombstones(ByteSource in, Visitor visitor) {
    while (in.hasRemaining()) {
      long ref = in.getUvarint();
      long min = in.getVarint();
      long max = in.getVarint();
      if (max < min) {
        throw in.corrupt("tombstone interval [" + min + ", " + max + "] is empty");
      }
      visitor.tombstone(ref, min, max);
    }
  }

  private void histograms(ByteSource in, Visitor visitor, boolean compact) {
    long baseRef = in.getBE64();
    long baseT = in.getBE64();
    while (in.hasRemaining()) {
      long ref = baseRef + in.getVarint();
      long t = baseT + in.getVarint();
      visitor.histogramSample(ref, t,
          compact ? HistogramCodec.decodeCompact(in) : HistogramCodec.decode(in));
    }
  }
}
