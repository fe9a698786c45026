package dev.vigil.app;

import java.util.List;
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
        + "collector and mixin toolchain.")
public final class Main implements Runnable {
  /**
   * The subcommands' names, in the order help lists them. Not in the annotation: picocli
   * reads every command's annotations when it builds the tree, 0.1-0.15 s of a fresh JVM's
   * start for the whole of it, so {@link #commandLine(String...)} builds only the branch the
   * arguments name.
   */
  private static final List<String> SUBCOMMANDS = List.of("test", "server", "agent", "check",
      "tsdb", "mixin", "aot-training", "help");

  // A switch, not a map of constructor references: with those (one of them to picocli's
  // HelpCommand, a class the JDK 25 AOT cache does not archive) the training run that makes
  // the server's cache (see ./vigil) crashed the JVM while writing the cache.
  private static Object subcommand(String name) {
    return switch (name) {
      case "test" -> new TestCommand();
      case "server" -> new ServerCommand();
      case "agent" -> new AgentCommand();
      case "check" -> new CheckCommand();
      case "tsdb" -> new TsdbCommand();
      case "mixin" -> new MixinCommand();
      case "aot-training" -> new AotTrainingCommand();
      case "help" -> new CommandLine.HelpCommand();
      default -> throw new IllegalArgumentException("no subcommand " + name);
    };
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** The whole command line, every subcommand in it. */
  static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line {@link #run} parses {@code args} with: when they start with a
   * subcommand's name, only that subcommand is in it (it parses and answers alike, help and
   * errors included); otherwise (no subcommand, an option first, {@code help}, an unknown
   * name) all of them.
   */
  static CommandLine commandLine(String... args) {
    CommandLine cl = new CommandLine(new Main());
    String first = args.length > 0 ? args[0] : "";
    if (!first.equals("help") && SUBCOMMANDS.contains(first)) {
      cl.addSubcommand(first, subcommand(first));
    } else {
      for (String name : SUBCOMMANDS) {
        cl.addSubcommand(name, subcommand(name));
      }
    }
    // Last: picocli applies it to the subcommands present when it is called.
    return cl.setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
