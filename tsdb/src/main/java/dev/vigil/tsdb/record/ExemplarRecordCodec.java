package dev.vigil.tsdb.record;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.LabelsCodec;

/**
 * The exemplars record, type 4 ({@link RecordType#EXEMPLARS_V1}), in Prometheus's layout (see
 * {@code FORMAT.md}): encode with {@link #start} then {@link #exemplar} per exemplar; decode
 * with {@link #decode} (also reached through {@link RecordDecoder}). Holds the delta bases of
 * the record being written and a reused label builder; not thread-safe, reusable.
 */
public final class ExemplarRecordCodec {
  /** Receives decoded exemplars, in record order. */
  @FunctionalInterface
  public interface Visitor {
    void exemplar(long ref, long t, double v, Labels labels);
  }

  private final Labels.Builder builder = Labels.builder();
  private long baseRef;
  private long baseT;

  /** Starts an exemplars record whose deltas are relative to the first exemplar's ref and t. */
  public void start(ByteSink out, long firstRef, long firstT) {
    out.putByte(RecordType.EXEMPLARS_V1);
    out.putBE64(firstRef);
    out.putBE64(firstT);
    baseRef = firstRef;
    baseT = firstT;
  }

  /** One exemplar of series {@code ref}; {@code labels} are the exemplar's own (trace id...). */
  public void exemplar(ByteSink out, long ref, long t, double v, Labels labels) {
    out.putVarint(ref - baseRef);
    out.putVarint(t - baseT);
    out.putDouble(v);
    LabelsCodec.write(out, labels);
  }

  /** Decodes the rest of an exemplars record; {@code in} is positioned after the type byte. */
  public void decode(ByteSource in, Visitor visitor) {
    long baseR = in.getBE64();
    long baseTime = in.getBE64();
    while (in.hasRemaining()) {
      long ref = baseR + in.getVarint();
      if (ref <= 0 || ref > Integer.MAX_VALUE) {
        throw in.corrupt("exemplar series ref " + ref + " not in [1, 2^31)");
      }
      long t = baseTime + in.getVarint();
      double v = in.getDouble();
      visitor.exemplar(ref, t, v, LabelsCodec.read(in, builder, null, "exemplar label"));
    }
  }
}
