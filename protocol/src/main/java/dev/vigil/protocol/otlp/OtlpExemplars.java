package dev.vigil.protocol.otlp;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.otlp.pb.KeyValue;
import dev.vigil.protocol.remote.ExemplarRejectReason;
import dev.vigil.protocol.remote.PushStats;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP exemplars as Prometheus's OTLP translator turns them into Prometheus exemplars
 * ({@code getPromExemplars}): the value (int or double), the time in ms, the trace and span ids
 * as lower-case hex in {@code trace_id} and {@code span_id} labels (when not all zero), then the
 * filtered attributes as labels, unless they would take the label set over 128 characters.
 */
final class OtlpExemplars {
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private OtlpExemplars() {}

  /** The point's exemplars in Prometheus's form, oldest first (stable for equal times). */
  static List<Exemplar> convert(List<dev.vigil.protocol.otlp.pb.Exemplar> in) {
    if (in.isEmpty()) {
      return List.of();
    }
    List<Exemplar> out = new ArrayList<>(in.size());
    for (dev.vigil.protocol.otlp.pb.Exemplar e : in) {
      double v = e.getValueCase() == dev.vigil.protocol.otlp.pb.Exemplar.ValueCase.AS_INT
          ? (double) e.getAsInt() : e.getAsDouble();
      long t = Math.floorDiv(e.getTimeUnixNano(), 1_000_000L);
      Labels.Builder b = Labels.builder();
      int runes = 0;
      byte[] trace = e.getTraceId().toByteArray();
      if (!allZero(trace)) {
        String hex = HexFormat.of().formatHex(trace);
        b.set(TRACE_ID, hex);
        runes += TRACE_ID.length() + hex.length();
      }
      byte[] span = e.getSpanId().toByteArray();
      if (!allZero(span)) {
        String hex = HexFormat.of().formatHex(span);
        b.set(SPAN_ID, hex);
        runes += SPAN_ID.length() + hex.length();
      }
      List<KeyValue> attrs = e.getFilteredAttributesList();
      if (!attrs.isEmpty()) {
        String[] values = new String[attrs.size()];
        for (int i = 0; i < attrs.size(); i++) {
          String k = attrs.get(i).getKey();
          values[i] = OtlpTranslator.value(attrs.get(i).getValue());
          runes += k.codePointCount(0, k.length())
              + values[i].codePointCount(0, values[i].length());
        }
        if (runes <= Exemplar.MAX_LABELS_RUNES) {
          for (int i = 0; i < attrs.size(); i++) {
            if (!attrs.get(i).getKey().isEmpty()) { // empty values are dropped by set too
              b.set(attrs.get(i).getKey(), values[i]);
            }
          }
        }
      }
      out.add(new Exemplar(b.build(), v, t));
    }
    out.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()));
    return out;
  }

  private static boolean allZero(byte[] id) {
    for (byte x : id) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** Stores one exemplar of series {@code labels}; a refusal is counted, never thrown. */
  static void append(Labels labels, Exemplar e, Appender app, PushStats stats) {
    ExemplarRejectReason bad = ExemplarRejectReason.validate(e.labels(), e.timestamp());
    if (bad != null) {
      stats.rejectExemplar(bad);
      return;
    }
    try {
      app.appendExemplar(0, labels, e);
      stats.addExemplarWritten();
    } catch (StorageException ex) {
      stats.rejectExemplar(ExemplarRejectReason.STORAGE);
    }
  }
}
