package dev.vigil.rules.eval;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What is known about one rule after its last evaluation.
 *
 * @param alerting true for an alerting rule
 * @param health {@code ok}, {@code err} or {@code unknown} (never evaluated), as Prometheus's
 *     API spells it
 * @param lastError the last evaluation's error, or null when it succeeded
 * @param lastEvaluation evaluation timestamp (Unix ms) of the last evaluation; 0: never
 * @param evaluationNanos how long the last evaluation of this rule took (its query, alert
 *     handling and writing its samples), as Prometheus's per-rule {@code evaluationTime}
 * @param failures evaluations of this rule that failed since the group was created (state of a
 *     replaced group is carried over)
 * @param alerts current alerts of an alerting rule (any state); empty for recording rules
 */
public record RuleStatus(String name, boolean alerting, String health, @Nullable String lastError,
    long lastEvaluation, long evaluationNanos, long failures, List<Alert> alerts) {
  public RuleStatus {
    alerts = List.copyOf(alerts);
  }
}
