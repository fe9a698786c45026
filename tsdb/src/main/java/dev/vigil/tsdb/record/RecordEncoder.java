package dev.vigil.tsdb.record;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.HistogramCodec;
import dev.vigil.tsdb.encoding.LabelsCodec;
import java.util.Arrays;

/**
 * Appends record payloads to a caller-owned {@link ByteSink} (layouts in {@code FORMAT.md}).
 * Usage: {@code seriesV2Start}, {@code seriesV2} per series and {@code seriesV2End} (type 19,
 * what the TSDB's commits write; {@code seriesStart} and {@code series} write type 1); or {@code floatsV2Start},
 * {@code floatV2} per sample and {@code floatsV2End} (type 17, what the TSDB writes; the older
 * {@code floatsStart}/{@code floatSample} write type 2); or {@code histogramsStart} then
 * {@code histogramSample} per sample. A record ends where the caller ends it. Holds the delta
 * bases of the record being written and the type-17 value chain; not thread-safe, reusable.
 */
public final class RecordEncoder {
  private long baseRef;
  private long baseT;
  private final ChainedFloatsEncoder chained = new ChainedFloatsEncoder();

  public void seriesStart(ByteSink out) {
    out.putByte(RecordType.SERIES_V1);
  }

  public void series(ByteSink out, long ref, Labels labels) {
    out.putUvarint(ref);
    LabelsCodec.write(out, labels);
  }

  private final SeriesSymbols symbols = new SeriesSymbols();
  private long[] pendingRefs = new long[16];
  private Labels[] pendingLabels = new Labels[16];
  private int pending;

  /**
   * Starts a series record v2 (type 19: each name and value once per record, the series as
   * numbers into them): {@code seriesV2} per series, then {@code seriesV2End}, which writes it.
   */
  public void seriesV2Start() {
    symbols.clear();
    pending = 0;
  }

  public void seriesV2(long ref, Labels labels) {
    if (pending == pendingRefs.length) {
      pendingRefs = Arrays.copyOf(pendingRefs, pending * 2);
      pendingLabels = Arrays.copyOf(pendingLabels, pending * 2);
    }
    pendingRefs[pending] = ref;
    pendingLabels[pending++] = labels;
    for (int i = 0; i < labels.size(); i++) {
      symbols.add(labels.name(i));
      symbols.add(labels.value(i));
    }
  }

  /** Writes the series record v2 of the series given since {@link #seriesV2Start}. */
  public void seriesV2End(ByteSink out) {
    symbols.sort();
    out.putByte(RecordType.SERIES_V2);
    out.putUvarint(symbols.size());
    for (int i = 0; i < symbols.size(); i++) {
      out.putUvarintString(symbols.get(i));
    }
    for (int k = 0; k < pending; k++) {
      Labels labels = pendingLabels[k];
      out.putUvarint(pendingRefs[k]);
      out.putUvarint(labels.size());
      for (int i = 0; i < labels.size(); i++) {
        out.putUvarint(symbols.id(labels.name(i)));
        out.putUvarint(symbols.id(labels.value(i)));
      }
      pendingLabels[k] = null;
    }
    pending = 0;
    symbols.clear();
  }

  /** Starts a float-samples record whose deltas are relative to the first sample's ref and t. */
  public void floatsStart(ByteSink out, long firstRef, long firstT) {
    out.putByte(RecordType.FLOAT_SAMPLES_V1);
    out.putBE64(firstRef);
    out.putBE64(firstT);
    baseRef = firstRef;
    baseT = firstT;
  }

  public void floatSample(ByteSink out, long ref, long t, double v) {
    out.putVarint(ref - baseRef);
    out.putVarint(t - baseT);
    out.putDouble(v);
  }

  /**
   * Starts a float-samples v2 record ({@link RecordType#FLOAT_SAMPLES_V2}): add samples with
   * {@link #floatV2}, then write the record with {@link #floatsV2End}. Values are coded against
   * each series' previous value written by this encoder since {@link #restartChain}: the caller
   * must restart the chain whenever the next record may be read without the ones before it (at
   * every new segment, and after a write that did not reach the log).
   */
  public void floatsV2Start() {
    chained.begin();
  }

  public void floatV2(long ref, long t, double v) {
    chained.add(ref, t, v);
  }

  /**
   * What a caller-chained sample passes when its series has no previous value in the chain. A
   * NaN bit pattern: a series whose previous value has exactly these bits is written as if it
   * had none, which costs bytes, never correctness (the reader needs no chain for it).
   */
  public static final long NO_PREVIOUS = 0x7FF4_0000_5EED_0000L;

  /**
   * As {@link #floatsV2Start}, for a caller that keeps the value chain itself (in the series
   * it appends to): each sample then comes with {@link #floatV2(long, long, double, long)}. The
   * caller's chain must restart exactly where an encoder's own chain would (new segment, failed
   * write), and hold the value of each series' last sample written since.
   */
  public void floatsV2StartCallerChained() {
    chained.beginCallerChained();
  }

  /** A sample of a caller-chained record: {@code previousBits} as {@link #floatsV2StartCallerChained} says. */
  public void floatV2(long ref, long t, double v, long previousBits) {
    chained.add(ref, t, v, previousBits);
  }

  /** Writes the record of the samples added since {@link #floatsV2Start} (at least one). */
  public void floatsV2End(ByteSink out) {
    chained.end(out);
  }

  /**
   * Writes the samples added since {@link #floatsV2Start} or
   * {@link #floatsV2StartCallerChained} as a float run (type 20): one series, timestamps
   * strictly increasing, the first value written whole; the series' chain restarts after it.
   */
  public void floatRunEnd(ByteSink out) {
    chained.endRun(out);
  }

  /** Forgets every series' previous value: the next value of each is written whole. O(1). */
  public void restartChain() {
    chained.restartChain();
  }

  public void tombstonesStart(ByteSink out) {
    out.putByte(RecordType.TOMBSTONES_V1);
  }

  /** Deletion of samples in {@code [minT, maxT]} of series {@code ref}. */
  public void tombstone(ByteSink out, long ref, long minT, long maxT) {
    out.putUvarint(ref);
    out.putVarint(minT);
    out.putVarint(maxT);
  }

  public void histogramsStart(ByteSink out, long firstRef, long firstT) {
    out.putByte(RecordType.HISTOGRAM_SAMPLES_V2);
    out.putBE64(firstRef);
    out.putBE64(firstT);
    baseRef = firstRef;
    baseT = firstT;
  }

  public void histogramSample(ByteSink out, long ref, long t, FloatHistogram h) {
    out.putVarint(ref - baseRef);
    out.putVarint(t - baseT);
    HistogramCodec.encodeCompact(out, h);
  }
}
