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
   * first series), a copy otherwise.
   */
  Labels intern(Labels l) {
    boolean canonical = true;
    for (int i = 0; i < l.size() && canonical; i++) {
      canonical = intern(l.name(i)) == l.name(i) && intern(l.value(i)) == l.value(i);
    }
    if (canonical) {
      return l;
    }
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < l.size(); i++) {
      b.set(intern(l.name(i)), intern(l.value(i)));
    }
    return b.build();
  }
}
