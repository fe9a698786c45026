package dev.vigil.rules.file;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule group as written in a file.
 *
 * @param interval    null: use the global evaluation interval
 * @param queryOffset null: use the global rule query offset
 * @param limit       0: no limit on alerts / series produced per evaluation
 * @param labels      added to every rule's output (Prometheus 3)
 */
public record RuleGroup(String name, @Nullable Duration interval, @Nullable Duration queryOffset,
    int limit, Map<String, String> labels, List<Rule> rules, Position position) {
  public RuleGroup {
    labels = Map.copyOf(labels);
    rules = List.copyOf(rules);
  }
}
