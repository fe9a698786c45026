package dev.vigil.tsdb.head;

import dev.vigil.model.labels.Labels;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-head string interning, so the many series sharing a label name or value share one String.
 * Not the JVM's {@code String.intern} (global, unbounded); this table dies with its head.
 */
final class Interner {
  private final ConcurrentHashMap<String, String> strings = new ConcurrentHashMap<>();
  /**
   * Interned strings by hash, direct-mapped: a string found here is the interned one, without a
   * lookup in the map. Label names and the values most series share arrive as the same instance
   * again and again (decoded through a {@code StringTable}, or shared by the server's string
   * cache). A cold restore of 100k series from a snapshot went from 0.76-0.78 to 0.72-0.75 s
   * (interning took ~0.3 s of it before the JIT had compiled the map's code). Racy by design: a
   * slot holds an interned string or null, never anything else.
   */
  private final String[] recent = new String[1 << 12];

  String intern(String s) {
    int slot = s.hashCode() & (recent.length - 1);
    if (recent[slot] == s) {
      return s;
    }
    String prev = strings.putIfAbsent(s, s);
    String interned = prev == null ? s : prev;
    recent[slot] = interned;
    return interned;
  }

  /**
   * The labels with interned strings: {@code l} itself when its strings already are the
   * interned ones (labels decoded through one {@code StringTable} usually are after their
   * first series), a copy otherwise. Each string is interned once either way.
   */
  Labels intern(Labels l) {
    Labels.Builder copy = null;
    String name = null;
    // Names and values go through one call site of intern(String), so that C2 inlines the
    // map's code once, not twice: a restart compiles this method while the WAL's series wait.
    for (int k = 0, count = 2 * l.size(); k < count; k++) {
      int i = k >> 1;
      boolean isValue = (k & 1) == 1;
      String s = isValue ? l.value(i) : l.name(i);
      String interned = intern(s);
      if (copy == null && interned != s) {
        // Sized for all of l: a copy that grew would be a path the JIT compiled out when
        // the AOT cache's training run never took it (a recompile at restart, 0.1 s of C2).
        copy = Labels.builder(l.size());
        for (int j = 0; j < i; j++) {
          copy.append(l.name(j), l.value(j)); // already the interned strings
        }
      }
      if (!isValue) {
        name = interned;
      } else if (copy != null) {
        copy.append(name, interned);
      }
    }
    return copy == null ? l : copy.build();
  }
}
