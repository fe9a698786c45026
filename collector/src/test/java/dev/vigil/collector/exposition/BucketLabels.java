package dev.vigil.collector.exposition;

import dev.vigil.model.labels.Labels;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings Prometheus 2.x answers to Prometheus 3's (and Vigil's) labels before comparing: 3.0
 * rewrites {@code le} of histogram buckets and {@code quantile} of summaries in OpenMetrics float
 * form ({@code le="1"} becomes {@code 1.0}); 2.x keeps them as the exporter wrote them.
 */
public final class BucketLabels {
  private BucketLabels() {}

  /** {@code types}: metric family name to type, from Prometheus's metadata API. */
  public static <P> Map<Labels, P> normalise(Map<Labels, P> in, Map<String, String> types) {
    Map<Labels, P> out = new TreeMap<>();
    for (Map.Entry<Labels, P> e : in.entrySet()) {
      Labels l = e.getKey();
      String name = l.metricName();
      String label = null;
      if (!l.get("le").isEmpty() && name.endsWith("_bucket")
          && "histogram".equals(types.get(name.substring(0, name.length() - "_bucket".length())))) {
        label = "le";
      } else if (!l.get("quantile").isEmpty() && "summary".equals(types.get(name))) {
        label = "quantile";
      }
      if (label != null) {
        try {
          l = l.toBuilder().set(label, GoFloat.formatOpenMetrics(GoFloat.parse(l.get(label)))).build();
        } catch (GoFloat.SyntaxException ex) {
          // Not a number: kept as written, as Prometheus 3 does.
        }
      }
      out.put(l, e.getValue());
    }
    return out;
  }
}
