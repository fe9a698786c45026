package dev.vigil.promql.parser;

import dev.vigil.model.labels.Matcher;
import java.util.List;

/**
 * Entry points of the PromQL parser. Stateless and thread-safe; each call parses one input.
 *
 * <p>Failures are {@link ParseException}s carrying every error found with its position, worded as
 * Prometheus words them. Any other exception escaping from here is a bug.
 */
public final class Parser {
  private Parser() {}

  /** Parses a query with every experimental feature enabled. */
  public static Expr parseExpr(String query) {
    return parseExpr(query, ParserOptions.ALL_FEATURES);
  }

  /**
   * Parses and type-checks a query.
   *
   * @throws ParseException on any syntax or semantic error
   */
  public static Expr parseExpr(String query, ParserOptions options) {
    ExprParser p = new ExprParser(query, options);
    Expr e = p.parseQuery();
    List<ParseError> errors = p.errors();
    if (errors.isEmpty()) {
      // Types are checked only when the syntax is fine, as in Prometheus.
      e = new Checker(query, errors).check(e);
    }
    if (!errors.isEmpty()) {
      throw new ParseException(errors);
    }
    return e;
  }

  /**
   * Parses a series selector such as the HTTP API's {@code match[]}: {@code name}, {@code
   * name{matchers}} or {@code {matchers}}. A written name becomes the last matcher. As in
   * Prometheus no check for an all-empty selector is made here.
   */
  public static List<Matcher> parseMetricSelector(String selector) {
    ExprParser p = new ExprParser(selector, ParserOptions.ALL_FEATURES);
    List<Matcher> matchers = p.parseMetricSelectorOnly();
    if (!p.errors().isEmpty()) {
      throw new ParseException(p.errors());
    }
    return matchers;
  }

  /**
   * Prometheus's {@code model.ParseDuration}: {@code 1y2w3d4h5m6s7ms}, units in decreasing order,
   * or a bare {@code 0}.
   *
   * @return milliseconds
   * @throws IllegalArgumentException for an invalid or out-of-range duration, with Prometheus's
   *     message
   */
  public static long parseDuration(String s) {
    try {
      return Literals.parseDuration(s);
    } catch (Literals.LiteralException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * A number of seconds as the HTTP API accepts for durations and timestamps: a float (Go
   * syntax, {@code Inf}/{@code NaN} included) or a duration string.
   *
   * @return seconds
   * @throws IllegalArgumentException when it is neither
   */
  public static double parseNumberOrDuration(String s) {
    String body = s;
    boolean negate = false;
    if (!body.isEmpty() && (body.charAt(0) == '-' || body.charAt(0) == '+')) {
      negate = body.charAt(0) == '-';
      body = body.substring(1);
    }
    try {
      double v = Literals.parseNumber(body);
      return negate ? -v : v;
    } catch (Literals.LiteralException | RuntimeException e) {
      try {
        return Literals.parseDuration(s) / 1000.0;
      } catch (Literals.LiteralException e2) {
        throw new IllegalArgumentException(
            "cannot parse " + GoStrings.quote(s) + " to a valid duration or number", e2);
      }
    }
  }

  /** Prometheus's {@code model.Duration.String()} of a millisecond count, e.g. {@code 1h30m}. */
  public static String formatDuration(long millis) {
    return millis < 0
        ? "-" + Literals.formatDurationMillis(-millis)
        : Literals.formatDurationMillis(millis);
  }
}
