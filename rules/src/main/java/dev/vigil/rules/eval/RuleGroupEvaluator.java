package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.promql.value.Sample;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.file.RuleGroup;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates one rule group, rule by rule in file order, as Prometheus's {@code Group.Eval}:
 * each rule's output is appended (recording results, or {@code ALERTS}/{@code ALERTS_FOR_STATE}),
 * series a rule returned last time but not now get a staleness marker, and a failing rule
 * records its error without stopping the others. Not thread-safe: one evaluation at a time.
 */
public final class RuleGroupEvaluator {
  private final RuleGroup group;
  private final RuleEvalOptions options;
  private final List<Rule> rules;
  private final List<AlertingRuleState> alertStates; // null entries for recording rules
  private final List<Set<Labels>> previousSeries;
  private final List<String> lastErrors;
  private final List<Map<String, String>> effectiveLabels;
  private long lastEvaluation;
  private long samplesRejected;

  public RuleGroupEvaluator(RuleGroup group, RuleEvalOptions options) {
    this.group = group;
    this.options = options;
    this.rules = group.rules();
    this.alertStates = new ArrayList<>();
    this.previousSeries = new ArrayList<>();
    this.lastErrors = new ArrayList<>();
    this.effectiveLabels = new ArrayList<>();
    for (Rule r : rules) {
      Map<String, String> labels = new LinkedHashMap<>(group.labels());
      labels.putAll(r.labels()); // a rule's own labels win over the group's
      effectiveLabels.add(labels);
      alertStates.add(r instanceof Rule.AlertingRule a ? new AlertingRuleState(a, labels) : null);
      previousSeries.add(new HashSet<>());
      lastErrors.add(null);
    }
  }

  public RuleGroup group() {
    return group;
  }

  /** The group's query offset, or the ruler's default. */
  public long queryOffsetMillis() {
    return group.queryOffset() == null ? options.defaultQueryOffsetMillis()
        : group.queryOffset().toMillis();
  }

  /** Samples the store refused (out of order, duplicates), counted as Prometheus counts them. */
  public long samplesRejected() {
    return samplesRejected;
  }

  /** Evaluates every rule at {@code ts} (Unix ms) and appends the results to {@code out}. */
  public void evaluate(long ts, RuleQuery query, Appendable out) {
    long offset = queryOffsetMillis();
    for (int i = 0; i < rules.size(); i++) {
      List<Sample> produced;
      try {
        produced = alertStates.get(i) != null
            ? alertStates.get(i).evaluate(ts, offset, query, options, group.limit())
            : record((Rule.RecordingRule) rules.get(i), effectiveLabels.get(i), ts - offset, query);
        lastErrors.set(i, null);
      } catch (RuleEvaluationException e) {
        lastErrors.set(i, e.getMessage());
        continue;
      }
      write(i, produced, ts - offset, out);
    }
    lastEvaluation = ts;
  }

  private List<Sample> record(Rule.RecordingRule rule, Map<String, String> labels, long t,
      RuleQuery query) {
    List<Sample> res = query.query(rule.expr(), t);
    List<Sample> out = new ArrayList<>(res.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : res) {
      Labels.Builder b = s.labels().toBuilder().set(Labels.METRIC_NAME, rule.name());
      labels.forEach(b::set);
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      out.add(new Sample(l, s.t(), s.f(), s.h()));
    }
    if (group.limit() > 0 && out.size() > group.limit()) {
      throw new RuleEvaluationException(
          "exceeded limit " + group.limit() + " with " + out.size() + " series");
    }
    return out;
  }

  private void write(int rule, List<Sample> samples, long t, Appendable out) {
    Appender app = out.appender();
    Set<Labels> now = new HashSet<>();
    for (Sample s : samples) {
      now.add(s.labels());
      try {
        if (s.h() != null) {
          app.appendHistogram(0, s.labels(), s.t(), s.h());
        } else {
          app.append(0, s.labels(), s.t(), s.f());
        }
      } catch (StorageException e) {
        samplesRejected++;
      }
    }
    for (Labels gone : previousSeries.get(rule)) {
      if (!now.contains(gone)) {
        try {
          app.append(0, gone, t, StaleNaN.VALUE);
        } catch (StorageException e) {
          samplesRejected++;
        }
      }
    }
    previousSeries.set(rule, now);
    app.commit();
  }

  /** Each rule's name, last error and (for alerting rules) alerts, in file order. */
  public List<RuleStatus> status() {
    List<RuleStatus> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      AlertingRuleState a = alertStates.get(i);
      out.add(new RuleStatus(rules.get(i).name(), a != null, lastErrors.get(i), lastEvaluation,
          a == null ? List.of() : a.alerts()));
    }
    return out;
  }
}
