package dev.vigil.collector.discovery.kubernetes;

import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.Map;

/** Label helpers shared by the roles, named after Prometheus's. */
final class MetaLabels {
  static final String PREFIX = "__meta_kubernetes_";
  static final String NAMESPACE = PREFIX + "namespace";
  static final String ADDRESS = "__address__";
  static final String PRESENT = "true";

  private MetaLabels() {}

  /**
   * {@code <role>_name}, {@code <role>_label_<name>}, {@code <role>_labelpresent_<name>} and the
   * same for annotations; names are sanitised to {@code [a-zA-Z0-9_]}.
   */
  static void addObjectMeta(Labels.Builder b, ObjectMeta meta, String role) {
    String p = PREFIX + role;
    b.set(p + "_name", meta.getName());
    addMap(b, meta.getLabels(), p + "_label_", p + "_labelpresent_");
    addMap(b, meta.getAnnotations(), p + "_annotation_", p + "_annotationpresent_");
  }

  private static void addMap(Labels.Builder b, Map<String, String> m, String value, String present) {
    if (m == null) {
      return;
    }
    for (Map.Entry<String, String> e : m.entrySet()) {
      String ln = sanitize(e.getKey());
      b.set(value + ln, e.getValue());
      b.set(present + ln, PRESENT);
    }
  }

  /** Replaces every character outside {@code [a-zA-Z0-9_]} by {@code _}. */
  static String sanitize(String name) {
    StringBuilder sb = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!ok) {
        if (sb == null) {
          sb = new StringBuilder(name);
        }
        sb.setCharAt(i, '_');
      }
    }
    return sb == null ? name : sb.toString();
  }

  /** Go's {@code net.JoinHostPort}: brackets around hosts containing a colon (IPv6). */
  static String joinHostPort(String host, long port) {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  /** The owner reference marked as controller, or null. */
  static OwnerReference controllerOf(ObjectMeta meta) {
    if (meta.getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference r : meta.getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) {
        return r;
      }
    }
    return null;
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
