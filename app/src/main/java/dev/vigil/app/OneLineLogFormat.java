package dev.vigil.app;

/**
 * One line per log record for long-running commands: {@code time level logger message}, plus
 * the stack trace when there is one. Set only when the user has not chosen a format, and only
 * from the CLI (process wiring), never from library code.
 */
final class OneLineLogFormat {
  private static final String PROPERTY = "java.util.logging.SimpleFormatter.format";
  /** Held so the level sticks: java.util.logging keeps only weak references to loggers. */
  private static final java.util.logging.Logger JETTY =
      java.util.logging.Logger.getLogger("org.eclipse.jetty");

  private OneLineLogFormat() {}

  static void installIfUnset() {
    if (System.getProperty(PROPERTY) == null) {
      System.setProperty(PROPERTY, "%1$tFT%1$tT.%1$tLZ level=%4$s logger=%3$s msg=\"%5$s\"%6$s%n");
    }
    // Jetty's INFO lines (versions, connector details) repeat what Vigil logs itself.
    JETTY.setLevel(java.util.logging.Level.WARNING);
  }
}
