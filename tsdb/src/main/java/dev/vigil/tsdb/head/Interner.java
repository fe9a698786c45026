package dev.vigil.tsdb.head;

import dev.vigil.model.labels.Labels;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-head string interning, so the many series sharing a label name or value share one String.
 * Not the JVM's {@code String.intern} (global, unbounded); this table dies with its head.
 */
final class Interner {
  private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();

  String intern(String s) {
    String prev = strings.putIfAbsent(s, s);
    return prev == null ? s : prev;
  }

  /**
   * The labels with interned strings: {@code l} itself when its strings already are the
   * interned ones (labels decoded through one {@code StringTable} usually are after their
   * first series), a copy otherwise. Each string is interned once either way.
   */
  Labels intern(Labels l) {
    Labels.Builder copy = null;
    for (int i = 0; i < l.size(); i++) {
      String name = intern(l.name(i));
      String value = intern(l.value(i));
      if (copy == null && (name != l.name(i) || value != l.value(i))) {
        copy = Labels.builder();
        for (int j = 0; j < i; j++) {
          copy.set(l.name(j), l.value(j)); // already the interned strings
        }
      }
      if (copy != null) {
        copy.set(name, value);
      }
    }
    return copy == null ? l : copy.build();
  }
}
