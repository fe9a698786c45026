package dev.vigil.promql.promqltest;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.HistogramNotation;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.StaleNaN;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses series descriptions: {@code metric{a="b"} 1 2+3x4 _ _x2 stale {{schema:0 sum:1}}x3}.
 * The expanding notation follows Prometheus's (and promtool's {@code input_series}): {@code
 * a+bxn} is a, a+b, ..., a+n*b (summed step by step, as Prometheus does, so rounding matches),
 * {@code axn} is n+1 copies of a, {@code _xn} is n omitted samples, {@code stale} is the staleness
 * marker. Histogram items use the same notation with {@code {{...}}} literals.
 */
public final class SeriesDescriptionParser {
  private final String text;
  private final int line;
  private int pos;

  private SeriesDescriptionParser(String text, int line) {
    this.text = text;
    this.line = line;
  }

  /** Parses a whole description line; {@code line} is only used in error messages. */
  public static SeriesDescription parse(String text, int line) {
    SeriesDescriptionParser p = new SeriesDescriptionParser(text.strip(), line);
    Labels labels = p.parseLabels();
    List<SequenceValue> values = p.parseValues();
    return new SeriesDescription(labels, values);
  }

  /** Parses only the values part ({@code 1 2+3x4 _}). */
  public static List<SequenceValue> parseValues(String text, int line) {
    return new SeriesDescriptionParser(text.strip(), line).parseValues();
  }

  /** Parses only a label set ({@code metric{a="b"}} or {@code {a="b"}}). */
  public static Labels parseLabels(String text, int line) {
    SeriesDescriptionParser p = new SeriesDescriptionParser(text.strip(), line);
    Labels l = p.parseLabels();
    p.skipSpaces();
    if (p.pos < p.text.length()) {
      throw p.error("unexpected " + p.text.substring(p.pos) + " after the label set");
    }
    return l;
  }

  private ScriptException error(String message) {
    return new ScriptException(line, message + " in series description " + quote(text));
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private Labels parseLabels() {
    Labels.Builder b = Labels.builder();
    skipSpaces();
    int start = pos;
    while (pos < text.length() && isMetricChar(text.charAt(pos), pos == start)) {
      pos++;
    }
    if (pos > start) {
      b.set(Labels.METRIC_NAME, text.substring(start, pos));
    }
    skipSpaces();
    if (pos < text.length() && text.charAt(pos) == '{' && !text.startsWith("{{", pos)) {
      pos++;
      while (true) {
        skipSpaces();
        if (pos >= text.length()) {
          throw error("unterminated label set");
        }
        if (text.charAt(pos) == '}') {
          pos++;
          break;
        }
        String name;
        if (text.charAt(pos) == '"' || text.charAt(pos) == '\'' || text.charAt(pos) == '`') {
          name = readQuoted();
          skipSpaces();
          if (pos < text.length() && (text.charAt(pos) == ',' || text.charAt(pos) == '}')) {
            b.set(Labels.METRIC_NAME, name); // a lone quoted string is the metric name
            if (text.charAt(pos) == ',') {
              pos++;
            }
            continue;
          }
        } else {
          int s = pos;
          while (pos < text.length() && isMetricChar(text.charAt(pos), pos == s)
              && text.charAt(pos) != ':') {
            pos++;
          }
          if (pos == s) {
            throw error("expected a label name at column " + (pos + 1));
          }
          name = text.substring(s, pos);
        }
        skipSpaces();
        if (pos >= text.length() || text.charAt(pos) != '=') {
          throw error("expected '=' after label name " + name);
        }
        pos++;
        skipSpaces();
        String value = readQuoted();
        b.set(name, value);
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == ',') {
          pos++;
        }
      }
    }
    return b.build();
  }

  private String readQuoted() {
    if (pos >= text.length()) {
      throw error("expected a quoted string");
    }
    char q = text.charAt(pos);
    if (q != '"' && q != '\'' && q != '`') {
      throw error("expected a quoted string at column " + (pos + 1));
    }
    int s = pos++;
    while (pos < text.length() && text.charAt(pos) != q) {
      if (text.charAt(pos) == '\\' && q != '`') {
        pos++;
      }
      pos++;
    }
    if (pos >= text.length()) {
      throw error("unterminated string");
    }
    pos++;
    try {
      return StringLiterals.unquote(text.substring(s, pos));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw error("invalid string " + text.substring(s, pos) + ": " + e.getMessage());
    }
  }

  private static boolean isMetricChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private List<SequenceValue> parseValues() {
    List<SequenceValue> out = new ArrayList<>();
    while (true) {
      skipSpaces();
      if (pos >= text.length()) {
        return out;
      }
      int start = pos;
      if (text.startsWith("{{", pos)) {
        // A histogram item may contain spaces: read up to the closing braces, then the suffix.
        pos = closingBraces(pos);
        if (pos + 1 < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')
            && text.startsWith("{{", pos + 1)) {
          pos = closingBraces(pos + 1);
        }
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
          pos++;
        }
        histogramItem(text.substring(start, pos), out);
      } else {
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
          pos++;
        }
        floatItem(text.substring(start, pos), out);
      }
    }
  }

  private int closingBraces(int from) {
    int end = text.indexOf("}}", from);
    if (end < 0) {
      throw error("unterminated histogram literal");
    }
    return end + 2;
  }

  private void floatItem(String item, List<SequenceValue> out) {
    if (item.equals("_")) {
      out.add(SequenceValue.OMITTED);
      return;
    }
    if (item.equals("stale")) {
      out.add(SequenceValue.ofFloat(StaleNaN.VALUE));
      return;
    }
    int x = timesIndex(item);
    if (x < 0) {
      out.add(SequenceValue.ofFloat(number(item)));
      return;
    }
    long times = count(item.substring(x + 1));
    String head = item.substring(0, x);
    if (head.equals("_")) {
      for (long i = 0; i < times; i++) {
        out.add(SequenceValue.OMITTED);
      }
      return;
    }
    int sign = signIndex(head);
    if (sign < 0) {
      double v = head.equals("stale") ? StaleNaN.VALUE : number(head);
      for (long i = 0; i <= times; i++) {
        out.add(SequenceValue.ofFloat(v));
      }
      return;
    }
    double v = number(head.substring(0, sign));
    double step = number(head.substring(sign + 1));
    if (head.charAt(sign) == '-') {
      step = -step;
    }
    out.add(SequenceValue.ofFloat(v));
    for (long i = 0; i < times; i++) {
      v += step;
      out.add(SequenceValue.ofFloat(v));
    }
  }

  private void histogramItem(String item, List<SequenceValue> out) {
    int firstEnd = item.indexOf("}}") + 2;
    HistogramNotation.Literal base = literal(item.substring(0, firstEnd));
    String rest = item.substring(firstEnd);
    if (rest.isEmpty()) {
      out.add(SequenceValue.ofHistogram(base.histogram(), base.counterResetHintSet()));
      return;
    }
    if (rest.charAt(0) == 'x') {
      long times = count(rest.substring(1));
      for (long i = 0; i <= times; i++) {
        out.add(SequenceValue.ofHistogram(base.histogram(), base.counterResetHintSet()));
      }
      return;
    }
    char op = rest.charAt(0);
    int incEnd = rest.indexOf("}}") + 2;
    if ((op != '+' && op != '-') || incEnd < 2 || incEnd >= rest.length()
        || rest.charAt(incEnd) != 'x') {
      throw error("invalid histogram item " + item);
    }
    HistogramNotation.Literal inc = literal(rest.substring(1, incEnd));
    long times = count(rest.substring(incEnd + 1));
    try {
      for (FloatHistogram h : HistogramNotation.series(
          base.histogram(), inc.histogram(), Math.toIntExact(times), op == '-')) {
        out.add(SequenceValue.ofHistogram(h, base.counterResetHintSet()));
      }
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw error(e.getMessage());
    }
  }

  private HistogramNotation.Literal literal(String s) {
    try {
      return HistogramNotation.parseLiteral(s);
    } catch (IllegalArgumentException e) {
      throw error("invalid histogram " + s + ": " + e.getMessage());
    }
  }

  /** Index of the 'x' that starts a repeat count ({@code x} followed only by digits), or -1. */
  private static int timesIndex(String item) {
    int x = item.lastIndexOf('x');
    if (x <= 0 || x == item.length() - 1) {
      return -1;
    }
    for (int i = x + 1; i < item.length(); i++) {
      if (item.charAt(i) < '0' || item.charAt(i) > '9') {
        return -1;
      }
    }
    return x;
  }

  /** Index of the '+' or '-' between the start value and the increment, or -1. */
  private static int signIndex(String head) {
    for (int i = 1; i < head.length(); i++) {
      char c = head.charAt(i);
      if (c == '+' || c == '-') {
        char prev = head.charAt(i - 1);
        boolean exponent = (prev == 'e' || prev == 'E') && i >= 2
            && (Character.isDigit(head.charAt(i - 2)) || head.charAt(i - 2) == '.');
        if (!exponent) {
          return i;
        }
      }
    }
    return -1;
  }

  private long count(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw error("invalid repeat count " + digits);
    }
  }

  private double number(String s) {
    try {
      return ResultFormat.parseNumber(s);
    } catch (NumberFormatException e) {
      throw error("invalid number " + quote(s));
    }
  }
}
