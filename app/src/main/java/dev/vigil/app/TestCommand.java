package dev.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil test ...}: run test scripts written for Prometheus's tools. */
@Command(
    name = "test",
    description = "Run PromQL test scripts or rule unit tests.",
    subcommands = {TestPromqlCommand.class, TestRulesCommand.class})
final class TestCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
