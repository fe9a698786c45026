package dev.vigil.server.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Request parameters from the URL query and, for form-encoded POSTs, the body (as Go's
 * {@code r.FormValue}: body values first), with Prometheus's parsers for times and durations.
 */
public final class ApiParams {
  /** Prometheus's {@code MinTime}/{@code MaxTime} in milliseconds: the open ends of a range. */
  public static final long MIN_TIME = -9223309901257974L * 1000;
  public static final long MAX_TIME = 9223309901257974L * 1000 + 999;

  private static final String MIN_TIME_FORMATTED = "-292273086-05-16T16:47:06Z";
  private static final String MAX_TIME_FORMATTED = "292277025-08-18T07:12:54.999999999Z";
  private static final Pattern DURATION = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000,
    1000L, 1L
  };

  private final Map<String, List<String>> values;

  private ApiParams(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Parameters from a raw query string and an optional form-encoded body (either may be null). */
  public static ApiParams parse(String query, String formBody) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    addAll(map, formBody);
    addAll(map, query);
    return new ApiParams(map);
  }

  public static ApiParams of(Map<String, List<String>> values) {
    return new ApiParams(new LinkedHashMap<>(values));
  }

  private static void addAll(Map<String, List<String>> map, String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      map.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a stray '%' stays literal, as lenient as Go's form parser is not worth more
    }
  }

  /** The first value of {@code name}, or "" (Go's FormValue). */
  public String get(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() ? "" : v.get(0);
  }

  public boolean has(String name) {
    List<String> v = values.get(name);
    return v != null && !v.isEmpty() && !v.get(0).isEmpty();
  }

  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** Parses time parameter {@code name}, or returns {@code dflt} when it is absent or empty. */
  public long time(String name, long dflt) throws ApiException {
    String s = get(name);
    if (s.isEmpty()) {
      return dflt;
    }
    try {
      return parseTime(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(name, e.getMessage());
    }
  }

  /** Parses duration parameter {@code name} in milliseconds; "" is an error like in Prometheus. */
  public long duration(String name) throws ApiException {
    try {
      return parseDuration(get(name));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(name, e.getMessage());
    }
  }

  /**
   * Prometheus's {@code parseTime}: unix seconds with up to millisecond decimals, or RFC 3339,
   * or the formatted min/max times.
   */
  public static long parseTime(String s) {
    Double seconds = parseGoFloat(s);
    if (seconds != null) {
      double v = seconds;
      if (!Double.isNaN(v) && !Double.isInfinite(v) && Math.abs(v) < 9.2e15) {
        double whole = v < 0 ? Math.ceil(v) : Math.floor(v);
        double frac = Math.round((v - whole) * 1000) / 1000.0;
        return (long) whole * 1000 + Math.round(frac * 1000);
      }
    } else {
      try {
        OffsetDateTime t = OffsetDateTime.parse(s);
        return t.toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException ignored) {
        // fall through to the special cases and the error
      }
      if (s.equals(MIN_TIME_FORMATTED)) {
        return MIN_TIME;
      }
      if (s.equals(MAX_TIME_FORMATTED)) {
        return MAX_TIME;
      }
    }
    throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
  }

  /** Prometheus's {@code parseDuration}: float seconds, or a duration like {@code 1h30m}. */
  public static long parseDuration(String s) {
    Double seconds = parseGoFloat(s);
    if (seconds != null) {
      double ms = seconds * 1000;
      if (Double.isNaN(ms) || ms > 9.2e15 || ms < -9.2e15) {
        throw new IllegalArgumentException(
            "cannot parse \"" + s + "\" to a valid duration. It overflows int64");
      }
      return Math.round(ms);
    }
    if (!s.isEmpty() && !s.equals("0")) {
      Matcher m = DURATION.matcher(s);
      if (m.matches()) {
        long total = 0;
        for (int i = 0; i < UNIT_MILLIS.length; i++) {
          String g = m.group(i + 1);
          if (g != null) {
            total = Math.addExact(total, Math.multiplyExact(Long.parseLong(g), UNIT_MILLIS[i]));
          }
        }
        return total;
      }
    } else if (s.equals("0")) {
      return 0;
    }
    throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid duration");
  }

  /** Go's {@code strconv.ParseFloat} for the inputs that matter here; null if not a number. */
  private static Double parseGoFloat(String s) {
    if (s.isEmpty()) {
      return null;
    }
    String t = s;
    switch (t.toLowerCase(java.util.Locale.ROOT)) {
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "nan" -> {
        return Double.NaN;
      }
      default -> { }
    }
    // Java accepts suffixes (1d, 1f) and hex floats Go spells differently: keep to digits.
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
        return null;
      }
    }
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
