package dev.vigil.collector.config;

import java.time.Duration;

/**
 * Prometheus's duration syntax ({@code model.ParseDuration}): units {@code y w d h m s ms} in
 * that order, each at most once, integers only ({@code 1h30m}, {@code 15s}, {@code 0}); a year is
 * 365 days. Also the reverse, for printing a configuration back.
 */
public final class PrometheusDuration {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MILLIS = {
    365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000L, 60_000L, 1000L, 1L
  };

  private PrometheusDuration() {}

  /** @throws IllegalArgumentException {@code not a valid duration string: "x"} */
  public static Duration parse(String s) {
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    long total = 0;
    int i = 0;
    int nextUnit = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        throw invalid(s);
      }
      long n;
      try {
        n = Long.parseLong(s, start, i, 10);
      } catch (NumberFormatException e) {
        throw invalid(s);
      }
      int u = -1;
      // "ms" must be tried before "m".
      if (s.startsWith("ms", i)) {
        u = 6;
      } else if (i < s.length()) {
        for (int k = 0; k < 6; k++) {
          if (s.charAt(i) == UNITS[k].charAt(0)) {
            u = k;
            break;
          }
        }
      }
      if (u < nextUnit) {
        throw invalid(s);
      }
      i += UNITS[u].length();
      nextUnit = u + 1;
      try {
        total = Math.addExact(total, Math.multiplyExact(n, MILLIS[u]));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration out of range: " + quote(s));
      }
    }
    return Duration.ofMillis(total);
  }

  /** Prometheus's canonical form: {@code 1m}, {@code 1h30m}, {@code 1d}, {@code 0s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < UNITS.length; k++) {
      long n = ms / MILLIS[k];
      if (n > 0) {
        sb.append(n).append(UNITS[k]);
        ms -= n * MILLIS[k];
      }
    }
    return sb.toString();
  }

  private static IllegalArgumentException invalid(String s) {
    return new IllegalArgumentException("not a valid duration string: " + quote(s));
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
