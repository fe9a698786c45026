package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.file.RuleGroup;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a recording rule names and labels what it records, for the ruler and for backfills. */
public final class RecordedSeries {
  private RecordedSeries() {}

  /** The labels a rule's results get: its group's, then its own (which win). */
  public static Map<String, String> effectiveLabels(RuleGroup group, Rule rule) {
    Map<String, String> labels = new LinkedHashMap<>(group.labels());
    labels.putAll(rule.labels());
    return labels;
  }

  /** A result's labels as recorded: named {@code record}, with {@code ruleLabels} set. */
  public static Labels labels(Labels result, String record, Map<String, String> ruleLabels) {
    Labels.Builder b = result.toBuilder().set(Labels.METRIC_NAME, record);
    ruleLabels.forEach(b::set);
    return b.build();
  }
}
