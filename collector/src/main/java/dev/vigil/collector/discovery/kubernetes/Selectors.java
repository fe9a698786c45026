package dev.vigil.collector.discovery.kubernetes;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.config.KubernetesSdConfig.Selector;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import java.util.List;

/**
 * Applies the {@code selectors} of the discovered role to a list/watch: the label selector as
 * the API server's string syntax, the field selector split into {@code key=value} /
 * {@code key==value} / {@code key!=value} terms.
 */
final class Selectors {
  private Selectors() {}

  static <T, L, R> FilterWatchListDeletable<T, L, R> apply(FilterWatchListDeletable<T, L, R> op,
      List<Selector> selectors, Role role) {
    FilterWatchListDeletable<T, L, R> f = op;
    for (Selector s : selectors) {
      if (s.role() != role) {
        continue;
      }
      if (s.label() != null && !s.label().isBlank()) {
        f = f.withLabelSelector(s.label());
      }
      if (s.field() != null && !s.field().isBlank()) {
        for (String term : s.field().split(",")) {
          f = field(f, term.trim());
        }
      }
    }
    return f;
  }

  private static <T, L, R> FilterWatchListDeletable<T, L, R> field(FilterWatchListDeletable<T, L, R> f, String term) {
    int ne = term.indexOf("!=");
    if (ne > 0) {
      return f.withoutField(term.substring(0, ne).trim(), term.substring(ne + 2).trim());
    }
    int eq = term.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("invalid field selector term " + term);
    }
    int valueAt = term.startsWith("=", eq + 1) ? eq + 2 : eq + 1;
    return f.withField(term.substring(0, eq).trim(), term.substring(valueAt).trim());
  }
}
