package dev.vigil.rules.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.rules.file.RuleGroup;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleGroupEvaluatorTest {
  private static final long MIN = 60_000;

  private static RuleGroup group(String yaml) {
    LoadResult r = new RuleFileLoader(PromqlExprValidator.allFeatures()).load("r.yaml", yaml);
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    return ((LoadResult.Loaded) r).file().groups().getFirst();
  }

  private static void put(InMemoryStorage s, String metric, long t, double v) {
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", metric, "job", "api"), t, v);
    a.commit();
  }

  private static List<double[]> samples(InMemoryStorage s, String metric) {
    List<double[]> out = new ArrayList<>();
    try (Querier q = s.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.EQUAL, "__name__", metric)));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueKind.FLOAT) {
          out.add(new double[] {it.atT(), it.atF()});
        }
      }
    }
    return out;
  }

  @Test
  void alertGoesPendingThenFiringThenResolves() {
    RuleGroup g = group("""
        groups:
        - name: g
          rules:
          - alert: High
            expr: x > 5
            for: 2m
            labels: {severity: page}
            annotations: {summary: "value {{ $value }} on {{ $labels.job }}"}
        """);
    InMemoryStorage s = new InMemoryStorage();
    RuleGroupEvaluator ev = new RuleGroupEvaluator(g, RuleEvalOptions.defaults());
    EngineRuleQuery q = new EngineRuleQuery(new Engine(EngineOptions.forTests()), s);
    List<AlertState> states = new ArrayList<>();
    double[] values = {1, 10, 10, 10, 10, 1};
    for (int i = 0; i < values.length; i++) {
      put(s, "x", i * MIN, values[i]);
      ev.evaluate(i * MIN, q, s);
      List<Alert> alerts = ev.status().getFirst().alerts();
      states.add(alerts.isEmpty() ? null : alerts.getFirst().state());
    }
    assertThat(states).containsExactly(null, AlertState.PENDING, AlertState.PENDING,
        AlertState.FIRING, AlertState.FIRING, AlertState.INACTIVE);
    Alert resolved = ev.status().getFirst().alerts().getFirst();
    assertThat(resolved.labels()).isEqualTo(
        Labels.of("alertname", "High", "job", "api", "severity", "page"));
    assertThat(resolved.annotations().get("summary")).isEqualTo("value 10 on api");
    assertThat(resolved.activeAt()).isEqualTo(MIN);
    assertThat(resolved.firedAt()).isEqualTo(3 * MIN);
    assertThat(resolved.resolvedAt()).isEqualTo(5 * MIN);
    // ALERTS was written while pending/firing, then went stale.
    List<double[]> alertsSeries = samples(s, "ALERTS");
    assertThat(alertsSeries).isNotEmpty();
    assertThat(StaleNaN.is(alertsSeries.getLast()[1])).isTrue();
    List<double[]> forState = samples(s, "ALERTS_FOR_STATE");
    assertThat(forState.getFirst()[1]).isEqualTo(60.0);
  }

  @Test
  void eachRuleReportsHowLongItsLastEvaluationTook() {
    RuleGroup g = group("""
        groups:
        - name: g
          rules:
          - record: job:x:sum
            expr: sum by (job) (x)
          - alert: Broken
            expr: x * on() y
        """);
    InMemoryStorage s = new InMemoryStorage();
    RuleGroupEvaluator ev = new RuleGroupEvaluator(g, RuleEvalOptions.defaults());
    assertThat(ev.status()).extracting(RuleStatus::evaluationNanos).containsExactly(0L, 0L);
    put(s, "x", 0, 1);
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", "y", "i", "1"), 0, 1);
    a.append(0, Labels.of("__name__", "y", "i", "2"), 0, 1); // many-to-many: a runtime error
    a.commit();
    long before = System.nanoTime();
    ev.evaluate(0, new EngineRuleQuery(new Engine(EngineOptions.forTests()), s), s);
    long elapsed = System.nanoTime() - before;
    List<RuleStatus> st = ev.status();
    // Successful and failed evaluations are both timed, each within the group's evaluation.
    assertThat(st.get(1).health()).isEqualTo("err");
    assertThat(st).extracting(RuleStatus::evaluationNanos)
        .allSatisfy(n -> assertThat(n).isPositive().isLessThanOrEqualTo(elapsed));
    assertThat(st.get(0).evaluationNanos() + st.get(1).evaluationNanos())
        .isLessThanOrEqualTo(elapsed);
  }

  @Test
  void keepFiringForHoldsAFiringAlert() {
    RuleGroup g = group("""
        groups:
        - name: g
          rules:
          - alert: High
            expr: x > 5
            keep_firing_for: 2m
        """);
    InMemoryStorage s = new InMemoryStorage();
    RuleGroupEvaluator ev = new RuleGroupEvaluator(g, RuleEvalOptions.defaults());
    EngineRuleQuery q = new EngineRuleQuery(new Engine(EngineOptions.forTests()), s);
    double[] values = {10, 1, 1, 1};
    List<AlertState> states = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      put(s, "x", i * MIN, values[i]);
      ev.evaluate(i * MIN, q, s);
      states.add(ev.status().getFirst().alerts().getFirst().state());
    }
    assertThat(states).containsExactly(AlertState.FIRING, AlertState.FIRING, AlertState.FIRING,
        AlertState.INACTIVE);
  }

  @Test
  void recordingRuleWritesResultsAndStalenessMarkers() {
    RuleGroup g = group("""
        groups:
        - name: g
          labels: {team: a}
          rules:
          - record: job:x:sum
            expr: sum by (job) (x)
            labels: {team: b}
        """);
    InMemoryStorage s = new InMemoryStorage();
    RuleGroupEvaluator ev = new RuleGroupEvaluator(g, RuleEvalOptions.defaults());
    EngineRuleQuery q = new EngineRuleQuery(new Engine(EngineOptions.forTests()), s);
    put(s, "x", 0, 3);
    ev.evaluate(0, q, s);
    ev.evaluate(10 * MIN, q, s); // x is older than the lookback delta: the result vanishes
    List<double[]> out = samples(s, "job:x:sum");
    assertThat(out).hasSize(2);
    assertThat(out.getFirst()).containsExactly(0, 3);
    assertThat(StaleNaN.is(out.get(1)[1])).isTrue();
    try (Querier qr = s.querier(0, 0)) {
      assertThat(qr.labelValues("team", List.of())).containsExactly("b");
    }
  }

  @Test
  void aFailingRuleRecordsItsErrorAndTheOthersStillRun() {
    RuleGroup g = group("""
        groups:
        - name: g
          rules:
          - record: dup
            expr: label_replace(x, "job", "same", "", "")
          - record: ok
            expr: vector(1)
        """);
    InMemoryStorage s = new InMemoryStorage();
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", "x", "job", "a"), 0, 1);
    a.append(0, Labels.of("__name__", "x", "job", "b"), 0, 1);
    a.commit();
    RuleGroupEvaluator ev = new RuleGroupEvaluator(g, RuleEvalOptions.defaults());
    ev.evaluate(0, new EngineRuleQuery(new Engine(EngineOptions.forTests()), s), s);
    assertThat(ev.status().get(0).lastError()).isNotNull();
    assertThat(ev.status().get(1).lastError()).isNull();
    assertThat(samples(s, "ok")).hasSize(1);
  }

  @Test
  void copyStateMatchesRulesByNameAndLabelsAndStalesTheSeriesOfRemovedRules() {
    RuleGroup before = group("""
        groups:
        - name: g
          rules:
          - record: kept
            expr: vector(1)
          - record: dropped
            expr: vector(2)
          - alert: A
            expr: vector(3)
            for: 1h
        """);
    RuleGroup after = group("""
        groups:
        - name: g
          rules:
          - alert: A
            expr: vector(3)
            for: 1h
          - record: kept
            expr: vector(1)
        """);
    InMemoryStorage s = new InMemoryStorage();
    EngineRuleQuery q = new EngineRuleQuery(new Engine(EngineOptions.forTests()), s);
    RuleGroupEvaluator old = new RuleGroupEvaluator(before, RuleEvalOptions.defaults());
    old.evaluate(0, q, s);
    RuleGroupEvaluator fresh = new RuleGroupEvaluator(after, RuleEvalOptions.defaults());
    fresh.copyStateFrom(old);
    EvaluationSummary sum = fresh.evaluate(MIN, q, s);
    assertThat(sum).isEqualTo(new EvaluationSummary(2, 0, 3));
    assertThat(fresh.status().getFirst().alerts()).singleElement()
        .satisfies(a -> assertThat(a.activeAt()).isZero()); // kept from the old group
    List<double[]> dropped = samples(s, "dropped");
    assertThat(dropped).hasSize(2);
    assertThat(dropped.get(1)[0]).isEqualTo(MIN);
    assertThat(StaleNaN.is(dropped.get(1)[1])).isTrue();
    assertThat(samples(s, "kept")).hasSize(2).noneMatch(x -> StaleNaN.is(x[1]));
  }

  @Test
  void alertsAreHandedToTheSinkOnResendDelayAndWhenResolved() {
    RuleGroup g = group("""
        groups:
        - name: g
          rules:
          - alert: A
            expr: x > 5
        """);
    InMemoryStorage s = new InMemoryStorage();
    EngineRuleQuery q = new EngineRuleQuery(new Engine(EngineOptions.forTests()), s);
    RuleGroupEvaluator ev = new RuleGroupEvaluator(g, RuleEvalOptions.defaults());
    List<String> sent = new ArrayList<>();
    double[] values = {10, 10, 10, 10, 1, 1};
    for (int i = 0; i < values.length; i++) {
      put(s, "x", i * MIN, values[i]);
      long ts = i * MIN;
      ev.evaluate(ts, q, s, (rule, alerts) -> alerts.forEach(
          a -> sent.add(ts / MIN + ":" + a.state().label())), 2 * MIN);
    }
    // Resend delay 2m: sent at 0 and 3 (strictly after 2m), resolved at 4, not again at 5.
    assertThat(sent).containsExactly("0:firing", "3:firing", "4:inactive");
  }
}
