package dev.vigil.collector.remote;

import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.remote.RemoteWriteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A series as one queue sends it, after {@code write_relabel_configs}. For remote write 1.0 only
 * the encoded {@code TimeSeries.labels} fields are kept: every request copies them instead of
 * encoding the labels again (the bytes are also smaller than the label strings), and the
 * decoded labels are left to the garbage collector. 2.0 keeps the labels, whose strings go
 * through each request's symbol table. Written by the watcher thread; shards read {@link
 * #family} without a lock (its metadata is immutable; a stale read only delays a change).
 */
final class QueuedSeries {
  /** Labels for 2.0; null for 1.0 and for a dropped series. */
  final Labels labels;
  /** Encoded 1.0 label fields; null for 2.0 and for a dropped series. */
  final byte[] v1LabelFields;
  /** Segment of the last record that used this series (truncation forgets older ones). */
  int lastSegment;
  /** The metadata of the series' family from its newest metadata record, or null. */
  volatile FamilyMetadata family;

  private QueuedSeries(Labels labels, byte[] v1LabelFields, int lastSegment) {
    this.labels = labels;
    this.v1LabelFields = v1LabelFields;
    this.lastSegment = lastSegment;
  }

  /** {@code relabelled} null: the series was dropped by {@code write_relabel_configs}. */
  static QueuedSeries of(Labels relabelled, boolean v1, int lastSegment) {
    if (relabelled == null) {
      return new QueuedSeries(null, null, lastSegment);
    }
    return v1 ? new QueuedSeries(null, RemoteWriteEncoder.v1LabelFields(relabelled), lastSegment)
        : new QueuedSeries(relabelled, null, lastSegment);
  }

  boolean dropped() {
    return labels == null && v1LabelFields == null;
  }

  /** The {@code __name__} value ("" when none), decoded from the 1.0 bytes when that is all there is. */
  String metricName() {
    if (labels != null) {
      String n = labels.metricName();
      return n == null ? "" : n;
    }
    if (v1LabelFields == null) {
      return "";
    }
    // Each label: 0x0A len { 0x0A len name 0x12 len value } (RemoteWriteEncoder.v1LabelFields).
    byte[] b = v1LabelFields;
    int[] pos = {0};
    while (pos[0] < b.length) {
      pos[0]++; // the Label tag
      int len = varint(b, pos);
      int end = pos[0] + len;
      String name = "";
      String value = "";
      while (pos[0] < end) {
        int tag = b[pos[0]++];
        int n = varint(b, pos);
        String s = new String(b, pos[0], n, StandardCharsets.UTF_8);
        pos[0] += n;
        if (tag == 0x0A) {
          name = s;
        } else {
          value = s;
        }
      }
      if (name.equals(Labels.METRIC_NAME)) {
        return value;
      }
    }
    return "";
  }

  private static int varint(byte[] b, int[] pos) {
    int v = 0;
    for (int shift = 0; ; shift += 7) {
      byte x = b[pos[0]++];
      v |= (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
  }
}
