package dev.vigil.rules.eval;

import java.util.List;

/**
 * What is known about one rule after its last evaluation.
 *
 * @param alerting true for an alerting rule
 * @param lastError the last evaluation's error, or null when it succeeded
 * @param alerts current alerts of an alerting rule (any state); empty for recording rules
 */
public record RuleStatus(String name, boolean alerting, String lastError, long lastEvaluation,
    List<Alert> alerts) {
  public RuleStatus {
    alerts = List.copyOf(alerts);
  }
}
