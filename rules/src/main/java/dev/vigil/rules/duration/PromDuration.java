package dev.vigil.rules.duration;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints Prometheus durations (prometheus/common {@code model.Duration}), in
 * milliseconds. Units must appear at most once each, from largest to smallest.
 */
public final class PromDuration {
  private static final Pattern DURATION = Pattern.compile(
      "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");
  private static final long MS = 1;
  private static final long S = 1000 * MS;
  private static final long M = 60 * S;
  private static final long H = 60 * M;
  private static final long D = 24 * H;
  private static final long W = 7 * D;
  private static final long Y = 365 * D;
  private static final long[] UNITS = {Y, W, D, H, M, S, MS};

  private PromDuration() {}

  /**
   * Parses {@code text} into milliseconds.
   *
   * @throws IllegalArgumentException with Prometheus's message, e.g.
   *     {@code not a valid duration string: "5x"}
   */
  public static long parseMillis(String text) {
    if (text.equals("0")) {
      return 0;
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + goQuote(text));
    }
    long total = 0;
    for (int i = 0; i < UNITS.length; i++) {
      String digits = m.group(2 + 2 * i);
      if (digits == null) {
        continue;
      }
      long v;
      try {
        v = Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range", e);
      }
      // Go's time.Duration is int64 nanoseconds: that is the real range limit.
      if (v > Long.MAX_VALUE / 1_000_000 / UNITS[i]) {
        throw new IllegalArgumentException("duration out of range");
      }
      total += v * UNITS[i];
      if (total > Long.MAX_VALUE / 1_000_000) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    return total;
  }

  /** Prometheus's Duration.String(): {@code 1h30m}, {@code 1d}, {@code 0s}. */
  public static String format(long millis) {
    if (millis == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    long ms = millis;
    String[] names = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < UNITS.length; i++) {
      long n = ms / UNITS[i];
      if (n > 0) {
        sb.append(n).append(names[i]);
        ms -= n * UNITS[i];
      }
    }
    return sb.toString();
  }

  private static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
