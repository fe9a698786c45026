package dev.vigil.server.ruler;

import dev.vigil.rules.metrics.MetricSample;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ruler's own samples (the rule managers' {@code prometheus_rule_*} with a {@code user}
 * label, and the notifier's) in the server's registry, read at scrape time.
 */
public final class RulerMetrics implements MultiCollector {
  private final RulerService ruler;

  public RulerMetrics(RulerService ruler) {
    this.ruler = ruler;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, List<MetricSample>> byName = new LinkedHashMap<>();
    for (MetricSample s : ruler.samples()) {
      byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
    }
    List<MetricSnapshot> out = new ArrayList<>();
    for (var e : byName.entrySet()) {
      boolean counter = e.getValue().get(0).counter();
      if (counter) {
        String name = e.getKey().endsWith("_total")
            ? e.getKey().substring(0, e.getKey().length() - "_total".length()) : e.getKey();
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name);
        for (MetricSample s : e.getValue()) {
          b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(s.value())
              .labels(labels(s)).build());
        }
        out.add(b.build());
      } else {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(e.getKey());
        for (MetricSample s : e.getValue()) {
          b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(s.value())
              .labels(labels(s)).build());
        }
        out.add(b.build());
      }
    }
    return new MetricSnapshots(out);
  }

  private static Labels labels(MetricSample s) {
    Labels.Builder b = Labels.builder();
    s.labels().forEach(b::label);
    return b.build();
  }
}
