package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

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

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void helpListsTheCommands() {
    CliRun r = run("--help");
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("test").contains("check");
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
      CliRun r = run(path.toArray(String[]::new));
      String usage = "Usage: " + c.getCommandSpec().qualifiedName();
      if (r.code() != 0 || !(r.out()).contains(usage)) {
        failures.add(String.join(" ", path) + " -> exit " + r.code());
      }
    }
    assertThat(seen).as("commands walked").isGreaterThan(15);
    assertThat(failures).isEmpty();
  }

  /**
   * The command line built for arguments that start with a subcommand's name holds just that
   * subcommand, and it is the same command: the same usage text (inherited -h/-V included),
   * the same parsing (enum values in any case). Other arguments get every subcommand.
   */
  @Test
  void aCommandLineBuiltForOneSubcommandHoldsJustItAndAnswersAlike() {
    CommandLine all = Main.commandLine();
    assertThat(all.getSubcommands()).hasSizeGreaterThan(6);
    for (var e : all.getSubcommands().entrySet()) {
      String name = e.getKey();
      CommandLine one = Main.commandLine(name, "--help");
      if (name.equals("help")) {
        assertThat(one.getSubcommands().keySet()).isEqualTo(all.getSubcommands().keySet());
        continue;
      }
      assertThat(one.getSubcommands()).as(name).containsOnlyKeys(name);
      assertThat(one.getSubcommands().get(name).getUsageMessage()).as(name)
          .isEqualTo(e.getValue().getUsageMessage()).contains("--version");
    }
    assertThat(Main.commandLine("--version").getSubcommands().keySet())
        .isEqualTo(all.getSubcommands().keySet());
    assertThat(Main.commandLine("no-such-command").getSubcommands().keySet())
        .isEqualTo(all.getSubcommands().keySet());
    CommandLine.ParseResult parsed = Main.commandLine("server")
        .parseArgs("server", "--storage.engine", "memory");
    Object engine = parsed.subcommand().matchedOptionValue("--storage.engine", null);
    assertThat(engine).hasToString("MEMORY");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("no-such-command").code()).isEqualTo(2);
  }

  @Test
  void checkRulesCountsTheMixinAlerts() {
    CliRun r = run("check", "rules", MIXIN.resolve("prometheus_alerts.yaml").toString());
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("SUCCESS: 65 rules found");
  }

  @Test
  void testPromqlEndsWithTheCounts() {
    CliRun r = run("test", "promql", PROMQL.resolve("literals.test").toString());
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).endsWith("25 passed, 0 failed\n");
  }

  @Test
  void testRulesRunsAMixinTestFile() {
    CliRun r = run("test", "rules", MIXIN.resolve("tests/kube_scheduler-test.yaml").toString());
    assertThat(r.code()).isEqualTo(0);
    assertThat(r.out()).contains("SUCCESS").containsPattern("\\d+ passed, 0 failed\n$");
  }
}
