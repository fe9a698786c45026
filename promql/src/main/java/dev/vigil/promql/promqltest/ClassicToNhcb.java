package dev.vigil.promql.promqltest;

import dev.vigil.model.histogram.ClassicHistogramConverter;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code load_with_nhcb}: turns classic histogram series ({@code x_bucket{le=...}}, {@code
 * x_count}, {@code x_sum}) into native histograms with custom buckets named {@code x}, as
 * Prometheus's {@code convertnhcb} does, and appends them beside the classic series.
 */
final class ClassicToNhcb {
  private ClassicToNhcb() {}

  static void appendConverted(List<SeriesDescription> series, long interval, Appender app) {
    Map<Labels, TreeMap<Long, ClassicHistogramConverter>> byBase = new LinkedHashMap<>();
    for (SeriesDescription sd : series) {
      String name = sd.labels().metricName();
      String kind;
      String base;
      if (name.endsWith("_bucket")) {
        kind = "bucket";
        base = name.substring(0, name.length() - "_bucket".length());
      } else if (name.endsWith("_count")) {
        kind = "count";
        base = name.substring(0, name.length() - "_count".length());
      } else if (name.endsWith("_sum")) {
        kind = "sum";
        base = name.substring(0, name.length() - "_sum".length());
      } else {
        continue;
      }
      double le = 0;
      if (kind.equals("bucket")) {
        if (!sd.labels().has("le")) {
          throw new IllegalArgumentException("expected bucket label in metric " + sd.labels());
        }
        try {
          le = ResultFormat.parseNumber(sd.labels().get("le"));
        } catch (NumberFormatException e) {
          continue;
        }
        if (Double.isNaN(le)) {
          continue;
        }
      }
      Labels baseLabels = sd.labels().toBuilder().set(Labels.METRIC_NAME, base).del("le").build();
      TreeMap<Long, ClassicHistogramConverter> byTime = byBase.computeIfAbsent(baseLabels, k -> new TreeMap<>());
      long t = 0;
      for (SequenceValue v : sd.values()) {
        if (!v.omitted() && v.histogram() == null) {
          ClassicHistogramConverter h =
              byTime.computeIfAbsent(t, k -> new ClassicHistogramConverter());
          switch (kind) {
            case "bucket" -> h.bucket(le, v.value());
            case "count" -> h.count(v.value());
            default -> h.sum(v.value());
          }
        }
        t += interval;
      }
    }
    for (Map.Entry<Labels, TreeMap<Long, ClassicHistogramConverter>> e : byBase.entrySet()) {
      for (Map.Entry<Long, ClassicHistogramConverter> p : e.getValue().entrySet()) {
        app.appendHistogram(0, e.getKey(), p.getKey(), p.getValue().convert());
      }
    }
  }
}
