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
    // Names and values are read at one call site, so that C2 inlines the string decoding (its
    // loops and its table lookup) once, not twice: a restart compiles this method while the
    // WAL's series wait for it, on the one C2 thread of a small machine.
    String name = null;
    for (int i = 0, strs = 2 * n; i < strs; i++) {
      String s = strings == null ? in.getUvarintString() : in.getUvarintString(strings);
      if ((i & 1) == 1) {
        builder.append(name, s);
      } else if (name != null && name.compareTo(s) >= 0) {
        throw in.corrupt(what + " names out of order: " + name + " then " + s);
      } else {
        name = s;
      }
    }
    return builder.build();
  }
}
