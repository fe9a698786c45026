package dev.vigil.rules.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleFileLoaderTest {
  private static final RuleFileLoader LOADER = new RuleFileLoader(ExprValidator.ACCEPT_ALL);

  private static RuleFile loaded(String yaml) {
    LoadResult r = LOADER.load("f.yaml", yaml);
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    return ((LoadResult.Loaded) r).file();
  }

  private static List<String> errors(String yaml) {
    LoadResult r = LOADER.load("f.yaml", yaml);
    assertThat(r).isInstanceOf(LoadResult.Failed.class);
    return ((LoadResult.Failed) r).errors();
  }

  @Test
  void buildsTheModelWithPositions() {
    RuleFile f = loaded("""
        groups:
          - name: g1
            interval: 30s
            query_offset: 1m
            limit: 5
            labels:
              team: infra
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels:
                  source: rule
              - alert: Down
                expr: up == 0
                for: 1h30m
                keep_firing_for: 5m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.instance }} down"
                  description: second
        """);
    RuleGroup g = f.groups().getFirst();
    assertThat(g.name()).isEqualTo("g1");
    assertThat(g.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(g.queryOffset()).isEqualTo(Duration.ofMinutes(1));
    assertThat(g.limit()).isEqualTo(5);
    assertThat(g.labels()).isEqualTo(Map.of("team", "infra"));
    assertThat(g.position()).isEqualTo(new Position(2, 5));
    assertThat(g.rules()).hasSize(2);
    assertThat(g.rules().get(0)).isEqualTo(new Rule.RecordingRule("job:up:sum",
        "sum by (job) (up)", Map.of("source", "rule"), new Position(9, 17)));
    Rule.AlertingRule a = (Rule.AlertingRule) g.rules().get(1);
    assertThat(a.name()).isEqualTo("Down");
    assertThat(a.holdDuration()).isEqualTo(Duration.ofMinutes(90));
    assertThat(a.keepFiringFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(a.annotations().keySet()).containsExactly("summary", "description");
    assertThat(f.ruleCount()).isEqualTo(2);
  }

  @Test
  void groupWithoutIntervalUsesTheGlobalOne() {
    RuleGroup g = loaded("groups: [{name: g, rules: []}]").groups().getFirst();
    assertThat(g.interval()).isNull();
    assertThat(g.queryOffset()).isNull();
  }

  @Test
  void emptyFileHasNoGroups() {
    assertThat(loaded("").groups()).isEmpty();
    assertThat(loaded("# only a comment\n").groups()).isEmpty();
  }

  @Test
  void invalidGroupLabelIsReported() {
    assertThat(errors("groups: [{name: g, labels: {bad-name: x}, rules: []}]"))
        .containsExactly("f.yaml: invalid label name: bad-name");
  }

  @Test
  void exprValidatorErrorsCarryTheExprPosition() {
    RuleFileLoader strict = new RuleFileLoader(
        expr -> expr.endsWith("+") ? "1:5: parse error: unexpected end of input" : null);
    LoadResult r = strict.load("f.yaml", """
        groups:
          - name: g
            rules:
              - alert: X
                expr: 'up +'
        """);
    assertThat(((LoadResult.Failed) r).errors()).containsExactly(
        "f.yaml: 5:15: group \"g\", rule 1, \"X\": could not parse expression: 1:5: parse "
            + "error: unexpected end of input");
  }

  @Test
  void missingFileIsAnError() {
    LoadResult r = LOADER.load(java.nio.file.Path.of("/nonexistent/rules.yaml"));
    assertThat(((LoadResult.Failed) r).errors()).containsExactly(
        "/nonexistent/rules.yaml: open /nonexistent/rules.yaml: no such file or directory");
  }

  @Test
  void checkerExitCodes() {
    RuleFileChecker fatal = new RuleFileChecker(ExprValidator.ACCEPT_ALL,
        RuleFileChecker.Lint.DUPLICATE_RULES, true);
    String dup = "groups: [{name: g, rules: [{record: a, expr: x}, {record: a, expr: y}]}]";
    assertThat(fatal.checkContents(Map.of("d.yaml", dup)).exitCode())
        .isEqualTo(RuleFileChecker.LINT_FAILURE);
    RuleFileChecker.Result ok = RuleFileChecker.promtoolDefaults(ExprValidator.ACCEPT_ALL)
        .checkContents(Map.of("ok.yaml", "groups: [{name: g, rules: [{record: a, expr: x}]}]"));
    assertThat(ok).isEqualTo(new RuleFileChecker.Result(
        "Checking ok.yaml\n  SUCCESS: 1 rules found\n\n", "", 0));
  }
}
