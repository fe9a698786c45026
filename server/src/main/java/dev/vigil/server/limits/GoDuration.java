package dev.vigil.server.limits;

import java.time.Duration;

/**
 * Durations as Mimir's config and messages spell them: parsed like Prometheus's
 * {@code model.Duration} ({@code 1y2w3d4h5m6s7ms}, {@code 0}), printed like Go's
 * {@code time.Duration.String()} ({@code 720h0m0s}, {@code 1m30s}, {@code 500ms}).
 */
public final class GoDuration {
  private GoDuration() {}

  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MILLIS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000,
      3_600_000, 60_000, 1_000, 1};

  /** @throws IllegalArgumentException for anything else */
  public static Duration parse(String s) {
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    long total = 0;
    int i = 0;
    int lastUnit = -1;
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 15) {
        throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      long n = Long.parseLong(s.substring(start, i));
      int unit = -1;
      for (int u = UNITS.length - 1; u >= 0; u--) {
        if (s.startsWith(UNITS[u], i) && (unit < 0 || UNITS[u].length() > UNITS[unit].length())) {
          unit = u;
        }
      }
      if (unit < 0 || unit <= lastUnit) {
        throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
      }
      i += UNITS[unit].length();
      lastUnit = unit;
      total = Math.addExact(total, Math.multiplyExact(n, MILLIS[unit]));
    }
    return Duration.ofMillis(total);
  }

  /** Go's {@code time.Duration.String()} for whole milliseconds. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    if (ms < 1000) {
      return sb.append(ms).append("ms").toString();
    }
    long h = ms / 3_600_000;
    long m = ms / 60_000 % 60;
    long s = ms / 1000 % 60;
    long frac = ms % 1000;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    sb.append(s);
    if (frac > 0) {
      String f = String.format(java.util.Locale.ROOT, "%03d", frac).replaceAll("0+$", "");
      sb.append('.').append(f);
    }
    return sb.append('s').toString();
  }
}
