package dev.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code vigil check ...}: validate configuration the way promtool does. */
@Command(name = "check", description = "Check rule files.", subcommands = {CheckRulesCommand.class})
final class CheckCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
