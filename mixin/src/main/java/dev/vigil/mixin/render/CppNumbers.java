package dev.vigil.mixin.render;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Numbers as the C++ jsonnet prints them ({@code jsonnet_unparse_number}): integral values in
 * fixed notation without a fraction, others like C's {@code %.17g} (17 significant digits,
 * trailing zeros dropped, exponent form below 1e-4 or from 1e17).
 */
final class CppNumbers {
  private CppNumbers() {}

  static String format(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.toString(v);
    }
    if (v == Math.floor(v)) {
      // C++ streams print negative zero with its sign (std::fixed, precision 0).
      return v == 0 && 1 / v < 0 ? "-0" : new BigDecimal(v).toPlainString();
    }
    BigDecimal d = new BigDecimal(v).round(new MathContext(17));
    int exponent = d.precision() - d.scale() - 1; // position of the leading digit
    if (exponent < -4 || exponent >= 17) {
      BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
      String m = mantissa.toPlainString();
      String e = String.format("%02d", Math.abs(exponent));
      return m + "e" + (exponent < 0 ? "-" : "+") + e;
    }
    String s = d.toPlainString();
    if (s.indexOf('.') >= 0) {
      s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return s;
  }
}
