package dev.vigil.mixin.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Jsonnet's {@code std.format} (and so the {@code %} operator on strings) exactly as the reference
 * implementation computes it: a port of the Jsonnet code of {@code format} in jsonnet 0.18's
 * {@code std.jsonnet}, with the same double arithmetic, quirks included ({@code '%e' % 1e21} is
 * {@code 10.000000e+20}, {@code '%.3g' % 0.0001234} is {@code 0}). sjsonnet's own formatter
 * differs: {@code %d} clamps to 32 bits, {@code %e}/{@code %g} print negative exponents as
 * {@code e+-07}, {@code %s} of a fraction gives the shortest digits instead of 17.
 *
 * <p>Values are read lazily through {@link Args}, as the reference reads only the fields a format
 * names ({@code '%(a)s' % obj} must not evaluate {@code obj.b}).
 */
final class CppFormat {
  private CppFormat() {}

  /** A Jsonnet function value: it has a type name but cannot be formatted. */
  record FunctionValue() {}

  /** The right-hand side of {@code %}: an array, an object, or one value (treated as [value]). */
  interface Args {
    boolean isObject();

    int length();

    /** Element {@code i} of an array: Double, String, Boolean, null, List, Map or FunctionValue. */
    @Nullable Object at(int i);

    /** Whether the object has the field (hidden fields included, as std.objectHasAll). */
    boolean has(String key);

    @Nullable Object field(String key);
  }

  /** A format error, with the reference implementation's message. */
  static final class FormatException extends RuntimeException {
    FormatException(String message) {
      super(message);
    }
  }

  /** {@code *} as a field width or precision: taken from the values. */
  private static final double STAR = Double.NaN;

  /**
   * One {@code %} code.
   *
   * @param fw the field width (0 when absent), or {@link #STAR}
   * @param prec the precision, null when absent, or {@link #STAR}
   */
  record Code(@Nullable String mkey, boolean alt, boolean zero, boolean left, boolean blank, boolean plus, double fw,
      @Nullable Double prec, char ctype, boolean caps) {}

  /** Parses a format string into literal strings and {@link Code}s (the reference's parse_codes). */
  static List<Object> parse(String str) {
    List<Object> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (i < str.length()) {
      char c = str.charAt(i);
      if (c == '%') {
        out.add(cur.toString());
        cur.setLength(0);
        i = parseCode(str, i + 1, out);
      } else {
        cur.append(c);
        i++;
      }
    }
    out.add(cur.toString());
    return out;
  }

  private static void need(String str, int i) {
    if (i >= str.length()) {
      throw new FormatException("Truncated format code.");
    }
  }

  private static int parseCode(String str, int i, List<Object> out) {
    need(str, i);
    @Nullable String mkey = null;
    if (str.charAt(i) == '(') {
      int j = i + 1;
      StringBuilder k = new StringBuilder();
      while (true) {
        need(str, j);
        char c = str.charAt(j);
        if (c == ')') {
          break;
        }
        k.append(c);
        j++;
      }
      mkey = k.toString();
      i = j + 1;
    }
    boolean alt = false;
    boolean zero = false;
    boolean left = false;
    boolean blank = false;
    boolean plus = false;
    while (true) {
      need(str, i);
      char c = str.charAt(i);
      if (c == '#') {
        alt = true;
      } else if (c == '0') {
        zero = true;
      } else if (c == '-') {
        left = true;
      } else if (c == ' ') {
        blank = true;
      } else if (c == '+') {
        plus = true;
      } else {
        break;
      }
      i++;
    }
    double[] fw = new double[1];
    i = parseWidth(str, i, fw);
    need(str, i);
    @Nullable Double prec = null;
    if (str.charAt(i) == '.') {
      double[] p = new double[1];
      i = parseWidth(str, i + 1, p);
      prec = p[0];
    }
    need(str, i);
    char m = str.charAt(i);
    if (m == 'h' || m == 'l' || m == 'L') {
      i++;
    }
    need(str, i);
    char c = str.charAt(i);
    char ctype = switch (c) {
      case 'd', 'i', 'u' -> 'd';
      case 'o' -> 'o';
      case 'x', 'X' -> 'x';
      case 'e', 'E' -> 'e';
      case 'f', 'F' -> 'f';
      case 'g', 'G' -> 'g';
      case 'c' -> 'c';
      case 's' -> 's';
      case '%' -> '%';
      default -> throw new FormatException("Unrecognised conversion type: " + c);
    };
    boolean caps = c == 'X' || c == 'E' || c == 'F' || c == 'G';
    out.add(new Code(mkey, alt, zero, left, blank, plus, fw[0], prec, ctype, caps));
    return i + 1;
  }

  private static int parseWidth(String str, int i, double[] into) {
    if (i < str.length() && str.charAt(i) == '*') {
      into[0] = STAR;
      return i + 1;
    }
    double v = 0;
    while (true) {
      need(str, i);
      char c = str.charAt(i);
      if (c < '0' || c > '9') {
        into[0] = v;
        return i;
      }
      v = v * 10 + (c - '0');
      i++;
    }
  }

  /** Formats parsed codes with the values. */
  static String format(List<Object> codes, Args args) {
    StringBuilder v = new StringBuilder();
    if (args.isObject()) {
      for (Object part : codes) {
        if (part instanceof String s) {
          v.append(s);
          continue;
        }
        Code code = (Code) part;
        if (Double.isNaN(code.fw())) {
          throw new FormatException("Cannot use * field width with object.");
        }
        if (code.prec() != null && Double.isNaN(code.prec())) {
          throw new FormatException("Cannot use * precision with object.");
        }
        String s;
        if (code.ctype() == '%') {
          s = "%";
        } else {
          if (code.mkey() == null) {
            throw new FormatException("Mapping keys required.");
          }
          if (!args.has(code.mkey())) {
            throw new FormatException("No such field: " + code.mkey());
          }
          s = formatCode(args.field(code.mkey()), code, code.fw(), code.prec(), code.mkey());
        }
        pad(v, s, code.fw(), code.left());
      }
      return v.toString();
    }
    int n = args.length();
    int j = 0;
    for (Object part : codes) {
      if (part instanceof String s) {
        v.append(s);
        continue;
      }
      Code code = (Code) part;
      double fw = code.fw();
      if (Double.isNaN(fw)) {
        if (j >= n) {
          throw new FormatException("Not enough values to format: " + n + ", expected at least " + j);
        }
        fw = number(args.at(j), "field width");
        j++;
      }
      @Nullable Double prec = code.prec();
      if (prec != null && Double.isNaN(prec)) {
        if (j >= n) {
          throw new FormatException("Not enough values to format: " + n + ", expected at least " + j);
        }
        prec = number(args.at(j), "precision");
        j++;
      }
      String s;
      if (code.ctype() == '%') {
        s = "%";
      } else {
        if (j >= n) {
          throw new FormatException("Not enough values to format: " + n + ", expected more than " + j);
        }
        s = formatCode(args.at(j), code, fw, prec, Integer.toString(j));
        j++;
      }
      pad(v, s, fw, code.left());
    }
    if (j < n) {
      throw new FormatException("Too many values to format: " + n + ", expected " + j);
    }
    return v.toString();
  }

  private static double number(@Nullable Object v, String what) {
    if (v instanceof Double d) {
      return d;
    }
    throw new FormatException("Format required number for the " + what + ", got " + typeOf(v));
  }

  static String typeOf(@Nullable Object v) {
    return switch (v) {
      case null -> "null";
      case Double d -> "number";
      case String s -> "string";
      case Boolean b -> "boolean";
      case List<?> l -> "array";
      case Map<?, ?> m -> "object";
      default -> "function";
    };
  }

  /** std.length of a string counts code points. */
  private static int length(CharSequence s) {
    return Character.codePointCount(s, 0, s.length());
  }

  /** The reference pads one character at a time while the missing width is positive. */
  private static void pad(StringBuilder out, String s, double w, boolean left) {
    int missing = (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.ceil(w - length(s))));
    if (left) {
      out.append(s).repeat(' ', missing);
    } else {
      out.repeat(' ', missing).append(s);
    }
  }

  private static String padLeft(String s, double w, char c) {
    int missing = (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.ceil(w - length(s))));
    return missing == 0 ? s : String.valueOf(c).repeat(missing) + s;
  }

  private static String formatCode(@Nullable Object val, Code code, double fw, @Nullable Double precOrNull, String i) {
    double fpprec = precOrNull != null ? precOrNull : 6;
    double iprec = precOrNull != null ? precOrNull : 0;
    double zp = code.zero() && !code.left() ? fw : 0;
    char t = code.ctype();
    if (t == 's') {
      return val instanceof String s ? s : CppJsonText.inline(val);
    }
    if (t == 'c') {
      if (val instanceof Double d) {
        return new String(Character.toChars(checkedCodepoint(d)));
      }
      if (val instanceof String s) {
        if (length(s) == 1) {
          return s;
        }
        throw new FormatException("%c expected 1-sized string got: " + length(s));
      }
      throw new FormatException("%c expected number / string, got: " + typeOf(val));
    }
    if (!(val instanceof Double d)) {
      throw new FormatException("Format required number at " + i + ", got " + typeOf(val));
    }
    double x = d;
    return switch (t) {
      case 'd' -> renderInt(x <= -1, Math.floor(Math.abs(x)), zp, iprec, code.blank(), code.plus(), 10, "");
      case 'o' -> renderInt(x <= -1, Math.floor(Math.abs(x)), zp, iprec, code.blank(), code.plus(), 8, code.alt() ? "0" : "");
      case 'x' -> renderHex(Math.floor(x), zp, iprec, code.blank(), code.plus(), code.alt(), code.caps());
      case 'f' -> renderFloatDec(x, zp, code.blank(), code.plus(), code.alt(), true, fpprec);
      case 'e' -> renderFloatSci(x, zp, code.blank(), code.plus(), code.alt(), true, code.caps(), fpprec);
      case 'g' -> {
        double exponent = Math.floor(log(Math.abs(x)) / log(10));
        if (exponent < -4 || exponent >= fpprec) {
          yield renderFloatSci(x, zp, code.blank(), code.plus(), code.alt(), code.alt(), code.caps(), fpprec - 1);
        }
        double digitsBeforePoint = Math.max(1, exponent + 1);
        yield renderFloatDec(x, zp, code.blank(), code.plus(), code.alt(), code.alt(), fpprec - digitsBeforePoint);
      }
      default -> throw new FormatException("Unknown code: " + t);
    };
  }

  private static int checkedCodepoint(double d) {
    if (d < 0 || d > Character.MAX_CODE_POINT || d != Math.floor(d)) {
      throw new FormatException("Codepoints must be >= 0 and <= " + Character.MAX_CODE_POINT + ", got " + CppNumbers.format(d));
    }
    return (int) d;
  }

  /** std.log: jsonnet refuses non-finite results ({@code std.log(0)}) with "overflow". */
  private static double log(double x) {
    double r = StrictMath.log(x);
    if (Double.isInfinite(r)) {
      throw new FormatException("overflow");
    }
    return r;
  }

  private static double pow10(double e) {
    double r = StrictMath.pow(10, e);
    if (Double.isInfinite(r)) {
      throw new FormatException("overflow");
    }
    return r;
  }

  /** The reference's render_int: sign and magnitude in a radix up to 10, zero-padded. */
  static String renderInt(boolean neg, double mag, double minChars, double minDigits, boolean blank, boolean plus,
      int radix, String zeroPrefix) {
    String dec;
    if (mag == 0) {
      dec = "0";
    } else {
      StringBuilder digits = new StringBuilder();
      for (double n = mag; n != 0; n = Math.floor(n / radix)) {
        digits.append((char) ('0' + (int) (n % radix)));
      }
      dec = zeroPrefix + digits.reverse();
    }
    double zp = minChars - (neg || blank || plus ? 1 : 0);
    double zp2 = Math.max(zp, minDigits);
    return (neg ? "-" : plus ? "+" : blank ? " " : "") + padLeft(dec, zp2, '0');
  }

  private static String renderHex(double n, double minChars, double minDigits, boolean blank, boolean plus,
      boolean addZeroX, boolean capitals) {
    String numerals = capitals ? "0123456789ABCDEF" : "0123456789abcdef";
    double mag = Math.floor(Math.abs(n));
    String hex;
    if (mag == 0) {
      hex = "0";
    } else {
      StringBuilder digits = new StringBuilder();
      for (double x = mag; x != 0; x = Math.floor(x / 16)) {
        digits.append(numerals.charAt((int) (x % 16)));
      }
      hex = digits.reverse().toString();
    }
    boolean neg = n < 0;
    double zp = minChars - (neg || blank || plus ? 1 : 0) - (addZeroX ? 2 : 0);
    double zp2 = Math.max(zp, minDigits);
    String hex2 = (addZeroX ? (capitals ? "0X" : "0x") : "") + padLeft(hex, zp2, '0');
    return (neg ? "-" : plus ? "+" : blank ? " " : "") + hex2;
  }

  private static String stripTrailingZero(String s) {
    int i = s.length() - 1;
    while (i >= 0 && s.charAt(i) == '0') {
      i--;
    }
    return s.substring(0, i + 1);
  }

  /** The reference's render_float_dec: rounds half up on the scaled magnitude, in doubles. */
  private static String renderFloatDec(double n, double zeroPad, boolean blank, boolean plus, boolean ensurePoint,
      boolean trailing, double prec) {
    double abs = Math.abs(n);
    double denominator = pow10(prec);
    double numerator = abs * denominator + 0.5;
    double whole = Math.signum(abs) * Math.floor(numerator / denominator);
    double frac = Math.floor(numerator) % denominator;
    int dotSize = prec == 0 && !ensurePoint ? 0 : 1;
    double zp = zeroPad - prec - dotSize;
    String str = renderInt(n < 0, whole, zp, 0, blank, plus, 10, "");
    if (prec == 0) {
      return ensurePoint ? str + "." : str;
    }
    if (trailing || frac > 0) {
      String fracStr = renderInt(false, frac, prec, 0, false, false, 10, "");
      return str + "." + (trailing ? fracStr : stripTrailingZero(fracStr));
    }
    return str;
  }

  private static String renderFloatSci(double n, double zeroPad, boolean blank, boolean plus, boolean ensurePoint,
      boolean trailing, boolean caps, double prec) {
    double exponent = n == 0 ? 0 : Math.floor(log(Math.abs(n)) / log(10));
    String suffix = (caps ? "E" : "e") + renderInt(exponent < 0, Math.abs(exponent), 3, 0, false, true, 10, "");
    // -324 is the smallest exponent; 10^-324 is 0 in doubles, so the reference divides in two steps.
    double mantissa = exponent == -324 ? n * 10 / pow10(exponent + 1) : n / pow10(exponent);
    return renderFloatDec(mantissa, zeroPad - suffix.length(), blank, plus, ensurePoint, trailing, prec) + suffix;
  }
}
