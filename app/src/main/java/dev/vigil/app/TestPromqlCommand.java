package dev.vigil.app;

import dev.vigil.promql.promqltest.CaseResult;
import dev.vigil.promql.promqltest.FileResult;
import dev.vigil.promql.promqltest.PromqlTestRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil test promql FILE...}: runs Prometheus PromQL test scripts. Prints each failing
 * case with its file:line and reason, a line per file, and ends with {@code N passed, N failed}.
 * Exit code 0 when every case passed, 1 otherwise, 2 when a file cannot be read.
 */
@Command(name = "promql", description = "Run PromQL test scripts (Prometheus's promqltest format).")
final class TestPromqlCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Test script files.")
  List<Path> files;

  @CommandLine.Option(names = "--quiet", description = "Only print the per-file lines and the total.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PromqlTestRunner runner = PromqlTestRunner.withTestDefaults();
    long passed = 0;
    long failed = 0;
    boolean unreadable = false;
    for (Path f : files) {
      FileResult r;
      try {
        r = runner.runFile(f);
      } catch (IOException e) {
        err.println(f + ": cannot read: " + e.getMessage());
        unreadable = true;
        continue;
      }
      if (r.scriptError() != null) {
        err.println(f + ": script error: " + r.scriptError());
      }
      if (!quiet) {
        for (CaseResult c : r.cases()) {
          if (!c.passed()) {
            out.println("FAIL " + f + ":" + c.line() + ": " + c.expr());
            out.println("     " + c.message());
          }
        }
      }
      out.printf("%s: %d passed, %d failed%n", f, r.passed(), r.failed());
      passed += r.passed();
      failed += r.failed();
    }
    out.printf("%d passed, %d failed%n", passed, failed);
    out.flush();
    if (unreadable) {
      return 2;
    }
    return failed == 0 ? 0 : 1;
  }
}
