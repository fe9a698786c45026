package dev.vigil.rules.manager;

/**
 * Identifies a group within one manager: names need only be unique per file (for the ruler, the
 * file is the namespace). {@link #toString()} is Prometheus's {@code rule_group} label value.
 */
public record GroupKey(String file, String name) implements Comparable<GroupKey> {
  @Override
  public String toString() {
    return file + ";" + name;
  }

  @Override
  public int compareTo(GroupKey o) {
    int c = file.compareTo(o.file);
    return c != 0 ? c : name.compareTo(o.name);
  }
}
