package dev.vigil.promql.promqltest;

import dev.vigil.model.storage.StaleNaN;
import java.math.BigDecimal;

/** Number parsing and printing as the Go test runner does it ({@code strconv}). */
final class ResultFormat {
  private ResultFormat() {}

  /**
   * Go's {@code strconv.ParseInt(s, 0, 64)} falling back to {@code ParseFloat(s, 64)}: decimal,
   * 0x/0o/0b integers, underscores between digits, Inf/Infinity/NaN in any case with a sign.
   */
  static double parseNumber(String s) {
    String t = s;
    boolean neg = false;
    if (t.startsWith("+") || t.startsWith("-")) {
      neg = t.charAt(0) == '-';
      t = t.substring(1);
    }
    String lower = t.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("inf") || lower.equals("infinity")) {
      return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      if (s.startsWith("+") || s.startsWith("-")) {
        throw new NumberFormatException(s);
      }
      return Double.NaN;
    }
    if (t.isEmpty() || !(Character.isDigit(t.charAt(0)) || t.charAt(0) == '.')) {
      throw new NumberFormatException(s);
    }
    double v;
    if (lower.startsWith("0x") && !lower.contains("p")) {
      v = Long.parseLong(t.substring(2).replace("_", ""), 16);
    } else if (lower.startsWith("0o")) {
      v = Long.parseLong(t.substring(2).replace("_", ""), 8);
    } else if (lower.startsWith("0b")) {
      v = Long.parseLong(t.substring(2).replace("_", ""), 2);
    } else if (t.length() > 1 && t.charAt(0) == '0' && t.chars().allMatch(Character::isDigit)) {
      v = Long.parseLong(t, 8); // Go's base-0 ParseInt reads a leading 0 as octal
    } else {
      if (lower.endsWith("f") || lower.endsWith("d")) {
        throw new NumberFormatException(s); // Java would accept a type suffix; Go does not
      }
      v = Double.parseDouble(t.replace("_", ""));
    }
    return neg ? -v : v;
  }

  /** A float as Go's {@code %v} prints it, close enough for messages. */
  static String formatFloat(double v) {
    if (StaleNaN.is(v)) {
      return "stale";
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e21) {
      return new BigDecimal(v).toPlainString();
    }
    return Double.toString(v);
  }
}
