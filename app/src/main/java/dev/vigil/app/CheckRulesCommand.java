package dev.vigil.app;

import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.file.RuleFileChecker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil check rules FILE...}: promtool's {@code check rules}: {@code SUCCESS: N rules
 * found} or the errors per file, the duplicate-rule lint, and promtool's exit codes.
 */
@Command(name = "rules", description = "Check rule files (promtool check rules).")
final class CheckRulesCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files.")
  List<Path> files;

  @CommandLine.Option(names = "--enable-experimental-promql",
      description = "Accept experimental PromQL functions and syntax in expressions.")
  boolean experimental;

  @Override
  public Integer call() {
    ParserOptions opts = experimental ? ParserOptions.ALL_FEATURES : ParserOptions.DEFAULT;
    RuleFileChecker.Result r =
        RuleFileChecker.promtoolDefaults(new PromqlExprValidator(opts)).check(files);
    spec.commandLine().getOut().print(r.stdout());
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().print(r.stderr());
    spec.commandLine().getErr().flush();
    return r.exitCode();
  }
}
