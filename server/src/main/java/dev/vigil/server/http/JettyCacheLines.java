package dev.vigil.server.http;

/**
 * Tells Jetty how many object references a cache line holds, before its first pool is made.
 * Jetty pads its concurrent pools to whole cache lines and, unless the system property
 * {@value #REFERENCES_PER_LINE} says the number, asks the JVM whether references are compressed
 * through the platform MBean server, whose creation (every platform MBean registered, the JFR
 * diagnostic commands among them) took 0.2-0.25 s of the server's start on 2 cores. HotSpot
 * states the same fact for free: it sets {@value #COMPRESSED_OOPS_MODE} only when references
 * are compressed (4 bytes instead of 8).
 */
public final class JettyCacheLines {
  static final String REFERENCES_PER_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
  static final String CACHE_LINE_BYTES = "org.eclipse.jetty.util.cacheLineBytes";
  static final String COMPRESSED_OOPS_MODE = "java.vm.compressedOopsMode";
  /** Jetty's own default line size. */
  private static final int DEFAULT_LINE_BYTES = 64;

  private JettyCacheLines() {}

  /** Sets Jetty's references per cache line from this JVM's unless the user set it. */
  public static void configure() {
    if (System.getProperty(REFERENCES_PER_LINE) == null) {
      System.setProperty(REFERENCES_PER_LINE, Integer.toString(referencesPerLine(
          System.getProperty(COMPRESSED_OOPS_MODE), System.getProperty(CACHE_LINE_BYTES))));
    }
  }

  /**
   * References per line for a JVM whose {@value #COMPRESSED_OOPS_MODE} is
   * {@code compressedOopsMode} (null: references are not compressed) and a line of
   * {@code cacheLineBytes} (null or not a positive number: Jetty's default of 64).
   */
  static int referencesPerLine(String compressedOopsMode, String cacheLineBytes) {
    int line = DEFAULT_LINE_BYTES;
    if (cacheLineBytes != null) {
      try {
        int n = Integer.parseInt(cacheLineBytes.trim());
        line = n > 0 ? n : line;
      } catch (NumberFormatException e) {
        // Jetty falls back to its default for a value it cannot read; so do we.
      }
    }
    return Math.max(1, line / (compressedOopsMode != null ? 4 : 8));
  }
}
