package dev.vigil.rules.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.eval.PromqlExprValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes-mixin's rule files load with the rule counts promtool reports
 * ({@code promtool check rules --lint=none}: 65 alerts, 71 recording rules), and the default
 * duplicate-rules lint flags the same rule promtool does.
 */
class ConformanceRuleFilesTest {

  private static Path mixin() {
    String dir = System.getProperty("vigil.conformance.dir");
    assumeTrue(dir != null, "vigil.conformance.dir not set");
    Path p = Path.of(dir, "kubernetes-mixin");
    assumeTrue(Files.isDirectory(p), "no conformance data at " + p);
    return p;
  }

  @Test
  void alertsLoadWithPromtoolsCount() {
    LoadResult r = new RuleFileLoader(new PromqlExprValidator(ParserOptions.DEFAULT))
        .load(mixin().resolve("prometheus_alerts.yaml"));
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    RuleFile f = ((LoadResult.Loaded) r).file();
    assertThat(f.ruleCount()).isEqualTo(65);
    assertThat(f.groups()).allSatisfy(g -> assertThat(g.rules())
        .allMatch(rule -> rule instanceof Rule.AlertingRule));
  }

  @Test
  void recordingRulesLoadWithPromtoolsCount() {
    LoadResult r = new RuleFileLoader(new PromqlExprValidator(ParserOptions.DEFAULT))
        .load(mixin().resolve("prometheus_rules.yaml"));
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
    assertThat(((LoadResult.Loaded) r).file().ruleCount()).isEqualTo(71);
  }

  @Test
  void checkOutputMatchesPromtool() {
    Path dir = mixin();
    RuleFileChecker.Result r = RuleFileChecker.promtoolDefaults(new PromqlExprValidator(ParserOptions.DEFAULT))
        .check(List.of(dir.resolve("prometheus_alerts.yaml"), dir.resolve("prometheus_rules.yaml")));
    String alerts = dir.resolve("prometheus_alerts.yaml").toString();
    String rules = dir.resolve("prometheus_rules.yaml").toString();
    assertThat(r.stdout()).isEqualTo("Checking " + alerts + "\n  SUCCESS: 65 rules found\n\n"
        + "Checking " + rules + "\n\n");
    assertThat(r.stderr()).isEqualTo("  FAILED:\nlint error 1 duplicate rule(s) found.\n"
        + "Metric: code_verb:apiserver_request_total:increase1h\nLabel(s):\n"
        + "Might cause inconsistency while recording expressions\n");
    assertThat(r.exitCode()).isZero();

    RuleFileChecker.Result noLint = new RuleFileChecker(new PromqlExprValidator(ParserOptions.DEFAULT),
        RuleFileChecker.Lint.NONE, false).check(List.of(dir.resolve("prometheus_rules.yaml")));
    assertThat(noLint.stdout()).contains("  SUCCESS: 71 rules found\n");
    assertThat(noLint.exitCode()).isZero();
  }
}
