package dev.vigil.tsdb.record;

import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;

/**
 * The metadata record, type 6 ({@link RecordType#METADATA_V1}), in Prometheus's layout (see
 * {@code FORMAT.md}): encode with {@link #start} then {@link #metadata} per series; decode with
 * {@link #decode} (also reached through {@link RecordDecoder}). Stateless.
 */
public final class MetadataRecordCodec {
  /** Field names of the record's name/value list, as Prometheus writes them. */
  static final String UNIT = "UNIT";
  static final String HELP = "HELP";

  /** Receives decoded metadata, in record order. */
  @FunctionalInterface
  public interface Visitor {
    void metadata(long ref, Metadata metadata);
  }

  public void start(ByteSink out) {
    out.putByte(RecordType.METADATA_V1);
  }

  /** The metadata of series {@code ref} from now on. */
  public void metadata(ByteSink out, long ref, Metadata metadata) {
    out.putUvarint(ref);
    out.putByte(metadata.type().wireNumber());
    out.putUvarint(2);
    out.putUvarintString(UNIT);
    out.putUvarintString(metadata.unit());
    out.putUvarintString(HELP);
    out.putUvarintString(metadata.help());
  }

  /**
   * Decodes the rest of a metadata record; {@code in} is positioned after the type byte. Fields
   * other than {@code UNIT} and {@code HELP} are skipped and type numbers this version does not
   * know read as unknown, as Prometheus's decoder does, so newer writers stay readable.
   */
  public void decode(ByteSource in, Visitor visitor) {
    while (in.hasRemaining()) {
      long ref = in.getUvarint();
      if (ref <= 0 || ref > Integer.MAX_VALUE) {
        throw in.corrupt("metadata series ref " + ref + " not in [1, 2^31)");
      }
      MetricType type = MetricType.ofWireNumber(in.getByte());
      int fields = in.getUvarintInt(in.remaining() / 2, "metadata field count");
      String unit = "";
      String help = "";
      for (int i = 0; i < fields; i++) {
        String name = in.getUvarintString();
        String value = in.getUvarintString();
        if (name.equals(UNIT)) {
          unit = value;
        } else if (name.equals(HELP)) {
          help = value;
        }
      }
      visitor.metadata(ref, new Metadata(type, help, unit));
    }
  }
}
