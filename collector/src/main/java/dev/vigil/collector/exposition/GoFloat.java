package dev.vigil.collector.exposition;

import java.nio.charset.StandardCharsets;

/**
 * Go's {@code strconv} float handling as Prometheus uses it: parsing with
 * {@code ParseFloat} (minus the Go 1.13 forms {@code p}, {@code P}, {@code _}, which Prometheus
 * refuses) and formatting with {@code FormatOpenMetricsFloat}. Parsing works on bytes and takes a
 * correctly rounded fast path for short decimals, so typical samples allocate nothing.
 */
final class GoFloat {
  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  private GoFloat() {}

  /** Thrown with Go's error text; the caller adds position and context. */
  static final class SyntaxException extends Exception {
    SyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  static double parse(byte[] b, int from, int to) throws SyntaxException {
    if (from >= to) {
      throw invalid(b, from, to);
    }
    int i = from;
    boolean neg = false;
    if (b[i] == '+' || b[i] == '-') {
      neg = b[i] == '-';
      i++;
    }
    if (i < to && !isDigit(b[i]) && b[i] != '.') {
      return special(b, from, to, i, neg);
    }
    long mantissa = 0;
    int digits = 0; // significant digits accumulated in mantissa
    int dropped = 0; // significant digits beyond what fits (forces the slow path)
    int exp10 = 0;
    boolean sawDigit = false;
    boolean sawDot = false;
    for (; i < to; i++) {
      byte c = b[i];
      if (isDigit(c)) {
        sawDigit = true;
        if (mantissa == 0 && c == '0') {
          if (sawDot) {
            exp10--;
          }
          continue;
        }
        if (digits < 18) {
          mantissa = mantissa * 10 + (c - '0');
          digits++;
          if (sawDot) {
            exp10--;
          }
        } else {
          dropped++;
          if (!sawDot) {
            exp10++;
          }
        }
      } else if (c == '.' && !sawDot) {
        sawDot = true;
      } else {
        break;
      }
    }
    if (!sawDigit) {
      throw invalid(b, from, to);
    }
    if (i < to) {
      if (b[i] != 'e' && b[i] != 'E') {
        throw invalid(b, from, to);
      }
      i++;
      boolean eneg = false;
      if (i < to && (b[i] == '+' || b[i] == '-')) {
        eneg = b[i] == '-';
        i++;
      }
      if (i >= to) {
        throw invalid(b, from, to);
      }
      int e = 0;
      for (; i < to; i++) {
        if (!isDigit(b[i])) {
          throw invalid(b, from, to);
        }
        if (e < 100_000) {
          e = e * 10 + (b[i] - '0');
        }
      }
      exp10 += eneg ? -e : e;
    }
    double v;
    if (dropped == 0 && mantissa < (1L << 53) && exp10 >= -22 && exp10 <= 22) {
      // Both operands are exact doubles, so one IEEE operation rounds correctly.
      v = exp10 >= 0 ? mantissa * POW10[exp10] : mantissa / POW10[-exp10];
    } else if (mantissa == 0) {
      v = 0;
    } else {
      v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
      v = Math.abs(v);
      if (Double.isInfinite(v)) {
        throw new SyntaxException(
            "strconv.ParseFloat: parsing " + quote(b, from, to) + ": value out of range");
      }
    }
    return neg ? -v : v;
  }

  private static double special(byte[] b, int from, int to, int i, boolean neg) throws SyntaxException {
    int n = to - i;
    if (matchesIgnoreCase(b, i, to, "inf") || matchesIgnoreCase(b, i, to, "infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (i == from && n == 3 && matchesIgnoreCase(b, i, to, "nan")) {
      return Double.NaN;
    }
    throw invalid(b, from, to);
  }

  private static boolean matchesIgnoreCase(byte[] b, int from, int to, String word) {
    if (to - from != word.length()) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      int c = b[from + k] | 0x20;
      if (c != word.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  /**
   * Every input holding {@code p}, {@code P} or {@code _} ends here (none is valid syntax for
   * the parser above), so Prometheus's pre-check for them costs nothing on valid input.
   */
  private static SyntaxException invalid(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte c = b[i];
      if (c == 'p' || c == 'P' || c == '_') {
        // Prometheus refuses Go 1.13's hex and underscore forms before calling ParseFloat.
        return new SyntaxException("unsupported character in float");
      }
    }
    return new SyntaxException("strconv.ParseFloat: parsing " + quote(b, from, to) + ": invalid syntax");
  }

  static String quote(byte[] b, int from, int to) {
    return GoQuoting.quote(b, from, to);
  }

  /** Go's {@code strconv.ParseFloat} on a string (for label values such as {@code le}). */
  static double parse(String s) throws SyntaxException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return parse(bytes, 0, bytes.length);
  }

  /**
   * Prometheus's {@code labels.FormatOpenMetricsFloat}: Go's shortest {@code %g}, plus
   * {@code .0} when that has neither a dot nor an exponent; {@code NaN}, {@code +Inf},
   * {@code -Inf}. Used to normalise {@code le} and {@code quantile} values so that
   * {@code le="1"} and {@code le="1.0"} are one series.
   */
  static String formatOpenMetrics(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    String g = formatG(f);
    return g.indexOf('e') >= 0 || g.indexOf('.') >= 0 ? g : g + ".0";
  }

  /** Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} for finite {@code f}. */
  static String formatG(double f) {
    // Java's Double.toString gives the shortest round-tripping digits (JDK 19+), as Go does.
    String s = Double.toString(Math.abs(f));
    int e = s.indexOf('E');
    String mant = e < 0 ? s : s.substring(0, e);
    int exp = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dot = mant.indexOf('.');
    StringBuilder digits = new StringBuilder(mant.length());
    digits.append(mant, 0, dot).append(mant, dot + 1, mant.length());
    int dp = dot + exp; // decimal point position relative to digits
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    digits.delete(0, lead);
    dp -= lead;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits.setLength(end);
    boolean zero = digits.length() == 1 && digits.charAt(0) == '0';
    if (zero) {
      dp = 1;
    }
    StringBuilder out = new StringBuilder(24);
    if (f < 0 || (f == 0 && 1 / f < 0)) {
      out.append('-');
    }
    int x = dp - 1;
    if (x < -4 || x >= 6) {
      // Go's shortest %g decides with precision 6 (ftoa.go), so 1e6 prints as 1e+06.
      out.append(digits.charAt(0));
      if (digits.length() > 1) {
        out.append('.').append(digits, 1, digits.length());
      }
      out.append('e').append(x < 0 ? '-' : '+');
      int ax = Math.abs(x);
      if (ax < 10) {
        out.append('0');
      }
      out.append(ax);
    } else if (dp <= 0) {
      out.append("0.");
      for (int k = dp; k < 0; k++) {
        out.append('0');
      }
      out.append(digits);
    } else if (dp >= digits.length()) {
      out.append(digits);
      for (int k = digits.length(); k < dp; k++) {
        out.append('0');
      }
    } else {
      out.append(digits, 0, dp).append('.').append(digits, dp, digits.length());
    }
    return out.toString();
  }
}
