package dev.vigil.mixin.render;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The Kubernetes objects of a build: PrometheusRule objects and dashboard ConfigMaps. */
final class Manifests {
  /** Room left in each ConfigMap for apiVersion, kind, metadata and YAML indentation. */
  private static final int OVERHEAD_BYTES = 16 * 1024;

  private Manifests() {}

  static Map<String, Object> prometheusRule(String objectName, String mixin, List<Map<String, Object>> groups) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "monitoring.coreos.com/v1");
    m.put("kind", "PrometheusRule");
    m.put("metadata", metadata(objectName, mixin, Map.of()));
    m.put("spec", Map.of("groups", groups));
    return m;
  }

  private static Map<String, Object> metadata(String name, String mixin, Map<String, String> extraLabels) {
    Map<String, Object> labels = new TreeMap<>(extraLabels);
    labels.put("app.kubernetes.io/managed-by", "vigil");
    labels.put("app.kubernetes.io/part-of", mixin);
    Map<String, Object> md = new LinkedHashMap<>();
    md.put("name", name);
    md.put("labels", labels);
    return md;
  }

  /**
   * Packs dashboards (in name order) into as few ConfigMaps as fit under the 1 MiB limit each.
   * Indented as literal blocks, every line of a dashboard costs four more bytes; that is counted.
   */
  static List<Map<String, Object>> dashboardConfigMaps(String mixin, Map<String, String> dashboards) {
    int budget = BuildOptions.CONFIGMAP_LIMIT_BYTES - OVERHEAD_BYTES;
    List<Map<String, String>> packs = new ArrayList<>();
    Map<String, String> current = new TreeMap<>();
    int used = 0;
    for (Map.Entry<String, String> d : dashboards.entrySet()) {
      int size = yamlSize(d.getKey(), d.getValue());
      if (size > budget) {
        throw new JsonnetException("dashboard " + d.getKey() + " is " + size + " bytes as a ConfigMap entry, over the "
            + BuildOptions.CONFIGMAP_LIMIT_BYTES + "-byte ConfigMap limit; split it into several dashboards");
      }
      if (used + size > budget && !current.isEmpty()) {
        packs.add(current);
        current = new TreeMap<>();
        used = 0;
      }
      current.put(d.getKey(), d.getValue());
      used += size;
    }
    if (!current.isEmpty()) {
      packs.add(current);
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < packs.size(); i++) {
      Map<String, Object> md = metadata("grafana-dashboards-" + mixin + "-" + (i + 1), mixin,
          Map.of("grafana_dashboard", "1"));
      // k8s-sidecar (Grafana's Helm chart) puts dashboards into this folder.
      md.put("annotations", Map.of("grafana_folder", mixin));
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("apiVersion", "v1");
      cm.put("kind", "ConfigMap");
      cm.put("metadata", md);
      cm.put("data", packs.get(i));
      out.add(cm);
    }
    return out;
  }

  private static int yamlSize(String key, String value) {
    int lines = 1;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '\n') {
        lines++;
      }
    }
    return key.length() + 8 + value.getBytes(StandardCharsets.UTF_8).length + 4 * lines;
  }
}
