package dev.vigil.server.metadata;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.tsdb.head.Head;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metadata a tenant's TSDB keeps per series (given by remote write 2.0, OTLP and scrapes
 * through {@code Appender.updateMetadata}, WAL-logged, so it survives restarts), grouped by
 * metric family as {@code /api/v1/metadata} lists it: a series' family is its metric name, less
 * the {@code _bucket}/{@code _sum}/{@code _count} suffix for histograms and summaries (the rule
 * the remote-write 2.0 decoder applies too).
 */
public final class StoredMetadata {
  private static final String[] FAMILY_SUFFIXES = {"_bucket", "_sum", "_count"};

  private StoredMetadata() {}

  /**
   * Adds the head's metadata to {@code out} (family to distinct entries); only {@code metric}'s
   * family when it is not empty.
   */
  public static void addTo(Head head, String metric, TreeMap<String, List<MetricMetadata>> out) {
    List<Head.SeriesMetadataEntry> entries = new ArrayList<>();
    if (metric.isEmpty()) {
      entries.addAll(head.seriesMetadata(
          List.of(Matcher.of(MatchType.REGEX, Labels.METRIC_NAME, ".+"))));
    } else {
      entries.addAll(head.seriesMetadata(List.of(Matcher.equal(Labels.METRIC_NAME, metric))));
      for (String suffix : FAMILY_SUFFIXES) {
        entries.addAll(head.seriesMetadata(
            List.of(Matcher.equal(Labels.METRIC_NAME, metric + suffix))));
      }
    }
    for (Head.SeriesMetadataEntry e : entries) {
      Metadata m = e.metadata();
      String family = family(e.labels().metricName(), m.type());
      if (!metric.isEmpty() && !family.equals(metric)) {
        continue;
      }
      MetricMetadata mm = new MetricMetadata(family, m.type(), m.help(), m.unit());
      List<MetricMetadata> list = out.computeIfAbsent(family, k -> new ArrayList<>(2));
      if (!list.contains(mm)) {
        list.add(mm);
      }
    }
  }

  static String family(String name, MetricType type) {
    if (type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM
        || type == MetricType.SUMMARY) {
      for (String suffix : FAMILY_SUFFIXES) {
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
          return name.substring(0, name.length() - suffix.length());
        }
      }
    }
    return name;
  }

  /** Merges {@code extra} into {@code out} keeping each family's entries distinct. */
  public static void merge(TreeMap<String, List<MetricMetadata>> out,
      Map<String, List<MetricMetadata>> extra) {
    for (var e : extra.entrySet()) {
      List<MetricMetadata> list = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>(2));
      for (MetricMetadata m : e.getValue()) {
        if (!list.contains(m)) {
          list.add(m);
        }
      }
    }
  }
}
