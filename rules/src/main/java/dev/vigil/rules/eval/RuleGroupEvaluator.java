package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.promql.value.Sample;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.file.RuleGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
  private final long[] failures;
  private final boolean[] evaluated;
  /** Wall time of each rule's last evaluation (query, alert handling and writing), in ns. */
  private final long[] evaluationNanos;
  private final List<Map<String, String>> effectiveLabels;
  // Series of rules that a group update removed: marked stale at the next evaluation.
  private final List<Labels> staleSeries = new ArrayList<>();
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
    this.failures = new long[rules.size()];
    this.evaluated = new boolean[rules.size()];
    this.evaluationNanos = new long[rules.size()];
    for (Rule r : rules) {
      Map<String, String> labels = RecordedSeries.effectiveLabels(group, r);
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
  public EvaluationSummary evaluate(long ts, RuleQuery query, Appendable out) {
    return evaluate(ts, query, out, AlertSink.NONE, 0);
  }

  /**
   * Evaluates every rule at {@code ts} (Unix ms), appends the results to {@code out} and hands
   * each alerting rule's alerts that are due (firing and not sent for {@code resendDelayMillis},
   * or resolved since last sent) to {@code sink}.
   */
  public EvaluationSummary evaluate(long ts, RuleQuery query, Appendable out, AlertSink sink,
      long resendDelayMillis) {
    long offset = queryOffsetMillis();
    int failed = 0;
    int samples = 0;
    for (int i = 0; i < rules.size(); i++) {
      long began = System.nanoTime();
      evaluated[i] = true;
      try {
        List<Sample> produced;
        try {
          produced = alertStates.get(i) != null
              ? alertStates.get(i).evaluate(ts, offset, query, options, group.limit())
              : record((Rule.RecordingRule) rules.get(i), effectiveLabels.get(i), ts - offset,
                  query);
          lastErrors.set(i, null);
        } catch (RuleEvaluationException e) {
          lastErrors.set(i, e.getMessage());
          failures[i]++;
          failed++;
          continue;
        }
        samples += produced.size();
        AlertingRuleState a = alertStates.get(i);
        if (a != null) {
          List<Alert> due = a.toSend(ts, resendDelayMillis);
          if (!due.isEmpty()) {
            sink.send(a.rule(), due);
          }
        }
        write(i, produced, ts - offset, out);
      } finally {
        evaluationNanos[i] = System.nanoTime() - began;
      }
    }
    writeStale(staleSeries, ts - offset, out);
    staleSeries.clear();
    lastEvaluation = ts;
    return new EvaluationSummary(rules.size(), failed, samples);
  }

  private List<Sample> record(Rule.RecordingRule rule, Map<String, String> labels, long t,
      RuleQuery query) {
    List<Sample> res = query.query(rule.expr(), t);
    List<Sample> out = new ArrayList<>(res.size());
    Set<Labels> seen = new HashSet<>();
    for (Sample s : res) {
      Labels l = RecordedSeries.labels(s.labels(), rule.name(), labels);
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

  private void writeStale(List<Labels> series, long t, Appendable out) {
    if (series.isEmpty()) {
      return;
    }
    Appender app = out.appender();
    for (Labels l : series) {
      try {
        app.append(0, l, t, StaleNaN.VALUE);
      } catch (StorageException e) {
        // Expected when another rule now writes the same series (a renamed rule): not counted.
      }
    }
    app.commit();
  }

  /**
   * Writes a staleness marker at {@code ts - queryOffset} for every series this group wrote at
   * its last evaluation: the group was removed (Prometheus does this two intervals after).
   */
  public void markAllStale(long ts, Appendable out) {
    List<Labels> all = new ArrayList<>(staleSeries);
    previousSeries.forEach(all::addAll);
    writeStale(all, ts - queryOffsetMillis(), out);
    staleSeries.clear();
    previousSeries.forEach(Set::clear);
  }

  /**
   * Takes over the state of the group this one replaces, as Prometheus's {@code CopyState}:
   * rules are matched by name and labels (duplicates first to first), and a matched rule keeps
   * its alerts, its last series (for staleness) and its error counts. Series of old rules without
   * a match are marked stale at this group's next evaluation.
   */
  public void copyStateFrom(RuleGroupEvaluator from) {
    lastEvaluation = from.lastEvaluation;
    Map<String, ArrayDeque<Integer>> byKey = new HashMap<>();
    for (int fi = 0; fi < from.rules.size(); fi++) {
      byKey.computeIfAbsent(from.ruleKey(fi), k -> new ArrayDeque<>()).add(fi);
    }
    for (int i = 0; i < rules.size(); i++) {
      ArrayDeque<Integer> candidates = byKey.get(ruleKey(i));
      if (candidates == null || candidates.isEmpty()) {
        continue;
      }
      int fi = candidates.poll();
      previousSeries.set(i, new HashSet<>(from.previousSeries.get(fi)));
      failures[i] = from.failures[fi];
      AlertingRuleState mine = alertStates.get(i);
      AlertingRuleState theirs = from.alertStates.get(fi);
      if (mine != null && theirs != null) {
        mine.copyFrom(theirs);
      }
    }
    staleSeries.addAll(from.staleSeries);
    for (ArrayDeque<Integer> unmatched : byKey.values()) {
      for (int fi : unmatched) {
        staleSeries.addAll(from.previousSeries.get(fi));
      }
    }
  }

  private String ruleKey(int i) {
    return rules.get(i).name() + Labels.fromMap(effectiveLabels.get(i));
  }

  /**
   * Stops or resumes writing {@code ALERTS}/{@code ALERTS_FOR_STATE}. A ruler that restarted
   * sets false until {@link #restoreForState} ran, so that the restore reads the state written
   * before the restart.
   */
  public void setRestored(boolean restored) {
    for (AlertingRuleState a : alertStates) {
      if (a != null) {
        a.setRestored(restored);
      }
    }
  }

  /**
   * Prometheus's {@code RestoreForState}: reads each alerting rule's {@code ALERTS_FOR_STATE}
   * series from {@code storage} over {@code [ts - outageTolerance, ts]} and moves the active
   * alerts' {@code activeAt} so that the time the ruler was down does not count as pending, and
   * an alert that was about to fire waits at least {@code forGracePeriod}. Rules whose {@code
   * for} is shorter than the grace period are not restored. Marks every rule restored.
   *
   * @throws StorageException when the store cannot be read (the rules are still marked restored)
   */
  public void restoreForState(Queryable storage, long ts, long outageToleranceMillis,
      long forGracePeriodMillis) {
    try (Querier q = storage.querier(ts - outageToleranceMillis, ts)) {
      for (AlertingRuleState a : alertStates) {
        if (a == null || a.holdMillis() < forGracePeriodMillis) {
          continue;
        }
        Map<Labels, double[]> last = new HashMap<>();
        SeriesSet set = q.select(false, SelectHints.range(ts - outageToleranceMillis, ts),
            List.of(Matcher.of(MatchType.EQUAL, Labels.METRIC_NAME, "ALERTS_FOR_STATE"),
                Matcher.of(MatchType.EQUAL, "alertname", a.rule().name())));
        while (set.next()) {
          SampleIterator it = set.at().iterator(null);
          double[] tv = null;
          while (it.next() == ValueKind.FLOAT) {
            tv = new double[] {it.atT(), it.atF()};
          }
          if (tv != null) {
            last.put(set.at().labels().withoutMetricName(), tv);
          }
        }
        a.restore(last, ts, forGracePeriodMillis);
      }
    } finally {
      setRestored(true);
    }
  }

  /** Each rule's name, health, last error and (for alerting rules) alerts, in file order. */
  public List<RuleStatus> status() {
    List<RuleStatus> out = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      AlertingRuleState a = alertStates.get(i);
      String err = lastErrors.get(i);
      String health = !evaluated[i] ? "unknown" : err == null ? "ok" : "err";
      out.add(new RuleStatus(rules.get(i).name(), a != null, health, err,
          evaluated[i] ? lastEvaluation : 0, evaluationNanos[i], failures[i],
          a == null ? List.of() : a.alerts()));
    }
    return out;
  }
}
