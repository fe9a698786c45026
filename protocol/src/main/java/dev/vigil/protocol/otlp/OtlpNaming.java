package dev.vigil.protocol.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP names to Prometheus names, following the OpenTelemetry-to-Prometheus compatibility
 * specification as Prometheus's translator implements it with suffixes on: the name is split
 * into tokens of {@code [a-zA-Z0-9:]}, the UCUM unit is appended in words ({@code s} becomes
 * {@code seconds}, {@code By/s} becomes {@code bytes_per_second}), monotonic sums end in
 * {@code _total}, gauges of unit {@code 1} in {@code _ratio}.
 */
public final class OtlpNaming {
  /** What the metric becomes in Prometheus, which decides its suffixes. */
  public enum Kind {
    GAUGE,
    COUNTER,
    OTHER
  }

  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
      Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
      Map.entry("ns", "nanoseconds"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
      Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"),
      Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"),
      Map.entry("TBy", "terabytes"), Map.entry("m", "meters"), Map.entry("V", "volts"),
      Map.entry("A", "amperes"), Map.entry("J", "joules"), Map.entry("W", "watts"),
      Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("1", ""), Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute",
      "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private OtlpNaming() {}

  /**
   * The unit as the metric name's suffix spells it ({@code s} is {@code seconds}, {@code By/s}
   * {@code bytes_per_second}, {@code 1} nothing), for metadata.
   */
  public static String unit(String unit) {
    String u = unit == null ? "" : stripAnnotations(unit).trim();
    if (u.isEmpty()) {
      return "";
    }
    int slash = u.indexOf('/');
    String main = clean(UNITS.getOrDefault(slash < 0 ? u : u.substring(0, slash).trim(),
        slash < 0 ? u : u.substring(0, slash).trim()));
    String perRaw = slash < 0 ? "" : u.substring(slash + 1).trim();
    String per = perRaw.isEmpty() ? "" : clean(PER_UNITS.getOrDefault(perRaw, perRaw));
    if (per.isEmpty()) {
      return main;
    }
    return main.isEmpty() ? "per_" + per : main + "_per_" + per;
  }

  /** The Prometheus metric name of an OTLP metric. */
  public static String metricName(String name, String unit, Kind kind) {
    List<String> tokens = tokens(name);
    String main = "";
    String per = "";
    String u = unit == null ? "" : stripAnnotations(unit).trim();
    if (!u.isEmpty()) {
      int slash = u.indexOf('/');
      String mainRaw = slash < 0 ? u : u.substring(0, slash).trim();
      String perRaw = slash < 0 ? "" : u.substring(slash + 1).trim();
      main = clean(UNITS.getOrDefault(mainRaw, mainRaw));
      per = perRaw.isEmpty() ? "" : clean(PER_UNITS.getOrDefault(perRaw, perRaw));
    }
    if (!main.isEmpty() && !tokens.contains(main)) {
      tokens.add(main);
    }
    if (!per.isEmpty() && !tokens.contains("per_" + per)) {
      tokens.add("per");
      tokens.add(per);
    }
    if (kind == Kind.COUNTER) {
      tokens.removeIf(t -> t.equals("total"));
      tokens.add("total");
    }
    if (kind == Kind.GAUGE && "1".equals(unit)) {
      tokens.removeIf(t -> t.equals("ratio"));
      tokens.add("ratio");
    }
    String out = String.join("_", tokens);
    if (!out.isEmpty() && Character.isDigit(out.charAt(0))) {
      out = "_" + out;
    }
    return out;
  }

  /**
   * A Prometheus label name for an attribute key: invalid characters become {@code _}; a
   * leading digit gets {@code key_}, a single leading underscore {@code key}.
   */
  public static String labelName(String key) {
    if (key.isEmpty()) {
      return key;
    }
    StringBuilder sb = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_';
      sb.append(ok ? c : '_');
    }
    String s = sb.toString();
    if (Character.isDigit(s.charAt(0))) {
      return "key_" + s;
    }
    if (s.startsWith("_") && !s.startsWith("__")) {
      return "key" + s;
    }
    return s;
  }

  private static List<String> tokens(String name) {
    List<String> out = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= name.length(); i++) {
      boolean valid = i < name.length() && isNameChar(name.charAt(i));
      if (valid && start < 0) {
        start = i;
      } else if (!valid && start >= 0) {
        out.add(name.substring(start, i));
        start = -1;
      }
    }
    return out;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
  }

  /** UCUM annotations in braces ({@code {requests}/s}) carry no unit. */
  private static String stripAnnotations(String unit) {
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < unit.length(); i++) {
      char c = unit.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Unit words as name tokens: other characters become separators, no empty tokens. */
  private static String clean(String unit) {
    return String.join("_", tokens(unit.replace(':', '_')));
  }
}
