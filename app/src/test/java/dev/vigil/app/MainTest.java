package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  private static final Path MIXIN =
      Path.of(System.getProperty("vigil.conformance.dir", "../../shared/conformance"),
          "kubernetes-mixin");
  private static final Path PROMQL =
      Path.of(System.getProperty("vigil.conformance.dir", "../../shared/conformance"), "promql");

  /** Runs the CLI in-process and returns exit code and stdout. */
  private static Object[] run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(new StringWriter()));
    int code = cl.execute(args);
    return new Object[] {code, out.toString()};
  }

  @Test
  void helpListsTheCommands() {
    Object[] r = run("--help");
    assertThat(r[0]).isEqualTo(0);
    assertThat((String) r[1]).contains("test").contains("check");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("no-such-command")[0]).isEqualTo(2);
  }

  @Test
  void checkRulesCountsTheMixinAlerts() {
    Object[] r = run("check", "rules", MIXIN.resolve("prometheus_alerts.yaml").toString());
    assertThat(r[0]).isEqualTo(0);
    assertThat((String) r[1]).contains("SUCCESS: 65 rules found");
  }

  @Test
  void testPromqlEndsWithTheCounts() {
    Object[] r = run("test", "promql", PROMQL.resolve("literals.test").toString());
    assertThat(r[0]).isEqualTo(0);
    assertThat((String) r[1]).endsWith("25 passed, 0 failed\n");
  }

  @Test
  void testRulesRunsAMixinTestFile() {
    Object[] r = run("test", "rules", MIXIN.resolve("tests/kube_scheduler-test.yaml").toString());
    assertThat(r[0]).isEqualTo(0);
    assertThat((String) r[1]).contains("SUCCESS").containsPattern("\\d+ passed, 0 failed\n$");
  }
}
