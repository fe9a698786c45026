package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.value.Sample;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.template.AlertTemplates;
import dev.vigil.rules.template.QueryFunction;
import dev.vigil.rules.template.QuerySample;
import dev.vigil.rules.template.TemplateFunctionException;
import dev.vigil.rules.template.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation state of one alerting rule: its active alerts keyed by label set, moved through
 * pending, firing and inactive exactly as Prometheus's {@code AlertingRule.Eval} does.
 */
final class AlertingRuleState {
  private static final String ALERTS = "ALERTS";
  private static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";

  private final Rule.AlertingRule rule;
  private final Map<String, String> labels; // group labels overlaid by the rule's labels
  private final long holdMillis;
  private final long keepFiringForMillis;
  private final Map<Labels, MutableAlert> active = new LinkedHashMap<>();
  // False from a restart until RestoreForState ran: ALERTS/ALERTS_FOR_STATE are not written
  // meanwhile, so the restore reads the state written before the restart, not a fresh one.
  private boolean restored = true;

  private static final class MutableAlert {
    Labels labels;
    Labels annotations;
    AlertState state;
    double value;
    long activeAt;
    long firedAt;
    long resolvedAt;
    long keepFiringSince;
    long lastSentAt = Long.MIN_VALUE; // Unix ms of the last notification (MIN_VALUE: never)

    Alert snapshot() {
      return new Alert(labels, annotations, state, value, activeAt, firedAt, resolvedAt,
          keepFiringSince);
    }
  }

  AlertingRuleState(Rule.AlertingRule rule, Map<String, String> labels) {
    this.rule = rule;
    this.labels = labels;
    this.holdMillis = rule.holdDuration() == null ? 0 : rule.holdDuration().toMillis();
    this.keepFiringForMillis = rule.keepFiringFor() == null ? 0 : rule.keepFiringFor().toMillis();
  }

  Rule.AlertingRule rule() {
    return rule;
  }

  long holdMillis() {
    return holdMillis;
  }

  void setRestored(boolean restored) {
    this.restored = restored;
  }

  /** Takes over the alerts of the same rule of a replaced group (Prometheus's CopyState). */
  void copyFrom(AlertingRuleState from) {
    active.putAll(from.active);
  }

  /**
   * The alerts to notify at {@code ts}, as Prometheus's {@code sendAlerts}: firing alerts not
   * sent for {@code resendDelay}, and alerts resolved since their last send. Marks them sent.
   */
  List<Alert> toSend(long ts, long resendDelayMillis) {
    List<Alert> out = new ArrayList<>();
    for (MutableAlert a : active.values()) {
      if (a.state == AlertState.PENDING) {
        continue;
      }
      boolean resolvedSinceSend = a.resolvedAt != 0 && a.resolvedAt > a.lastSentAt;
      if (resolvedSinceSend || a.lastSentAt + resendDelayMillis < ts) {
        a.lastSentAt = ts;
        out.add(a.snapshot());
      }
    }
    return out;
  }

  /**
   * Moves each active alert's {@code activeAt} as Prometheus's {@code RestoreForState} does,
   * from the last {@code ALERTS_FOR_STATE} sample of the alert's series in {@code forState}
   * (keyed by labels without the metric name; value: [timestamp ms, activeAt seconds]).
   */
  void restore(Map<Labels, double[]> forState, long ts, long forGracePeriodMillis) {
    for (MutableAlert a : active.values()) {
      double[] last = forState.get(a.labels);
      if (last == null || dev.vigil.model.storage.StaleNaN.is(last[1])) {
        continue;
      }
      long downAt = Math.floorDiv((long) last[0], 1000) * 1000; // Prometheus keeps seconds only
      long restoredActiveAt = (long) last[1] * 1000;
      long remaining = holdMillis - (downAt - restoredActiveAt);
      if (remaining <= 0) {
        continue; // it was firing at shutdown and fires again at the next evaluation
      } else if (remaining < forGracePeriodMillis) {
        a.activeAt = ts + forGracePeriodMillis - holdMillis; // fires after the grace period
      } else {
        a.activeAt = restoredActiveAt + (ts - downAt); // the outage does not count as pending
      }
    }
  }

  /** The current alerts (any state), in a stable order. */
  List<Alert> alerts() {
    List<Alert> out = new ArrayList<>(active.size());
    for (MutableAlert a : active.values()) {
      out.add(a.snapshot());
    }
    return out;
  }

  /**
   * Evaluates the rule at {@code ts} and returns the {@code ALERTS} / {@code ALERTS_FOR_STATE}
   * samples to write (stamped {@code ts - queryOffset}).
   */
  List<Sample> evaluate(long ts, long queryOffset, RuleQuery query, RuleEvalOptions opts,
      int limit) {
    List<Sample> res = query.query(rule.expr(), ts - queryOffset);
    QueryFunction templateQuery = (expr, t) -> {
      try {
        List<QuerySample> out = new ArrayList<>();
        for (Sample s : query.query(expr, t)) {
          out.add(new QuerySample(s.labels(), s.f()));
        }
        return out;
      } catch (RuleEvaluationException e) {
        throw new TemplateFunctionException(e.getMessage());
      }
    };
    Map<String, String> external = toMap(opts.externalLabels());
    String externalUrl = opts.externalUrl().toString();

    Map<Labels, MutableAlert> fresh = new HashMap<>();
    for (Sample s : res) {
      Value data = AlertTemplates.data(toMap(s.labels()), external, externalUrl, s.f());
      Labels.Builder lb = s.labels().toBuilder().del(Labels.METRIC_NAME);
      for (Map.Entry<String, String> l : labels.entrySet()) {
        lb.set(l.getKey(), AlertTemplates.expand(rule.name(), l.getValue(), data, ts,
            templateQuery, opts.externalUrl()));
      }
      lb.set("alertname", rule.name());
      Labels.Builder ab = Labels.builder();
      for (Map.Entry<String, String> a : rule.annotations().entrySet()) {
        ab.set(a.getKey(), AlertTemplates.expand(rule.name(), a.getValue(), data, ts,
            templateQuery, opts.externalUrl()));
      }
      Labels lbs = lb.build();
      if (fresh.containsKey(lbs)) {
        throw new RuleEvaluationException(
            "vector contains metrics with the same labelset after applying alert labels");
      }
      MutableAlert a = new MutableAlert();
      a.labels = lbs;
      a.annotations = ab.build();
      a.activeAt = ts;
      a.state = AlertState.PENDING;
      a.value = s.f();
      fresh.put(lbs, a);
    }

    for (Map.Entry<Labels, MutableAlert> e : fresh.entrySet()) {
      MutableAlert existing = active.get(e.getKey());
      if (existing != null && existing.state != AlertState.INACTIVE) {
        existing.value = e.getValue().value;
        existing.annotations = e.getValue().annotations;
        continue;
      }
      active.put(e.getKey(), e.getValue());
    }

    List<Sample> out = new ArrayList<>();
    int activePending = 0;
    var it = active.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      MutableAlert a = e.getValue();
      if (!fresh.containsKey(e.getKey())) {
        boolean keepFiring = false;
        if (a.state == AlertState.FIRING && keepFiringForMillis > 0) {
          if (a.keepFiringSince == 0) {
            a.keepFiringSince = ts;
          }
          keepFiring = ts - a.keepFiringSince < keepFiringForMillis;
        }
        if (a.state == AlertState.PENDING
            || (a.resolvedAt != 0 && ts - a.resolvedAt > opts.resolvedRetentionMillis())) {
          it.remove();
        }
        if (a.state != AlertState.INACTIVE && !keepFiring) {
          a.state = AlertState.INACTIVE;
          a.resolvedAt = ts;
        }
        if (!keepFiring) {
          continue;
        }
      } else {
        a.keepFiringSince = 0;
      }
      activePending++;
      if (a.state == AlertState.PENDING && ts - a.activeAt >= holdMillis) {
        a.state = AlertState.FIRING;
        a.firedAt = ts;
      }
      if (restored) {
        out.add(alertSample(a, ts - queryOffset));
        out.add(forStateSample(a, ts - queryOffset));
      }
    }
    if (limit > 0 && activePending > limit) {
      active.clear();
      throw new RuleEvaluationException(
          "exceeded limit of " + limit + " with " + activePending + " alerts");
    }
    return out;
  }

  private Sample alertSample(MutableAlert a, long t) {
    Labels.Builder b = Labels.fromMap(labels).toBuilder();
    a.labels.forEach(b::set);
    b.set(Labels.METRIC_NAME, ALERTS).set("alertname", rule.name()).set("alertstate", a.state.label());
    return Sample.ofFloat(b.build(), t, 1);
  }

  private Sample forStateSample(MutableAlert a, long t) {
    Labels.Builder b = Labels.fromMap(labels).toBuilder();
    a.labels.forEach(b::set);
    b.set(Labels.METRIC_NAME, ALERTS_FOR_STATE).set("alertname", rule.name());
    return Sample.ofFloat(b.build(), t, Math.floorDiv(a.activeAt, 1000));
  }

  private static Map<String, String> toMap(Labels l) {
    Map<String, String> m = new LinkedHashMap<>();
    l.forEach(m::put);
    return m;
  }
}
