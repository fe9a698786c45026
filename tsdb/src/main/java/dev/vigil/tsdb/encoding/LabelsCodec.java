package dev.vigil.tsdb.encoding;

import dev.vigil.model.labels.Labels;

/**
 * A label set as WAL records (series, exemplars) and the head snapshot write it: uvarint count,
 * then each name and value as a uvarint-length string, names in order.
 */
public final class LabelsCodec {
  private LabelsCodec() {}

  public static void write(ByteSink out, Labels labels) {
    out.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      out.putUvarintString(labels.name(i));
      out.putUvarintString(labels.value(i));
    }
  }

  /**
   * Reads a label set into {@code builder} (reset first) and builds it. {@code strings} maps
   * repeated names and values to one {@code String} each, or is null; {@code what} names the
   * labels in errors ("label", "exemplar label").
   */
  public static Labels read(ByteSource in, Labels.Builder builder, StringTable strings,
      String what) {
    int n = in.getUvarintInt(in.remaining() / 2, what, " count");
    builder.reset(Labels.EMPTY);
    String prev = null;
    for (int i = 0; i < n; i++) {
      String name = strings == null ? in.getUvarintString() : in.getUvarintString(strings);
      String value = strings == null ? in.getUvarintString() : in.getUvarintString(strings);
      if (prev != null && prev.compareTo(name) >= 0) {
        throw in.corrupt(what + " names out of order: " + prev + " then " + name);
      }
      prev = name;
      builder.append(name, value);
    }
    return builder.build();
  }
}
