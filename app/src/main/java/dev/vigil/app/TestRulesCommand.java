package dev.vigil.app;

import dev.vigil.rules.unittest.RuleUnitTester;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil test rules FILE...}: promtool-format rule unit tests. Rule files are resolved
 * relative to each test file. Ends with {@code N passed, N failed} (one test group = one case);
 * exit code 0 when all passed, 1 otherwise.
 */
@Command(name = "rules", description = "Run rule unit tests (promtool test rules format).")
final class TestRulesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Test files.")
  List<Path> files;

  @Override
  public Integer call() {
    return new RuleUnitTester(spec.commandLine().getOut()).run(files).exitCode();
  }
}
