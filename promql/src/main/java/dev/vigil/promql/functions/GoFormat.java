package dev.vigil.promql.functions;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's number and string formatting as Prometheus uses it in messages and labels ({@code %g},
 * {@code %q}, {@code strconv.FormatFloat(f, 'f', -1, 64)}), so texts match byte for byte.
 */
public final class GoFormat {
  private GoFormat() {}

  /** Go's {@code %q} for ordinary strings: double quotes, backslash escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c >= 0xDC80 && c <= 0xDCFF && !(i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
            // The parser keeps invalid UTF-8 bytes as lone surrogates U+DC80..U+DCFF.
            sb.append(String.format("\\x%02x", c - 0xDC00));
          } else if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest repr, no exponent. */
  public static String formatF(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
      return Long.toString((long) v); // fast path: most label values are integers
    }
    return shortest(v).toPlainString();
  }

  /**
   * The shortest decimal that reads back as {@code v} (finite), as Go's {@code strconv} finds it.
   * Java's {@code Double.toString} gives the same digits (JDK 19+) except that it never gives
   * fewer than two: for the few subnormals one digit identifies ({@code Double.MIN_VALUE}: Java
   * {@code 4.9E-324}, Go {@code 5e-324}) the one digit is taken here.
   */
  public static BigDecimal shortest(double v) {
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    if (Math.abs(v) < Double.MIN_NORMAL && d.precision() == 2) {
      BigDecimal one = d.round(new MathContext(1, RoundingMode.HALF_EVEN));
      if (one.doubleValue() == v) {
        return one.stripTrailingZeros();
      }
    }
    return d;
  }

  /** Go's {@code %g} / {@code strconv.FormatFloat(v, 'g', -1, 64)}: shortest repr. */
  public static String g(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal bd = shortest(v);
    String digits = bd.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - bd.scale(); // decimal exponent of the first digit
    // Go's shortest %g switches to exponent form when exp < -4 || exp >= 6.
    if (exp < -4 || exp >= 6) {
      StringBuilder sb = new StringBuilder();
      if (v < 0) {
        sb.append('-');
      }
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      sb.append('e').append(exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        sb.append('0');
      }
      sb.append(ae);
      return sb.toString();
    }
    return bd.toPlainString();
  }

  /**
   * Prometheus's {@code FloatHistogram.String()}, used as the label value by count_values: count,
   * sum, then every non-empty bucket from lowest to highest as {@code [lo,hi):count}.
   */
  public static String histogram(dev.vigil.model.histogram.FloatHistogram h) {
    StringBuilder sb = new StringBuilder("{count:").append(g(h.count())).append(", sum:")
        .append(g(h.sum()));
    java.util.List<dev.vigil.model.histogram.Bucket> neg = new java.util.ArrayList<>();
    dev.vigil.model.histogram.BucketIterator it =
        dev.vigil.model.histogram.BucketIterator.negative(h);
    while (it.next()) {
      if (it.count() != 0) {
        neg.add(it.bucket());
      }
    }
    for (int i = neg.size() - 1; i >= 0; i--) {
      appendBucket(sb, neg.get(i));
    }
    if (h.zeroCount() != 0) {
      appendBucket(sb, h.zeroBucket());
    }
    it = dev.vigil.model.histogram.BucketIterator.positive(h);
    while (it.next()) {
      if (it.count() != 0) {
        appendBucket(sb, it.bucket());
      }
    }
    return sb.append('}').toString();
  }

  private static void appendBucket(StringBuilder sb, dev.vigil.model.histogram.Bucket b) {
    sb.append(", ").append(b.lowerInclusive() ? '[' : '(').append(g(b.lower())).append(',')
        .append(g(b.upper())).append(b.upperInclusive() ? ']' : ')').append(':')
        .append(g(b.count()));
  }

  /**
   * Prometheus 3's label name rule: any non-empty valid UTF-8 string. Invalid bytes reach us as
   * lone surrogates (see {@link #quote}), so a lone surrogate makes a name invalid.
   */
  public static boolean isValidLabelName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
