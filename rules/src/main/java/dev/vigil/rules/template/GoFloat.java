package dev.vigil.rules.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's {@code strconv.FormatFloat} for the 'e', 'f' and 'g' formats. Rounding works on the exact
 * binary value (BigDecimal), shortest output on Java's shortest-repr {@code Double.toString}, so
 * results match Go digit for digit (e.g. {@code %.4g} in Prometheus's humanize functions).
 */
final class GoFloat {
  private GoFloat() {}

  /** Decimal digits without trailing zeros; value = 0.d[0]d[1]... x 10^dp. */
  private record Digits(String d, int dp) {
    int nd() {
      return d.length();
    }
  }

  /**
   * @param fmt  'e', 'E', 'f', 'F', 'g' or 'G'
   * @param prec digits (after the point for e/f, significant for g); -1 for shortest
   */
  static String format(double v, char fmt, int prec) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    boolean neg = v < 0 || (v == 0 && 1 / v < 0);
    double abs = Math.abs(v);
    boolean shortest = prec < 0;
    Digits digs;
    char lower = Character.toLowerCase(fmt);
    if (shortest) {
      digs = shortestDigits(abs);
      prec = switch (lower) {
        case 'e' -> digs.nd() - 1;
        case 'f' -> Math.max(digs.nd() - digs.dp(), 0);
        default -> digs.nd();
      };
    } else {
      digs = switch (lower) {
        case 'e' -> roundSignificant(abs, prec + 1);
        case 'f' -> roundFixed(abs, prec);
        default -> roundSignificant(abs, prec == 0 ? 1 : prec);
      };
      if (lower == 'g' && prec == 0) {
        prec = 1;
      }
    }
    StringBuilder sb = new StringBuilder();
    if (neg) {
      sb.append('-');
    }
    switch (lower) {
      case 'e' -> fmtE(sb, digs, prec, fmt);
      case 'f' -> fmtF(sb, digs, prec);
      default -> {
        int eprec = prec;
        if (eprec > digs.nd() && digs.nd() >= digs.dp()) {
          eprec = digs.nd();
        }
        if (shortest) {
          eprec = 6;
        }
        int exp = digs.dp() - 1;
        if (exp < -4 || exp >= eprec) {
          int p = Math.min(prec, digs.nd());
          fmtE(sb, digs, p - 1, fmt == 'G' ? 'E' : 'e');
        } else {
          int p = prec > digs.dp() ? digs.nd() : prec;
          fmtF(sb, digs, Math.max(p - digs.dp(), 0));
        }
      }
    }
    return sb.toString();
  }

  private static Digits shortestDigits(double abs) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    return fromBigDecimal(new BigDecimal(Double.toString(abs)));
  }

  private static Digits roundSignificant(double abs, int n) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    return fromBigDecimal(new BigDecimal(abs).round(new MathContext(n, RoundingMode.HALF_EVEN)));
  }

  private static Digits roundFixed(double abs, int prec) {
    if (abs == 0) {
      return new Digits("", 0);
    }
    BigDecimal r = new BigDecimal(abs).setScale(prec, RoundingMode.HALF_EVEN);
    if (r.signum() == 0) {
      return new Digits("", 0);
    }
    return fromBigDecimal(r);
  }

  private static Digits fromBigDecimal(BigDecimal b) {
    BigDecimal s = b.stripTrailingZeros();
    String d = s.unscaledValue().toString();
    return new Digits(d, d.length() - s.scale());
  }

  private static void fmtE(StringBuilder sb, Digits digs, int prec, char e) {
    sb.append(digs.nd() == 0 ? '0' : digs.d().charAt(0));
    if (prec > 0) {
      sb.append('.');
      int i = 1;
      int m = Math.min(digs.nd(), prec + 1);
      if (i < m) {
        sb.append(digs.d(), i, m);
        i = m;
      }
      for (; i <= prec; i++) {
        sb.append('0');
      }
    }
    sb.append(Character.isUpperCase(e) ? 'E' : 'e');
    int exp = digs.nd() == 0 ? 0 : digs.dp() - 1;
    sb.append(exp < 0 ? '-' : '+');
    exp = Math.abs(exp);
    if (exp < 10) {
      sb.append('0');
    }
    sb.append(exp);
  }

  private static void fmtF(StringBuilder sb, Digits digs, int prec) {
    if (digs.dp() > 0) {
      int m = Math.min(digs.nd(), digs.dp());
      sb.append(digs.d(), 0, m);
      for (; m < digs.dp(); m++) {
        sb.append('0');
      }
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 0; i < prec; i++) {
        int j = digs.dp() + i;
        sb.append(j >= 0 && j < digs.nd() ? digs.d().charAt(j) : '0');
      }
    }
  }
}
