package dev.vigil.rules.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.eval.RuleEvaluationException;
import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleFileLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingRuleBackfillTest {
  private static final String RULES = """
      groups:
        - name: g1
          labels: {team: a}
          rules:
            - record: job:up:sum
              expr: sum by (job) (up)
              labels: {team: b, tier: x}
            - alert: Down
              expr: up == 0
        - name: g2
          interval: 30s
          rules:
            - record: up:copy
              expr: up
      """;

  private static List<RuleFile> files(String yaml) {
    LoadResult r = new RuleFileLoader(new PromqlExprValidator(ParserOptions.DEFAULT))
        .load("rules.yaml", yaml);
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    return List.of(((LoadResult.Loaded) r).file());
  }

  /** Two targets of job a, one of job b, a sample every 15 s over [0, 10 min]. */
  private static InMemoryStorage data() {
    InMemoryStorage s = new InMemoryStorage();
    Appender app = s.appender();
    for (long t = 0; t <= 600_000; t += 15_000) {
      app.append(0, Labels.of("__name__", "up", "job", "a", "instance", "1"), t, 1);
      app.append(0, Labels.of("__name__", "up", "job", "a", "instance", "2"), t, 1);
      app.append(0, Labels.of("__name__", "up", "job", "b", "instance", "3"), t, 0);
    }
    app.commit();
    return s;
  }

  private record Got(String labels, long t, double v) {}

  /** A sink of the float samples of {@link #data}, which holds no histograms. */
  private static RecordingRuleBackfill.Sink floats(List<Got> out) {
    return new RecordingRuleBackfill.Sink() {
      @Override
      public void accept(Labels labels, long t, double v) {
        out.add(new Got(labels.toString(), t, v));
      }

      @Override
      public void acceptHistogram(Labels labels, long t, FloatHistogram h) {
        throw new AssertionError("no histograms here");
      }
    };
  }

  private static List<Got> run(RecordingRuleBackfill.Job job, long from, long to) {
    List<Got> out = new ArrayList<>();
    RecordingRuleBackfill.evaluate(new Engine(EngineOptions.defaults()), data(), job, from, to,
        floats(out));
    return out;
  }

  @Test
  void recordingRulesOnlyWithTheirGroupsIntervalAndLabels() {
    List<RecordingRuleBackfill.Job> jobs =
        RecordingRuleBackfill.jobs(files(RULES), Duration.ofMinutes(1));
    assertThat(jobs).extracting(j -> j.rule().name()).containsExactly("job:up:sum", "up:copy");
    assertThat(jobs).extracting(RecordingRuleBackfill.Job::intervalMs)
        .containsExactly(60_000L, 30_000L);
    assertThat(jobs.getFirst().labels()).containsEntry("team", "b").containsEntry("tier", "x");
    assertThat(jobs.getFirst().group()).isEqualTo("g1");
  }

  @Test
  void resultsAreNamedAndLabelledAsTheRulerRecordsThem() {
    RecordingRuleBackfill.Job sum =
        RecordingRuleBackfill.jobs(files(RULES), Duration.ofMinutes(1)).getFirst();
    assertThat(run(sum, 60_000, 180_000)).containsExactly(
        new Got("{__name__=\"job:up:sum\", job=\"a\", team=\"b\", tier=\"x\"}", 60_000, 2),
        new Got("{__name__=\"job:up:sum\", job=\"a\", team=\"b\", tier=\"x\"}", 120_000, 2),
        new Got("{__name__=\"job:up:sum\", job=\"a\", team=\"b\", tier=\"x\"}", 180_000, 2),
        new Got("{__name__=\"job:up:sum\", job=\"b\", team=\"b\", tier=\"x\"}", 60_000, 0),
        new Got("{__name__=\"job:up:sum\", job=\"b\", team=\"b\", tier=\"x\"}", 120_000, 0),
        new Got("{__name__=\"job:up:sum\", job=\"b\", team=\"b\", tier=\"x\"}", 180_000, 0));
    RecordingRuleBackfill.Job copy =
        RecordingRuleBackfill.jobs(files(RULES), Duration.ofMinutes(1)).get(1);
    assertThat(run(copy, 0, 30_000)).hasSize(6)
        .allMatch(g -> g.labels().startsWith("{__name__=\"up:copy\", instance="));
    assertThat(run(copy, 30_000, 0)).isEmpty();
  }

  @Test
  void resultsThatCollideOnceLabelledFailTheRule() {
    RecordingRuleBackfill.Job job = RecordingRuleBackfill.jobs(files("""
        groups:
          - name: g
            rules:
              - record: x
                expr: up
                labels: {instance: same}
        """), Duration.ofMinutes(1)).getFirst();
    assertThatThrownBy(() -> run(job, 0, 60_000)).isInstanceOf(RuleEvaluationException.class)
        .hasMessage("vector contains metrics with the same labelset after applying rule labels");
  }

  /** The times {@code job} is evaluated at in a window (those of one of its series). */
  private static List<Long> windowTimes(RecordingRuleBackfill.Job job, long windowStart,
      long windowEnd, long rangeStart, long rangeEnd) {
    List<Got> out = new ArrayList<>();
    RecordingRuleBackfill.evaluateWindow(new Engine(EngineOptions.defaults()), data(), job,
        windowStart, windowEnd, rangeStart, rangeEnd, floats(out));
    return out.stream().filter(g -> g.labels().contains("instance=\"1\"")).map(Got::t)
        .toList();
  }

  /**
   * Group g18 of rules.yaml sits at 59.714769869 s of every minute. As promtool, a window
   * evaluates its slots up to its last whole second: the slot 0.285 s before the window's end is
   * in neither window.
   */
  @Test
  void windowsEvaluateTheGroupsSlotsUpToTheirLastWholeSecond() {
    RecordingRuleBackfill.Job job = RecordingRuleBackfill.jobs(files("""
        groups:
          - name: g18
            rules:
              - record: up:copy
                expr: up
        """), Duration.ofMinutes(1)).getFirst();
    List<Long> first = windowTimes(job, 0, 300_000, 0, 600_000);
    assertThat(first).containsExactly(59_715L, 119_715L, 179_715L, 239_715L);
    List<Long> second = windowTimes(job, 300_000, 600_000, 0, 600_000);
    assertThat(second).containsExactly(359_715L, 419_715L, 479_715L, 539_715L);
    // The range's own start and end cut the windows too, to whole seconds.
    assertThat(windowTimes(job, 0, 300_000, 120_500, 239_999))
        .containsExactly(179_715L);
    assertThat(windowTimes(job, 300_000, 600_000, 0, 359_715)).isEmpty();
    assertThat(windowTimes(job, 300_000, 600_000, 0, 360_000)).containsExactly(359_715L);
  }

  /**
   * As the ruler, which evaluates a group with a query_offset that long before each slot (group
   * g18 of rules.yaml sits at 59.714769869 s of every minute, g65 at 59.039100957 s).
   */
  @Test
  void aQueryOffsetMovesTheEvaluationsBeforeTheSlots() {
    List<RecordingRuleBackfill.Job> jobs = RecordingRuleBackfill.jobs(files("""
        groups:
          - name: g18
            query_offset: 30s
            rules:
              - record: up:copy
                expr: up
          - name: g65
            query_offset: 1m30s
            rules:
              - record: up:copy2
                expr: up
        """), Duration.ofMinutes(1));
    assertThat(jobs).extracting(RecordingRuleBackfill.Job::queryOffsetMs)
        .containsExactly(30_000L, 90_000L);
    assertThat(windowTimes(jobs.get(0), 0, 300_000, 0, 600_000))
        .containsExactly(29_715L, 89_715L, 149_715L, 209_715L, 269_715L);
    // g65's slots are at 59.039100957 s: the first evaluation, 30.96 s before the range, is out.
    assertThat(windowTimes(jobs.get(1), 0, 300_000, 0, 600_000))
        .containsExactly(29_039L, 89_039L, 149_039L, 209_039L, 269_039L);
    assertThat(windowTimes(jobs.get(0), 300_000, 600_000, 0, 600_000))
        .containsExactly(329_715L, 389_715L, 449_715L, 509_715L, 569_715L);
  }
}
