package dev.vigil.collector.manager;

import java.util.Locale;

/** The {@code state} parameter of {@code /api/v1/targets}. */
public enum TargetState {
  ACTIVE,
  DROPPED,
  ANY;

  /**
   * Prometheus's reading: empty or {@code any} is both, case does not matter.
   *
   * @return null for any other value (Prometheus then returns both lists empty)
   */
  public static TargetState parse(String s) {
    if (s == null || s.isEmpty()) {
      return ANY;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "active" -> ACTIVE;
      case "dropped" -> DROPPED;
      case "any" -> ANY;
      default -> null;
    };
  }
}
