package dev.vigil.server.api;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/status/tsdb}: cardinality statistics in Prometheus's shape, computed from the
 * series' labels (a status page: it walks every series once, no samples).
 */
final class TsdbStatus {
  private TsdbStatus() {}

  static void write(JsonWriter w, Queryable q, HeadStats head, int limit) {
    Map<String, Long> byMetric = new HashMap<>();
    Map<String, Set<String>> valuesByName = new HashMap<>();
    Map<String, Long> bytesByName = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    long series = 0;
    long pairs = 0;
    try (Querier querier = q.querier(ApiParams.MIN_TIME, ApiParams.MAX_TIME)) {
      SeriesSet set = querier.select(false,
          SelectHints.range(ApiParams.MIN_TIME, ApiParams.MAX_TIME),
          List.of(Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+")));
      while (set.next()) {
        Labels l = set.at().labels();
        series++;
        byMetric.merge(l.metricName(), 1L, Long::sum);
        for (int i = 0; i < l.size(); i++) {
          String n = l.name(i);
          String v = l.value(i);
          pairs++;
          if (valuesByName.computeIfAbsent(n, x -> new HashSet<>()).add(v)) {
            bytesByName.merge(n, (long) v.length(), Long::sum);
          }
          byPair.merge(n + "=" + v, 1L, Long::sum);
        }
      }
    }
    Map<String, Long> valueCounts = new HashMap<>();
    valuesByName.forEach((n, vs) -> valueCounts.put(n, (long) vs.size()));
    w.beginObject().name("headStats").beginObject()
        .name("numSeries").value(head == null ? series : head.numSeries())
        .name("numLabelPairs").value(pairs)
        .name("chunkCount").value(head == null ? 0 : head.chunkCount())
        .name("minTime").value(head == null ? 0 : head.minTime())
        .name("maxTime").value(head == null ? 0 : head.maxTime())
        .endObject();
    top(w, "seriesCountByMetricName", byMetric, limit);
    top(w, "labelValueCountByLabelName", valueCounts, limit);
    top(w, "memoryInBytesByLabelName", bytesByName, limit);
    top(w, "seriesCountByLabelValuePair", byPair, limit);
    w.endObject();
  }

  private static void top(JsonWriter w, String field, Map<String, Long> counts, int limit) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    w.name(field).beginArray();
    for (int i = 0; i < Math.min(limit, entries.size()); i++) {
      w.beginObject().name("name").value(entries.get(i).getKey())
          .name("value").value(entries.get(i).getValue()).endObject();
    }
    w.endArray();
  }
}
