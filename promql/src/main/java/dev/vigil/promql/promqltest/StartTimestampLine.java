package dev.vigil.promql.promqltest;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.parser.Parser;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads promqltest's {@code metric{labels}@st <offsets>} lines, which give the start timestamps of
 * the samples on the following line of the same series. Each offset item is relative to its
 * sample's time: {@code _}, {@code _xN}, {@code <dur>}, {@code <dur>xN} (N+1 equal offsets) and
 * {@code <dur>+<dur>xN} / {@code <dur>-<dur>xN} (N+1 offsets stepping by the second duration).
 * Durations may carry a sign ({@code -1m}, {@code +1m}).
 */
final class StartTimestampLine {
  private StartTimestampLine() {}

  /** A parsed line: the series and its offsets (omitted or milliseconds). */
  record Parsed(Labels labels, List<SequenceValue> offsets) {}

  /** Whether the first word ends in {@code @st} (no space before it). */
  static boolean matches(String l) {
    int space = indexOfSpace(l);
    return space > 0 && l.substring(0, space).endsWith("@st");
  }

  static Parsed parse(String l, int line) {
    int space = indexOfSpace(l);
    if (space < 0) {
      throw new ScriptException(line, "invalid @st line: missing value sequence");
    }
    String metric = l.substring(0, space - "@st".length());
    Labels labels;
    try {
      labels = SeriesDescriptionParser.parse(metric + " _", line).labels();
    } catch (RuntimeException e) {
      throw new ScriptException(line,
          "invalid @st line metric \"" + metric + "\": " + e.getMessage());
    }
    List<SequenceValue> offsets = new ArrayList<>();
    for (String item : l.substring(space + 1).strip().split("[ \\t]+")) {
      if (item.isEmpty()) {
        continue;
      }
      try {
        item(item, offsets);
      } catch (IllegalArgumentException e) {
        throw new ScriptException(line,
            "invalid @st sequence: invalid ST item \"" + item + "\": " + e.getMessage());
      }
    }
    return new Parsed(labels, offsets);
  }

  private static void item(String item, List<SequenceValue> out) {
    if (item.equals("_")) {
      out.add(SequenceValue.OMITTED);
      return;
    }
    if (item.startsWith("_x")) {
      int n = count(item.substring(2));
      if (n == 0) {
        throw new IllegalArgumentException("invalid repeat count");
      }
      for (int i = 0; i < n; i++) {
        out.add(SequenceValue.OMITTED);
      }
      return;
    }
    int[] end = new int[1];
    long base = durationPrefix(item, 0, end);
    String rest = item.substring(end[0]);
    if (rest.isEmpty()) {
      out.add(SequenceValue.ofFloat(base));
      return;
    }
    if (rest.charAt(0) == 'x') {
      int n = count(rest.substring(1));
      for (int i = 0; i <= n; i++) {
        out.add(SequenceValue.ofFloat(base));
      }
      return;
    }
    if (rest.charAt(0) != '+' && rest.charAt(0) != '-') {
      throw new IllegalArgumentException("unexpected character '" + rest.charAt(0)
          + "' after duration");
    }
    long delta = durationPrefix(rest, 0, end);
    String tail = rest.substring(end[0]);
    if (tail.isEmpty() || tail.charAt(0) != 'x') {
      throw new IllegalArgumentException("expected 'x<count>' after step duration");
    }
    int n = count(tail.substring(1));
    long offset = base;
    for (int i = 0; i <= n; i++) {
      out.add(SequenceValue.ofFloat(offset));
      offset += delta;
    }
  }

  private static int count(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid repeat count");
    }
  }

  /**
   * A signed duration at {@code s[from..]} in milliseconds; {@code end[0]} receives the index
   * after it. The unit stops at {@code x}, the repeat separator, which no unit contains.
   */
  private static long durationPrefix(String s, int from, int[] end) {
    int i = from;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int digits = i;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (i == digits) {
      throw new IllegalArgumentException("expected digits in duration \"" + s + "\"");
    }
    while (i < s.length() && Character.isLetter(s.charAt(i)) && s.charAt(i) != 'x') {
      i++;
    }
    long ms = Parser.parseDuration(s.substring(digits, i));
    end[0] = i;
    return negative ? -ms : ms;
  }

  private static int indexOfSpace(String l) {
    for (int i = 0; i < l.length(); i++) {
      if (l.charAt(i) == ' ' || l.charAt(i) == '\t') {
        return i;
      }
    }
    return -1;
  }
}
