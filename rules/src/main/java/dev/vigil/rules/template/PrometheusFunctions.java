package dev.vigil.rules.template;

import static dev.vigil.rules.template.ParamType.ANY;
import static dev.vigil.rules.template.ParamType.STRING;

import dev.vigil.rules.duration.PromDuration;
import dev.vigil.rules.template.Value.BoolValue;
import dev.vigil.rules.template.Value.FloatValue;
import dev.vigil.rules.template.Value.IntValue;
import dev.vigil.rules.template.Value.ListValue;
import dev.vigil.rules.template.Value.MapValue;
import dev.vigil.rules.template.Value.StringValue;
import dev.vigil.rules.template.Value.StructValue;
import dev.vigil.rules.template.Value.TimeValue;
import java.net.InetAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The functions Prometheus adds to alert and console templates (prometheus/template/template.go,
 * Prometheus 3), with their Go signatures and output formats.
 */
public final class PrometheusFunctions {
  static final String QUERY_RESULT = "template.queryResult";
  static final String SAMPLE = "*template.sample";
  private static final ParamType RESULT_TYPE = ParamType.named(QUERY_RESULT);
  private static final ParamType SAMPLE_TYPE = ParamType.named(SAMPLE);

  private PrometheusFunctions() {}

  /**
   * @param timestampMillis the evaluation time, passed to {@code query}
   * @param externalUrl     Prometheus's --web.external-url, for externalURL and pathPrefix
   */
  public static Map<String, TemplateFunction> create(long timestampMillis, QueryFunction query,
      URI externalUrl) {
    Map<String, TemplateFunction> m = new LinkedHashMap<>();
    add(m, TemplateFunction.of("query", a -> {
      List<QuerySample> samples = query.query(str(a, 0), timestampMillis);
      List<Value> items = new ArrayList<>(samples.size());
      samples.forEach(s -> items.add(sample(s)));
      return new ListValue(items, QUERY_RESULT);
    }, STRING));
    add(m, TemplateFunction.of("first", a -> {
      if (!(a.getFirst() instanceof ListValue l) || l.items().isEmpty()) {
        throw new TemplateFunctionException("first() called on vector with no elements");
      }
      return l.items().getFirst();
    }, RESULT_TYPE));
    add(m, TemplateFunction.of("label", a -> {
      Value labels = field(a.get(1), "Labels");
      Value v = labels instanceof MapValue lm ? lm.entries().get(str(a, 0)) : null;
      return v != null ? v : new StringValue("");
    }, STRING, SAMPLE_TYPE));
    add(m, TemplateFunction.of("value", a -> {
      Value v = field(a.getFirst(), "Value");
      return v instanceof FloatValue ? v : new FloatValue(0);
    }, SAMPLE_TYPE));
    add(m, TemplateFunction.of("strvalue", a -> {
      Value labels = field(a.getFirst(), "Labels");
      Value v = labels instanceof MapValue lm ? lm.entries().get("__value__") : null;
      return v != null ? v : new StringValue("");
    }, SAMPLE_TYPE));
    add(m, TemplateFunction.variadic("args", a -> {
      TreeMap<String, Value> entries = new TreeMap<>();
      for (int i = 0; i < a.size(); i++) {
        entries.put("arg" + i, a.get(i));
      }
      return new MapValue(entries, Value.NIL, "map[string]interface {}");
    }, ANY));
    add(m, TemplateFunction.of("reReplaceAll",
        a -> new StringValue(reReplaceAll(str(a, 0), str(a, 1), str(a, 2))),
        STRING, STRING, STRING));
    add(m, TemplateFunction.of("safeHtml",
        a -> new StringValue(str(a, 0), "template.HTML"), STRING));
    add(m, TemplateFunction.of("match",
        a -> new BoolValue(compile(str(a, 0)).matcher(str(a, 1)).find()), STRING, STRING));
    add(m, TemplateFunction.of("title", a -> new StringValue(title(str(a, 0))), STRING));
    add(m, TemplateFunction.of("toUpper",
        a -> new StringValue(str(a, 0).toUpperCase(Locale.ROOT)), STRING));
    add(m, TemplateFunction.of("toLower",
        a -> new StringValue(str(a, 0).toLowerCase(Locale.ROOT)), STRING));
    add(m, TemplateFunction.of("graphLink", a -> new StringValue(
        "/graph?g0.expr=" + Builtins.queryEscape(str(a, 0)) + "&g0.tab=0"), STRING));
    add(m, TemplateFunction.of("tableLink", a -> new StringValue(
        "/graph?g0.expr=" + Builtins.queryEscape(str(a, 0)) + "&g0.tab=1"), STRING));
    add(m, TemplateFunction.of("sortByLabel", a -> {
      String label = str(a, 0);
      if (!(a.get(1) instanceof ListValue l)) {
        return a.get(1);
      }
      List<Value> items = new ArrayList<>(l.items());
      // List.sort is stable, like Go's sort.Stable here.
      items.sort(Comparator.comparing(v -> labelOf(v, label)));
      return new ListValue(items, QUERY_RESULT);
    }, STRING, RESULT_TYPE));
    add(m, TemplateFunction.of("stripPort", a -> new StringValue(stripPort(str(a, 0))), STRING));
    add(m, TemplateFunction.of("stripDomain",
        a -> new StringValue(stripDomain(str(a, 0))), STRING));
    add(m, TemplateFunction.of("humanize",
        a -> new StringValue(Humanize.humanize(toFloat(a.getFirst()))), ANY));
    add(m, TemplateFunction.of("humanize1024",
        a -> new StringValue(Humanize.humanize1024(toFloat(a.getFirst()))), ANY));
    add(m, TemplateFunction.of("humanizeDuration",
        a -> new StringValue(Humanize.duration(toFloat(a.getFirst()))), ANY));
    add(m, TemplateFunction.of("humanizePercentage",
        a -> new StringValue(Humanize.percentage(toFloat(a.getFirst()))), ANY));
    add(m, TemplateFunction.of("humanizeTimestamp",
        a -> new StringValue(Humanize.timestamp(toFloat(a.getFirst()))), ANY));
    add(m, TemplateFunction.of("toTime", a -> toTime(toFloat(a.getFirst())), ANY));
    add(m, TemplateFunction.of("pathPrefix",
        a -> new StringValue(externalUrl.getRawPath() == null ? "" : externalUrl.getRawPath())));
    add(m, TemplateFunction.of("externalURL", a -> new StringValue(externalUrl.toString())));
    add(m, TemplateFunction.of("parseDuration", a -> {
      try {
        return new FloatValue(PromDuration.parseMillis(str(a, 0)) / 1000.0);
      } catch (IllegalArgumentException e) {
        throw new TemplateFunctionException(e.getMessage());
      }
    }, STRING));
    return Map.copyOf(m);
  }

  /** The function names, for parse-only checks (promtool check rules). */
  public static Map<String, TemplateFunction> forParsing() {
    return create(0, QueryFunction.UNAVAILABLE, URI.create(""));
  }

  private static void add(Map<String, TemplateFunction> m, TemplateFunction f) {
    m.put(f.name(), f);
  }

  private static String str(List<Value> a, int i) {
    return ((StringValue) a.get(i)).value();
  }

  static Value sample(QuerySample s) {
    Map<String, String> labels = new TreeMap<>();
    s.labels().forEach(labels::put);
    Map<String, Value> fields = new LinkedHashMap<>();
    fields.put("Labels", MapValue.ofStrings(labels));
    fields.put("Value", new FloatValue(s.value()));
    return new StructValue(fields, SAMPLE, true);
  }

  private static Value field(Value v, String name) throws TemplateFunctionException {
    if (v instanceof StructValue s) {
      return s.fields().get(name);
    }
    // Go dereferences the nil *sample and panics; the panic becomes the call error.
    throw new TemplateFunctionException(
        "runtime error: invalid memory address or nil pointer dereference");
  }

  private static String labelOf(Value v, String label) {
    if (v instanceof StructValue s && s.fields().get("Labels") instanceof MapValue m
        && m.entries().get(label) instanceof StringValue sv) {
      return sv.value();
    }
    return "";
  }

  /** prometheus/common's ConvertToFloat. */
  static double toFloat(Value v) throws TemplateFunctionException {
    return switch (v) {
      case FloatValue f -> f.value();
      case IntValue i -> i.value();
      case StringValue s when s.type().equals("string") -> parseGoFloat(s.value());
      default -> throw new TemplateFunctionException(
          "can't convert " + (v instanceof Value.NilValue ? "<nil>" : v.goType()) + " to float");
    };
  }

  /** strconv.ParseFloat(s, 64), including Go's special spellings and its error text. */
  private static double parseGoFloat(String s) throws TemplateFunctionException {
    String t = s.toLowerCase(Locale.ROOT);
    String unsigned = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
    boolean neg = t.startsWith("-");
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    if (unsigned.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?")) {
      return Double.parseDouble(t);
    }
    if (unsigned.matches("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?")) {
      return Double.parseDouble(unsigned.contains("p") ? t : t + "p0");
    }
    throw new TemplateFunctionException(
        "strconv.ParseFloat: parsing " + GoFmt.quote(s) + ": invalid syntax");
  }

  private static Value toTime(double v) throws TemplateFunctionException {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      throw new TemplateFunctionException("value is NaN or Inf");
    }
    double nanos = v * 1e9;
    if (nanos > Long.MAX_VALUE || nanos < Long.MIN_VALUE) {
      throw new TemplateFunctionException(GoFloat.format(v, 'g', -1)
          + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    // Prometheus goes through model.Time, which keeps milliseconds only.
    return new TimeValue(Instant.ofEpochMilli(((long) nanos) / 1_000_000L));
  }

  private static final String[][] POSIX_CLASSES = {
      {"[:alnum:]", "\\p{Alnum}"}, {"[:alpha:]", "\\p{Alpha}"}, {"[:ascii:]", "\\p{ASCII}"},
      {"[:blank:]", "\\p{Blank}"}, {"[:cntrl:]", "\\p{Cntrl}"}, {"[:digit:]", "\\p{Digit}"},
      {"[:graph:]", "\\p{Graph}"}, {"[:lower:]", "\\p{Lower}"}, {"[:print:]", "\\p{Print}"},
      {"[:punct:]", "\\p{Punct}"}, {"[:space:]", "\\s"}, {"[:upper:]", "\\p{Upper}"},
      {"[:word:]", "\\w"}, {"[:xdigit:]", "\\p{XDigit}"}};

  /** Compiles Go (RE2) syntax: Java lacks the (?P<name>) spelling and POSIX classes. */
  private static Pattern compile(String pattern) throws TemplateFunctionException {
    String java = pattern.replace("(?P<", "(?<");
    for (String[] c : POSIX_CLASSES) {
      java = java.replace(c[0], c[1]);
    }
    try {
      return Pattern.compile(java);
    } catch (PatternSyntaxException e) {
      throw new TemplateFunctionException("error parsing regexp: " + e.getDescription() + ": `"
          + pattern + "`");
    }
  }

  /** Go's Regexp.ReplaceAllString: $1, ${1}, $name, ${name}; $$ is a literal dollar. */
  static String reReplaceAll(String pattern, String repl, String text)
      throws TemplateFunctionException {
    Matcher m = compile(pattern).matcher(text);
    StringBuilder sb = new StringBuilder();
    int last = 0;
    int prevEnd = -1;
    while (m.find()) {
      // Go ignores an empty match that abuts the preceding match.
      if (m.start() == m.end() && m.start() == prevEnd) {
        continue;
      }
      sb.append(text, last, m.start());
      expand(sb, repl, m);
      last = m.end();
      prevEnd = m.end();
    }
    sb.append(text, last, text.length());
    return sb.toString();
  }

  private static void expand(StringBuilder sb, String repl, Matcher m) {
    int i = 0;
    while (i < repl.length()) {
      char c = repl.charAt(i);
      if (c != '$' || i + 1 >= repl.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char n = repl.charAt(i + 1);
      if (n == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int end;
      if (n == '{') {
        int close = repl.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = repl.substring(i + 2, close);
        end = close + 1;
      } else {
        int j = i + 1;
        while (j < repl.length() && (Character.isLetterOrDigit(repl.charAt(j))
            || repl.charAt(j) == '_')) {
          j++;
        }
        name = repl.substring(i + 1, j);
        end = j;
      }
      if (name.isEmpty()) {
        sb.append(c);
        i++;
        continue;
      }
      String group = null;
      try {
        if (name.chars().allMatch(Character::isDigit)) {
          int g = Integer.parseInt(name);
          group = g <= m.groupCount() ? m.group(g) : null;
        } else {
          group = m.group(name);
        }
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        group = null;
      }
      if (group != null) {
        sb.append(group);
      }
      i = end;
    }
  }

  /** strings.Title-like: upper-cases the first letter of each word, leaves the rest. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean atWordStart = true;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      boolean letter = Character.isLetterOrDigit(cp) || cp == '\'' || cp == '_';
      sb.appendCodePoint(atWordStart && letter ? Character.toTitleCase(cp) : cp);
      atWordStart = !letter;
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  /** Go's net.SplitHostPort, returning null where Go returns an error. */
  private static String[] splitHostPort(String hostPort) {
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
        return null;
      }
      return new String[] {hostPort.substring(1, close), hostPort.substring(close + 2)};
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0 || hostPort.indexOf(':') != colon) {
      return null;
    }
    return new String[] {hostPort.substring(0, colon), hostPort.substring(colon + 1)};
  }

  static String stripPort(String hostPort) {
    String[] hp = splitHostPort(hostPort);
    return hp == null ? hostPort : hp[0];
  }

  static String stripDomain(String hostPort) {
    String[] hp = splitHostPort(hostPort);
    String host = hp == null ? hostPort : hp[0];
    String port = hp == null ? "" : hp[1];
    if (isIp(host)) {
      return hostPort;
    }
    int dot = host.indexOf('.');
    host = dot < 0 ? host : host.substring(0, dot);
    if (!port.isEmpty()) {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
    return host;
  }

  private static boolean isIp(String host) {
    if (host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      return true;
    }
    if (host.contains(":") && host.matches("[0-9a-fA-F:.]+")) {
      try {
        // Literal IPv6 only: InetAddress does not resolve names containing ':'.
        InetAddress.getByName(host);
        return true;
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return false;
  }
}
