package dev.vigil.rules.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.vigil.promql.value.Sample;
import dev.vigil.rules.eval.Alert;
import dev.vigil.rules.eval.EngineRuleQuery;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.eval.RuleEvalOptions;
import dev.vigil.rules.eval.RuleEvaluationException;
import dev.vigil.rules.eval.RuleQuery;
import dev.vigil.rules.eval.RuleStatus;
import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.rules.notify.NotifierAlert;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleManagerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long MIN = 60_000;

  private final ManualTime time = new ManualTime(T0);
  private final InMemoryStorage storage = new InMemoryStorage();
  private final RuleQuery engineQuery =
      new EngineRuleQuery(new Engine(EngineOptions.forTests()), storage);
  private final List<NotifierAlert> sent = new ArrayList<>();

  private RuleManager manager(UnaryOperator<RuleManagerOptions.Builder> tweak) {
    RuleManagerOptions.Builder b = RuleManagerOptions.builder().clock(time).scheduler(time)
        .storage(storage).query(engineQuery).alertSender(sent::addAll);
    return new RuleManager(tweak.apply(b).build());
  }

  private static RuleFile file(String path, String yaml) {
    LoadResult r = new RuleFileLoader(PromqlExprValidator.allFeatures()).load(path, yaml);
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    return ((LoadResult.Loaded) r).file();
  }

  /** [t, v] of every float sample of {@code metric}, in series then time order. */
  private List<long[]> samples(String metric) {
    List<long[]> out = new ArrayList<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.EQUAL, "__name__", metric)));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() == ValueKind.FLOAT) {
          out.add(new long[] {it.atT(), StaleNaN.is(it.atF()) ? -1 : (long) it.atF()});
        }
      }
    }
    return out;
  }

  private static long firstSlotMillis(String file, String group, Duration interval) {
    long nanos = T0.getEpochSecond() * 1_000_000_000L;
    long slot = EvalSlots.evalTimestampNanos(EvalSlots.groupHash(file, group),
        interval.toNanos(), nanos) + interval.toNanos();
    return Math.floorDiv(slot, 1_000_000L);
  }

  static Stream<Arguments> alignmentCases() {
    return Stream.of(
        Arguments.argumentSet("group interval", "interval: 1m", Duration.ofMinutes(5), 60_000L,
            0L),
        Arguments.argumentSet("default interval", "", Duration.ofSeconds(20), 20_000L, 0L),
        Arguments.argumentSet("query offset", "interval: 1m\n  query_offset: 30s",
            Duration.ofMinutes(5), 60_000L, 30_000L));
  }

  @ParameterizedTest
  @MethodSource("alignmentCases")
  void evaluatesOnTheGroupsSlots(String settings, Duration defaultInterval, long interval,
      long offset) {
    try (RuleManager m = manager(b -> b.defaultInterval(defaultInterval))) {
      m.update(List.of(file("ns", """
          groups:
          - name: g
            %s
            rules:
            - record: r
              expr: vector(1)
          """.formatted(settings))));
      time.advance(Duration.ofMinutes(5));
      long first = firstSlotMillis("ns", "g", Duration.ofMillis(interval));
      List<Long> expected = new ArrayList<>();
      for (long t = first; t <= T0.toEpochMilli() + 5 * MIN; t += interval) {
        expected.add(t - offset);
      }
      assertThat(samples("r")).extracting(s -> s[0]).containsExactlyElementsOf(expected);
      GroupKey key = new GroupKey("ns", "g");
      assertThat(m.metrics().iterations(key)).isEqualTo(expected.size());
      assertThat(m.metrics().iterationsMissed(key)).isZero();
      GroupStatus st = m.group(key).orElseThrow();
      assertThat(st.interval()).isEqualTo(Duration.ofMillis(interval));
      assertThat(st.queryOffset()).isEqualTo(Duration.ofMillis(offset));
      assertThat(st.rules()).extracting(RuleStatus::health).containsExactly("ok");
    }
  }

  @Test
  void anOverrunningEvaluationCountsMissedIterationsAndTakesTheLatestSlot() {
    AtomicInteger calls = new AtomicInteger();
    RuleQuery slowSecond = (expr, t) -> {
      if (calls.incrementAndGet() == 2) {
        time.elapse(Duration.ofSeconds(150)); // 2.5 intervals
      }
      return engineQuery.query(expr, t);
    };
    try (RuleManager m = manager(b -> b.query(slowSecond))) {
      m.update(List.of(file("ns", """
          groups:
          - name: g
            interval: 1m
            rules:
            - record: r
              expr: vector(1)
          """)));
      time.advance(Duration.ofMinutes(4)); // second evaluation ends after 3m50s at most
      long s1 = firstSlotMillis("ns", "g", Duration.ofMinutes(1));
      assertThat(samples("r")).extracting(s -> s[0])
          .containsExactly(s1, s1 + MIN, s1 + 3 * MIN);
      GroupKey key = new GroupKey("ns", "g");
      assertThat(m.metrics().iterationsMissed(key)).isEqualTo(1);
      assertThat(m.metrics().iterations(key)).isEqualTo(4);
      assertThat(m.metrics().collect()).anySatisfy(s -> {
        assertThat(s.name()).isEqualTo("prometheus_rule_group_iterations_missed_total");
        assertThat(s.labels()).isEqualTo(Labels.of("rule_group", "ns;g"));
        assertThat(s.value()).isEqualTo(1);
      });
    }
  }

  @Test
  void failuresAreCountedPerGroupAndPerRule() {
    RuleQuery failing = (expr, t) -> {
      if (expr.contains("broken")) {
        throw new RuleEvaluationException("boom");
      }
      return engineQuery.query(expr, t);
    };
    try (RuleManager m = manager(b -> b.query(failing))) {
      m.update(List.of(file("ns", """
          groups:
          - name: g
            interval: 1m
            rules:
            - record: good
              expr: vector(1)
            - record: bad
              expr: broken
          """)));
      GroupKey key = new GroupKey("ns", "g");
      assertThat(m.group(key).orElseThrow().rules()).extracting(RuleStatus::health)
          .containsExactly("unknown", "unknown");
      time.advance(Duration.ofMinutes(3));
      assertThat(m.metrics().evaluationFailures(key)).isEqualTo(3);
      List<RuleStatus> rules = m.group(key).orElseThrow().rules();
      assertThat(rules).extracting(RuleStatus::health).containsExactly("ok", "err");
      assertThat(rules).extracting(RuleStatus::failures).containsExactly(0L, 3L);
      assertThat(rules.get(1).lastError()).isEqualTo("boom");
      assertThat(m.metrics().collect()).filteredOn(
              s -> s.name().equals("prometheus_rule_evaluations_total"))
          .singleElement().extracting(s -> s.value()).isEqualTo(6.0);
    }
  }

  @Test
  void alertsAreSentOnResendDelayAndOnceResolved() {
    AtomicBoolean active = new AtomicBoolean(true);
    RuleQuery q = (expr, t) -> active.get()
        ? List.of(Sample.ofFloat(Labels.of("instance", "a"), t, 7)) : List.of();
    try (RuleManager m = manager(b -> b.query(q)
        .evalOptions(RuleEvalOptions.defaults().withExternal(Labels.EMPTY,
            URI.create("http://vigil:9090"))))) {
      m.update(List.of(file("ns", """
          groups:
          - name: g
            interval: 1m
            rules:
            - alert: Up
              expr: up == 1
              labels: {severity: page}
              annotations: {summary: "value {{ $value }}"}
          """)));
      time.advance(Duration.ofMinutes(4)); // evaluations 1..4: sent at 1 and 3
      long s1 = firstSlotMillis("ns", "g", Duration.ofMinutes(1));
      assertThat(sent).extracting(a -> a.endsAt().toEpochMilli())
          .containsExactly(s1 + 4 * MIN, s1 + 6 * MIN);
      NotifierAlert a = sent.getFirst();
      assertThat(a.labels())
          .isEqualTo(Labels.of("alertname", "Up", "instance", "a", "severity", "page"));
      assertThat(a.annotations()).isEqualTo(Labels.of("summary", "value 7"));
      assertThat(a.startsAt().toEpochMilli()).isEqualTo(s1);
      assertThat(a.generatorUrl())
          .isEqualTo("http://vigil:9090/graph?g0.expr=up+%3D%3D+1&g0.tab=1");

      sent.clear();
      active.set(false);
      time.advance(Duration.ofMinutes(1));
      assertThat(sent).singleElement().satisfies(r -> {
        assertThat(r.endsAt().toEpochMilli()).isEqualTo(s1 + 4 * MIN);
        assertThat(r.startsAt().toEpochMilli()).isEqualTo(s1);
      });
    }
  }

  @Test
  void updateKeepsUnchangedGroupsAndStateOfUnchangedRulesAndStalesRemovedGroups() {
    AtomicBoolean firing = new AtomicBoolean(true);
    RuleQuery q = (expr, t) -> expr.equals("alert_expr")
        ? (firing.get() ? List.of(Sample.ofFloat(Labels.of("instance", "a"), t, 1)) : List.of())
        : engineQuery.query(expr, t);
    String same = """
        - name: same
          interval: 1m
          rules:
          - record: same_r
            expr: vector(1)
        """;
    String changing = """
        - name: changing
          interval: 1m
          rules:
          - alert: A
            expr: alert_expr
            for: 1h
        """;
    String removed = """
        - name: removed
          interval: 1m
          rules:
          - record: removed_r
            expr: vector(2)
        """;
    try (RuleManager m = manager(b -> b.query(q).restoreOnStart(false))) {
      m.update(List.of(file("ns", "groups:\n" + same + changing + removed)));
      time.advance(Duration.ofMinutes(3));
      GroupKey sameKey = new GroupKey("ns", "same");
      GroupKey changingKey = new GroupKey("ns", "changing");
      Alert before = m.group(changingKey).orElseThrow().rules().getFirst().alerts().getFirst();
      long sameIterations = m.metrics().iterations(sameKey);
      int pendingBefore = time.pending();

      // Same file re-read (positions differ), one rule added to "changing", "removed" gone.
      m.update(List.of(file("ns", "groups:\n\n" + same + changing + """
            - record: added
              expr: vector(3)
          """)));
      assertThat(time.pending()).isEqualTo(pendingBefore + 1 - 1 - 1 + 1)
          .as("same keeps its task, changing's is replaced, removed's becomes a stale marking");
      assertThat(m.groups()).extracting(GroupStatus::key).containsExactly(changingKey, sameKey);
      assertThat(m.metrics().iterations(sameKey)).isEqualTo(sameIterations);
      assertThat(m.metrics().iterations(new GroupKey("ns", "removed"))).isZero();
      long removedAt = time.nowMillis();

      time.advance(Duration.ofMinutes(2));
      Alert after = m.group(changingKey).orElseThrow().rules().getFirst().alerts().getFirst();
      assertThat(after.activeAt()).isEqualTo(before.activeAt());
      assertThat(m.metrics().iterations(sameKey)).isEqualTo(sameIterations + 2);
      assertThat(samples("removed_r")).last().satisfies(s -> {
        assertThat(s[0]).isEqualTo(removedAt);
        assertThat(s[1]).isEqualTo(-1); // staleness marker
      });
    }
  }

  @Test
  void rejectsDuplicateGroupsWithoutChangingAnything() {
    try (RuleManager m = manager(b -> b)) {
      RuleFile f = file("ns", "groups:\n- name: g\n  rules: []\n");
      assertThatThrownBy(() -> m.update(List.of(f, f)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("ns: groupname: \"g\" is repeated in the same file");
      assertThat(m.groups()).isEmpty();
    }
  }

  /**
   * Restart scenarios of Prometheus's RestoreForState: the previous run wrote ALERTS_FOR_STATE
   * each minute until it went down; the restore runs after the second evaluation.
   */
  static Stream<Arguments> restoreCases() {
    return Stream.of(
        Arguments.argumentSet("pending long left: outage does not count", "30m", 5L, 20L,
            "shifted"),
        Arguments.argumentSet("about to fire: waits the grace period", "30m", 5L, 25L, "grace"),
        Arguments.argumentSet("for shorter than grace period: not restored", "5m", 5L, 2L,
            "fresh"),
        Arguments.argumentSet("outage longer than tolerance: not restored", "30m", 120L, 20L,
            "fresh"));
  }

  @ParameterizedTest
  @MethodSource("restoreCases")
  void restoresForStateAfterRestart(String forDuration, long downMinutes, long pendingMinutes,
      String expectation) {
    long downAt = T0.toEpochMilli() - downMinutes * MIN;
    long oldActiveAt = downAt - pendingMinutes * MIN;
    Labels series = Labels.of("__name__", "ALERTS_FOR_STATE", "alertname", "A", "instance", "a");
    Appender app = storage.appender();
    for (long t = oldActiveAt; t <= downAt; t += MIN) {
      app.append(0, series, t, oldActiveAt / 1000.0);
    }
    app.commit();
    RuleQuery q = (expr, t) -> List.of(Sample.ofFloat(Labels.of("instance", "a"), t, 1));
    try (RuleManager m = manager(b -> b.query(q))) {
      m.update(List.of(file("ns", """
          groups:
          - name: g
            interval: 1m
            rules:
            - alert: A
              expr: x
              for: %s
          """.formatted(forDuration))));
      time.advance(Duration.ofMinutes(2));
      RuleStatus rule = m.group(new GroupKey("ns", "g")).orElseThrow().rules().getFirst();
      long restoreTs = rule.lastEvaluation();
      long firstEval = restoreTs - MIN;
      long expected = switch (expectation) {
        case "shifted" -> oldActiveAt + (restoreTs - downAt);
        case "grace" -> restoreTs + 10 * MIN - 30 * MIN;
        default -> firstEval;
      };
      assertThat(rule.alerts()).singleElement()
          .satisfies(a -> assertThat(a.activeAt()).isEqualTo(expected));
      // Nothing was written before the restore; the third evaluation writes again.
      assertThat(samples("ALERTS_FOR_STATE")).allSatisfy(s -> assertThat(s[0]).isLessThan(firstEval));
      time.advance(Duration.ofMinutes(1));
      assertThat(samples("ALERTS_FOR_STATE")).last()
          .satisfies(s -> assertThat(s[1]).isEqualTo(Math.floorDiv(expected, 1000)));
    }
  }

  @Test
  void runsOnARealExecutorAndSystemClock() throws Exception {
    var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (RuleManager m = new RuleManager(RuleManagerOptions.builder()
        .scheduler(RuleScheduler.of(executor)).storage(storage).query(engineQuery)
        .defaultInterval(Duration.ofMillis(50)).build())) {
      m.update(List.of(file("ns", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: vector(1)\n")));
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (m.metrics().iterations(new GroupKey("ns", "g")) < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(m.metrics().iterations(new GroupKey("ns", "g"))).isGreaterThanOrEqualTo(3);
    } finally {
      executor.shutdownNow();
    }
    List<Long> ts = samples("r").stream().map(s -> s[0]).toList();
    for (int i = 1; i < ts.size(); i++) {
      assertThat(ts.get(i) - ts.get(i - 1)).as("slots are multiples of the interval")
          .isGreaterThan(0).matches(d -> d % 50 == 0 || d % 50 == 1 || d % 50 == 49);
    }
  }

  @Test
  void aRestartedManagerContinuesPendingAlertsWithoutCountingTheOutage() {
    RuleQuery q = (expr, t) -> List.of(Sample.ofFloat(Labels.of("instance", "a"), t, 1));
    RuleFile rules = file("ns", """
        groups:
        - name: g
          interval: 1m
          rules:
          - alert: A
            expr: x
            for: 30m
        """);
    GroupKey key = new GroupKey("ns", "g");
    long activeAt;
    try (RuleManager before = manager(b -> b.query(q))) {
      before.update(List.of(rules));
      time.advance(Duration.ofMinutes(15));
      activeAt = before.group(key).orElseThrow().rules().getFirst().alerts().getFirst().activeAt();
    }
    long downAt = samples("ALERTS_FOR_STATE").getLast()[0];
    time.advance(Duration.ofMinutes(5)); // down
    try (RuleManager after = manager(b -> b.query(q))) {
      after.update(List.of(rules));
      time.advance(Duration.ofMinutes(2));
      RuleStatus r = after.group(key).orElseThrow().rules().getFirst();
      long restoredAt = r.lastEvaluation();
      long expected = activeAt / 1000 * 1000 + (restoredAt - downAt / 1000 * 1000);
      assertThat(r.alerts().getFirst().activeAt()).isEqualTo(expected);
      // Pending time before the outage counts: it fires 30m after activeAt plus the outage.
      time.advance(Duration.ofMillis(expected + 30 * MIN - time.nowMillis() - 1));
      assertThat(after.group(key).orElseThrow().rules().getFirst().alerts().getFirst().state())
          .hasToString("PENDING");
      time.advance(Duration.ofMinutes(1));
      assertThat(after.group(key).orElseThrow().rules().getFirst().alerts().getFirst().state())
          .hasToString("FIRING");
    }
  }

  @Test
  void closeStopsEverything() {
    RuleManager m = manager(b -> b);
    m.update(List.of(file("ns", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: vector(1)\n")));
    m.close();
    time.advance(Duration.ofMinutes(5));
    assertThat(samples("r")).isEmpty();
    assertThatThrownBy(() -> m.update(List.of())).isInstanceOf(IllegalStateException.class);
  }
}
