package dev.vigil.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vigil} command line: one program, many jobs. */
@Command(
    name = "vigil",
    mixinStandardHelpOptions = true,
    // Every subcommand answers -h/--help and -V/--version too, as users type them anywhere.
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Kubernetes observability in one program: metrics store, PromQL, rules, "
        + "collector and mixin toolchain.",
    subcommands = {TestCommand.class, ServerCommand.class, AgentCommand.class, CheckCommand.class,
        TsdbCommand.class, MixinCommand.class, AotTrainingCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line as {@link #run} parses it. */
  static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
