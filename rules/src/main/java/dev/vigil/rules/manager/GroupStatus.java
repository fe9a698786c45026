package dev.vigil.rules.manager;

import dev.vigil.rules.eval.RuleStatus;
import dev.vigil.rules.file.RuleGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A running group as {@code /api/v1/rules} shows it.
 *
 * @param group the definition (rules with their expressions, labels, annotations, {@code for})
 * @param interval the effective interval (the group's, or the manager's default)
 * @param queryOffset the effective query offset
 * @param lastEvaluation wall-clock start of the last evaluation; null before the first
 * @param evaluationTime how long the last evaluation took
 * @param rules per-rule health, last error, failures and alerts, in file order
 */
public record GroupStatus(GroupKey key, RuleGroup group, Duration interval,
    Duration queryOffset, @Nullable Instant lastEvaluation, Duration evaluationTime,
    List<RuleStatus> rules) {
  public GroupStatus {
    rules = List.copyOf(rules);
  }
}
