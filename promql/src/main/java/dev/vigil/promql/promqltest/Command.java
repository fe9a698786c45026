package dev.vigil.promql.promqltest;

import dev.vigil.model.labels.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** One command of a test script. */
public sealed interface Command permits Command.Load, Command.Clear, Command.Eval {
  /** 1-based line of the command in its file. */
  int line();

  /**
   * {@code load <interval>}: series whose i-th value lands at {@code i * interval}.
   *
   * @param withNhcb also convert classic histogram series into native histograms with custom
   *     buckets ({@code load_with_nhcb})
   */
  record Load(int line, long intervalMillis, boolean withNhcb, List<SeriesDescription> series)
      implements Command {}

  /** {@code clear}: drop all loaded data. */
  record Clear(int line) implements Command {}

  /** The kinds of {@code expect} lines. */
  enum ExpectType {
    ORDERED,
    FAIL,
    WARN,
    NO_WARN,
    INFO,
    NO_INFO
  }

  /** An {@code expect} line: exact message, or regex (a missing message matches anything). */
  record Expectation(String message, Pattern regex) {
    boolean matches(String s) {
      return regex == null ? message.equals(s) : regex.matcher(s).find();
    }

    String describe() {
      return regex == null ? "message \"" + message + "\"" : "pattern \"" + regex.pattern() + "\"";
    }
  }

  /** An expected result series: labels, values, and its position among the result lines. */
  record ExpectedSeries(Labels labels, List<SequenceValue> values, int position) {}

  /**
   * An {@code eval instant} or {@code eval range} with its expectations. Mutable while the script
   * parser fills it in; {@code setupError} records an expectation line that could not be parsed,
   * which fails this case only.
   */
  final class Eval implements Command {
    final int line;
    final String expr;
    final boolean range;
    long start;
    long end;
    long step;
    long evalTime;
    boolean legacyFail;
    boolean legacyWarn;
    boolean legacyInfo;
    boolean legacyOrdered;
    String expectedFailMessage;
    Pattern expectedFailRegexp;
    final Map<ExpectType, List<Expectation>> expects = new EnumMap<>(ExpectType.class);
    boolean expectScalar;
    final List<ExpectedSeries> expected = new ArrayList<>();
    String expectedString;
    boolean excludeFromRangeQuery;
    String setupError;

    Eval(int line, String expr, boolean range) {
      this.line = line;
      this.expr = expr;
      this.range = range;
    }

    @Override
    public int line() {
      return line;
    }

    public String expr() {
      return expr;
    }

    public boolean isRange() {
      return range;
    }

    boolean isOrdered() {
      return legacyOrdered || !expects(ExpectType.ORDERED).isEmpty();
    }

    boolean isFail() {
      return legacyFail || !expects(ExpectType.FAIL).isEmpty();
    }

    List<Expectation> expects(ExpectType type) {
      return expects.getOrDefault(type, List.of());
    }
  }
}
