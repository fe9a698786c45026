package dev.vigil.rules.manager;

import dev.vigil.model.labels.Labels;
import dev.vigil.rules.metrics.MetricSample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rule manager's counters and gauges per group, with Prometheus's names and its {@code
 * rule_group="<file>;<name>"} label. One instance per manager (no global registry); the server
 * reads {@link #collect()} and may add a tenant label. A removed group's series disappear, as in
 * Prometheus.
 */
public final class RuleManagerMetrics {
  private final Map<GroupKey, Group> groups = new ConcurrentSkipListMap<>();

  /** Values of one group; counters only grow. */
  static final class Group {
    final AtomicLong iterationsMissed = new AtomicLong();
    final AtomicLong iterations = new AtomicLong();
    final AtomicLong evaluations = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    volatile double intervalSeconds;
    volatile double rules;
    volatile double lastEvaluationSeconds;
    volatile double lastDurationSeconds;
    volatile double lastSamples;
    volatile double lastRestoreDurationSeconds;
  }

  Group group(GroupKey key) {
    return groups.computeIfAbsent(key, k -> new Group());
  }

  void remove(GroupKey key) {
    groups.remove(key);
  }

  /** Missed iterations of a group so far (0 for an unknown group). */
  public long iterationsMissed(GroupKey key) {
    Group g = groups.get(key);
    return g == null ? 0 : g.iterationsMissed.get();
  }

  /** Scheduled iterations (run or missed) of a group so far. */
  public long iterations(GroupKey key) {
    Group g = groups.get(key);
    return g == null ? 0 : g.iterations.get();
  }

  /** Failed rule evaluations of a group so far. */
  public long evaluationFailures(GroupKey key) {
    Group g = groups.get(key);
    return g == null ? 0 : g.failures.get();
  }

  /** Every value, grouped by metric name, groups in key order. */
  public List<MetricSample> collect() {
    List<MetricSample> out = new ArrayList<>();
    add(out, "prometheus_rule_group_iterations_missed_total", true, g -> g.iterationsMissed.get());
    add(out, "prometheus_rule_group_iterations_total", true, g -> g.iterations.get());
    add(out, "prometheus_rule_evaluations_total", true, g -> g.evaluations.get());
    add(out, "prometheus_rule_evaluation_failures_total", true, g -> g.failures.get());
    add(out, "prometheus_rule_group_interval_seconds", false, g -> g.intervalSeconds);
    add(out, "prometheus_rule_group_rules", false, g -> g.rules);
    add(out, "prometheus_rule_group_last_evaluation_timestamp_seconds", false,
        g -> g.lastEvaluationSeconds);
    add(out, "prometheus_rule_group_last_duration_seconds", false, g -> g.lastDurationSeconds);
    add(out, "prometheus_rule_group_last_evaluation_samples", false, g -> g.lastSamples);
    add(out, "prometheus_rule_group_last_restore_duration_seconds", false,
        g -> g.lastRestoreDurationSeconds);
    return out;
  }

  private void add(List<MetricSample> out, String name, boolean counter,
      java.util.function.ToDoubleFunction<Group> value) {
    groups.forEach((k, g) -> out.add(new MetricSample(name,
        Labels.of("rule_group", k.toString()), value.applyAsDouble(g), counter)));
  }
}
