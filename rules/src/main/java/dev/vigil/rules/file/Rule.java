package dev.vigil.rules.file;

import java.time.Duration;
import java.util.Map;

/** A validated rule of a rule group: recording or alerting. */
public sealed interface Rule {

  /** The record or alert name. */
  String name();

  String expr();

  Map<String, String> labels();

  /** Where the rule's name value stands in the file. */
  Position position();

  record RecordingRule(String name, String expr, Map<String, String> labels, Position position)
      implements Rule {
    public RecordingRule {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * @param holdDuration      the {@code for} clause
   * @param keepFiringFor     how long the alert keeps firing after its condition cleared
   * @param annotations       unexpanded template texts, in file order
   */
  record AlertingRule(String name, String expr, Duration holdDuration, Duration keepFiringFor,
      Map<String, String> labels, Map<String, String> annotations, Position position)
      implements Rule {
    public AlertingRule {
      labels = Map.copyOf(labels);
      annotations = java.util.Collections.unmodifiableMap(
          new java.util.LinkedHashMap<>(annotations));
    }
  }
}
