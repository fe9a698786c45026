package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
    CommandLine cl = Main.commandLine();
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
  void everyCommandAnswersHelpWithItsUsage() {
    List<String> failures = new ArrayList<>();
    ArrayDeque<CommandLine> todo = new ArrayDeque<>();
    todo.add(Main.commandLine());
    int seen = 0;
    while (!todo.isEmpty()) {
      CommandLine c = todo.poll();
      todo.addAll(new LinkedHashSet<>(c.getSubcommands().values()));
      if (c.getCommandName().equals("help")) {
        continue;
      }
      seen++;
      List<String> path = new ArrayList<>();
      for (CommandLine p = c; p.getParent() != null; p = p.getParent()) {
        path.addFirst(p.getCommandName());
      }
      path.add("--help");
      Object[] r = run(path.toArray(String[]::new));
      String usage = "Usage: " + c.getCommandSpec().qualifiedName();
      if (!r[0].equals(0) || !((String) r[1]).contains(usage)) {
        failures.add(String.join(" ", path) + " -> exit " + r[0]);
      }
    }
    assertThat(seen).as("commands walked").isGreaterThan(15);
    assertThat(failures).isEmpty();
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
