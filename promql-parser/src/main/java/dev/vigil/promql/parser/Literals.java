package dev.vigil.promql.parser;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Number and duration literals with Go's and Prometheus's exact rules: {@code strconv.ParseInt}
 * (base prefixes, octal, underscores) falling back to {@code strconv.ParseFloat}, {@code
 * model.ParseDuration} and {@code model.Duration.String()}, plus Go's float formatting.
 */
final class Literals {
  private static final long NANOS_PER_MILLI = 1_000_000L;

  private Literals() {}

  /** Thrown for an invalid literal; the message is Prometheus's (without position). */
  static final class LiteralException extends Exception {
    private static final long serialVersionUID = 1L;

    LiteralException(String message) {
      super(message);
    }
  }

  /** Prometheus's {@code parser.number}: integer syntax first, then float syntax. */
  static double parseNumber(String s) throws LiteralException {
    Double i = parseGoInt(s);
    if (i != null) {
      return i;
    }
    return parseGoFloat(s);
  }

  /** {@code strconv.ParseInt(s, 0, 64)} as a double, or null on any error. */
  private static Double parseGoInt(String s) {
    String body = s;
    int radix = 10;
    if (body.length() >= 2 && body.charAt(0) == '0') {
      char c = Character.toLowerCase(body.charAt(1));
      if (c == 'x' || c == 'b' || c == 'o') {
        radix = c == 'x' ? 16 : c == 'b' ? 2 : 8;
        body = body.substring(2);
      } else {
        radix = 8;
        body = body.substring(1);
      }
    }
    if (s.indexOf('_') >= 0) {
      if (!underscoreOk(s)) {
        return null;
      }
      body = body.replace("_", "");
    }
    if (body.isEmpty()) {
      return s.equals("0") ? 0.0 : null;
    }
    for (int i = 0; i < body.length(); i++) {
      if (Character.digit(body.charAt(i), radix) < 0) {
        return null;
      }
    }
    BigInteger v = new BigInteger(body, radix);
    if (v.bitLength() > 63) {
      return null; // out of range: Prometheus falls back to ParseFloat
    }
    return (double) v.longValue();
  }

  /** Go's rule: underscores only between digits or between a base prefix and a digit. */
  private static boolean underscoreOk(String s) {
    char saw = '^';
    int i = 0;
    boolean hex = false;
    if (s.length() >= 2 && s.charAt(0) == '0') {
      char c = Character.toLowerCase(s.charAt(1));
      if (c == 'b' || c == 'o' || c == 'x') {
        i = 2;
        saw = '0';
        hex = c == 'x';
      }
    }
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      char lc = Character.toLowerCase(c);
      if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) {
        saw = '0';
        continue;
      }
      if (c == '_') {
        if (saw != '0') {
          return false;
        }
        saw = '_';
        continue;
      }
      if (saw == '_') {
        return false;
      }
      saw = '!';
    }
    return saw != '_';
  }

  /** {@code strconv.ParseFloat(s, 64)} for what the lexer can produce. */
  private static double parseGoFloat(String s) throws LiteralException {
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    switch (lower) {
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
    String body = s;
    if (s.indexOf('_') >= 0) {
      if (!underscoreOk(s)) {
        throw syntax(s);
      }
      body = s.replace("_", "");
    }
    if (!isDecimalFloat(body)) {
      throw syntax(s);
    }
    double d = Double.parseDouble(body);
    if (Double.isInfinite(d)) {
      throw new LiteralException("strconv.ParseFloat: parsing " + GoStrings.quote(s)
          + ": value out of range");
    }
    return d;
  }

  private static LiteralException syntax(String s) {
    return new LiteralException("strconv.ParseFloat: parsing " + GoStrings.quote(s)
        + ": invalid syntax");
  }

  /** digits [. digits] [e [+-] digits], at least one mantissa digit. */
  private static boolean isDecimalFloat(String s) {
    int i = 0;
    int n = s.length();
    int digits = 0;
    while (i < n && Lexer.isDigit(s.charAt(i))) {
      i++;
      digits++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && Lexer.isDigit(s.charAt(i))) {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = 0;
      while (i < n && Lexer.isDigit(s.charAt(i))) {
        i++;
        exp++;
      }
      if (exp == 0) {
        return false;
      }
    }
    return i == n;
  }

  /**
   * {@code model.ParseDuration}: {@code [0-9]+} unit groups, units {@code y w d h m s ms} in
   * decreasing order, each at most once; a bare {@code 0} is allowed.
   *
   * @return the duration in milliseconds
   */
  static long parseDuration(String s) throws LiteralException {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new LiteralException("empty duration string");
    }
    String orig = s;
    long nanos = 0;
    int lastUnitPos = -1;
    int i = 0;
    while (i < s.length()) {
      if (!Lexer.isDigit(s.charAt(i))) {
        throw notValid(orig);
      }
      int j = i;
      while (j < s.length() && Lexer.isDigit(s.charAt(j))) {
        j++;
      }
      BigInteger v = new BigInteger(s.substring(i, j));
      int k = j;
      while (k < s.length() && !Lexer.isDigit(s.charAt(k))) {
        k++;
      }
      if (k == j) {
        throw notValid(orig);
      }
      String unit = s.substring(j, k);
      int unitPos;
      long mult;
      switch (unit) {
        case "y" -> { unitPos = 0; mult = 365L * 24 * 3600 * 1_000_000_000L; }
        case "w" -> { unitPos = 1; mult = 7L * 24 * 3600 * 1_000_000_000L; }
        case "d" -> { unitPos = 2; mult = 24L * 3600 * 1_000_000_000L; }
        case "h" -> { unitPos = 3; mult = 3600L * 1_000_000_000L; }
        case "m" -> { unitPos = 4; mult = 60L * 1_000_000_000L; }
        case "s" -> { unitPos = 5; mult = 1_000_000_000L; }
        case "ms" -> { unitPos = 6; mult = NANOS_PER_MILLI; }
        default -> throw new LiteralException("unknown unit " + GoStrings.quote(unit)
            + " in duration " + GoStrings.quote(orig));
      }
      if (unitPos <= lastUnitPos) {
        throw notValid(orig);
      }
      lastUnitPos = unitPos;
      if (v.compareTo(BigInteger.valueOf(Long.MAX_VALUE / mult)) > 0) {
        throw new LiteralException("duration out of range");
      }
      long add = v.longValueExact() * mult;
      if (nanos > Long.MAX_VALUE - add) {
        throw new LiteralException("duration out of range");
      }
      nanos += add;
      i = k;
    }
    return nanos / NANOS_PER_MILLI;
  }

  private static LiteralException notValid(String orig) {
    return new LiteralException("not a valid duration string: " + GoStrings.quote(orig));
  }

  /** {@code model.Duration.String()} of a millisecond count (non-negative). */
  static String formatDurationMillis(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder r = new StringBuilder();
    ms = unit(r, ms, "y", 1000L * 60 * 60 * 24 * 365, true);
    ms = unit(r, ms, "w", 1000L * 60 * 60 * 24 * 7, true);
    ms = unit(r, ms, "d", 1000L * 60 * 60 * 24, false);
    ms = unit(r, ms, "h", 1000L * 60 * 60, false);
    ms = unit(r, ms, "m", 1000L * 60, false);
    ms = unit(r, ms, "s", 1000L, false);
    unit(r, ms, "ms", 1, false);
    return r.toString();
  }

  private static long unit(StringBuilder r, long ms, String name, long mult, boolean exact) {
    if (exact && ms % mult != 0) {
      return ms;
    }
    long v = ms / mult;
    if (v > 0) {
      r.append(v).append(name);
      return ms - v * mult;
    }
    return ms;
  }

  /**
   * A duration in seconds as Prometheus prints a duration literal: {@code 5m}, {@code -1h30m}.
   * Seconds are rounded to nanoseconds as Prometheus rounds ranges and offsets, so {@code 1001ms}
   * (1.0009999... s as a double) prints back as {@code 1s1ms}.
   */
  static String formatDurationSeconds(double seconds) {
    if (seconds < 0) {
      return "-" + formatDurationMillis(toNanos(-seconds) / NANOS_PER_MILLI);
    }
    return formatDurationMillis(toNanos(seconds) / NANOS_PER_MILLI);
  }

  private static long toNanos(double seconds) {
    double ns = seconds * 1e9;
    return ns >= Long.MAX_VALUE ? Long.MAX_VALUE : roundHalfAway(ns);
  }

  /** {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest, never an exponent. */
  static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return 1 / v < 0 ? "-0" : "0";
    }
    return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
  }

  /** Go's {@code %v} of a float64: shortest digits, exponent form below 1e-4 or from 1e21. */
  static String formatFloatV(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) {
      return formatFloat(v);
    }
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    String sign = v < 0 ? "-" : "";
    if (exp < -4 || exp >= 21) {
      String digits = bd.unscaledValue().toString();
      StringBuilder sb = new StringBuilder(sign).append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      return sb.append(ae).toString();
    }
    return sign + bd.toPlainString();
  }

  /** Go's {@code %f} (six decimals; Inf and NaN spelled as Go does). */
  static String formatFixed6(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return new BigDecimal(v).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  /** Go's {@code math.Round}: half away from zero. */
  static long roundHalfAway(double v) {
    return v < 0 ? -Math.round(-v) : Math.round(v);
  }
}
