package dev.vigil.rules.template;

import dev.vigil.rules.template.Value.BoolValue;
import dev.vigil.rules.template.Value.FloatValue;
import dev.vigil.rules.template.Value.FuncValue;
import dev.vigil.rules.template.Value.IntValue;
import dev.vigil.rules.template.Value.ListValue;
import dev.vigil.rules.template.Value.MapValue;
import dev.vigil.rules.template.Value.NilValue;
import dev.vigil.rules.template.Value.StringValue;
import dev.vigil.rules.template.Value.StructValue;
import dev.vigil.rules.template.Value.TimeValue;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

/** Go's {@code fmt} package as far as templates reach it: Sprint, Sprintln, Sprintf, %v. */
final class GoFmt {
  private GoFmt() {}

  static String quote(String s) {
    return GoStrings.quote(s);
  }

  /** Go's {@code %#U}: {@code U+002D '-'}. */
  static String unicodeVerb(int r) {
    String hex = String.format(Locale.ROOT, "U+%04X", r);
    return GoStrings.isPrint(r) ? hex + " '" + new String(Character.toChars(r)) + "'" : hex;
  }

  /** fmt.Sprint: spaces between operands when neither side is a string. */
  static String sprint(List<Value> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      boolean isString = args.get(i) instanceof StringValue;
      if (i > 0 && !isString && !(args.get(i - 1) instanceof StringValue)) {
        sb.append(' ');
      }
      sb.append(formatV(args.get(i), 0));
    }
    return sb.toString();
  }

  /** fmt.Sprintln: always spaces, trailing newline. */
  static String sprintln(List<Value> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(formatV(args.get(i), 0));
    }
    return sb.append('\n').toString();
  }

  /** The {@code %v} rendering of a value. */
  static String formatV(Value v, int depth) {
    return switch (v) {
      case NilValue n -> "<nil>";
      case BoolValue b -> Boolean.toString(b.value());
      case IntValue i -> Long.toString(i.value());
      case FloatValue f -> GoFloat.format(f.value(), 'g', -1);
      case StringValue s -> s.value();
      case ListValue l -> {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < l.items().size(); i++) {
          if (i > 0) {
            sb.append(' ');
          }
          sb.append(formatV(l.items().get(i), depth + 1));
        }
        yield sb.append(']').toString();
      }
      case MapValue m -> {
        StringBuilder sb = new StringBuilder("map[");
        boolean first = true;
        for (var e : m.entries().entrySet()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(e.getKey()).append(':').append(formatV(e.getValue(), depth + 1));
        }
        yield sb.append(']').toString();
      }
      case StructValue s -> {
        StringBuilder sb = new StringBuilder(s.pointer() && depth == 0 ? "&{" : "{");
        boolean first = true;
        for (Value f : s.fields().values()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(formatV(f, depth + 1));
        }
        yield sb.append('}').toString();
      }
      case TimeValue t -> formatTime(t);
      case FuncValue f -> "0x" + Integer.toHexString(System.identityHashCode(f.function()));
    };
  }

  /** Go's time.Time.String() for a UTC instant: 2006-01-02 15:04:05.999999999 +0000 UTC. */
  static String formatTime(TimeValue t) {
    ZonedDateTime z = t.instant().atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
        "%04d-%02d-%02d %02d:%02d:%02d", z.getYear(), z.getMonthValue(), z.getDayOfMonth(),
        z.getHour(), z.getMinute(), z.getSecond()));
    int nanos = z.getNano();
    if (nanos != 0) {
      String frac = String.format(Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
      sb.append('.').append(frac);
    }
    return sb.append(" +0000 UTC").toString();
  }

  // ---- Sprintf ------------------------------------------------------------------------------

  private static final class Spec {
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    int width = -1;
    int prec = -1;
  }

  static String sprintf(String format, List<Value> args) {
    StringBuilder out = new StringBuilder();
    int argNum = 0;
    int n = format.length();
    int i = 0;
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      Spec spec = new Spec();
      flags:
      while (i < n) {
        switch (format.charAt(i)) {
          case '-' -> {
            spec.minus = true;
            spec.zero = false;
          }
          case '+' -> spec.plus = true;
          case '#' -> spec.sharp = true;
          case ' ' -> spec.space = true;
          case '0' -> spec.zero = !spec.minus;
          default -> {
            break flags;
          }
        }
        i++;
      }
      if (i < n && format.charAt(i) == '*') {
        i++;
        if (argNum < args.size() && args.get(argNum) instanceof IntValue w) {
          spec.width = (int) w.value();
          if (spec.width < 0) {
            spec.minus = true;
            spec.width = -spec.width;
          }
        } else {
          out.append("%!(BADWIDTH)");
        }
        argNum++;
      } else {
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        if (i > start) {
          spec.width = Integer.parseInt(format.substring(start, i));
        }
      }
      if (i < n && format.charAt(i) == '.') {
        i++;
        if (i < n && format.charAt(i) == '*') {
          i++;
          if (argNum < args.size() && args.get(argNum) instanceof IntValue p) {
            spec.prec = (int) Math.max(p.value(), 0);
          } else {
            out.append("%!(BADPREC)");
          }
          argNum++;
        } else {
          int start = i;
          while (i < n && Character.isDigit(format.charAt(i))) {
            i++;
          }
          spec.prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
        }
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      int verb = format.codePointAt(i);
      i += Character.charCount(verb);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argNum >= args.size()) {
        out.append("%!").appendCodePoint(verb).append("(MISSING)");
        continue;
      }
      out.append(formatArg(args.get(argNum++), verb, spec));
    }
    if (argNum < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argNum; k < args.size(); k++) {
        if (k > argNum) {
          out.append(", ");
        }
        Value a = args.get(k);
        out.append(a instanceof NilValue ? "<nil>" : a.goType() + "=" + formatV(a, 0));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String badVerb(Value v, int verb) {
    StringBuilder sb = new StringBuilder("%!").appendCodePoint(verb).append('(');
    if (v instanceof NilValue) {
      sb.append("<nil>");
    } else {
      sb.append(v.goType()).append('=').append(formatV(v, 0));
    }
    return sb.append(')').toString();
  }

  private static String formatArg(Value v, int verb, Spec spec) {
    if (verb == 'T') {
      return pad(v instanceof NilValue ? "<nil>" : v.goType(), spec);
    }
    return switch (v) {
      case NilValue n -> verb == 'v' ? pad("<nil>", spec) : badVerb(v, verb);
      case BoolValue b -> verb == 'v' || verb == 't'
          ? pad(Boolean.toString(b.value()), spec) : badVerb(v, verb);
      case IntValue i -> formatInt(i.value(), verb, spec, v);
      case FloatValue f -> formatFloat(f.value(), verb, spec, v);
      case StringValue s -> formatString(s.value(), verb, spec, v);
      case ListValue l -> {
        if (verb == 'v' || verb == 's' || verb == 'd' || verb == 'f' || verb == 'g' || verb == 'q'
            || verb == 'x' || verb == 'e') {
          StringBuilder sb = new StringBuilder("[");
          for (int k = 0; k < l.items().size(); k++) {
            if (k > 0) {
              sb.append(' ');
            }
            sb.append(formatArg(l.items().get(k), verb, spec));
          }
          yield sb.append(']').toString();
        }
        yield badVerb(v, verb);
      }
      case MapValue m -> {
        StringBuilder sb = new StringBuilder("map[");
        boolean first = true;
        for (var e : m.entries().entrySet()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(formatArg(new StringValue(e.getKey()), verb, spec)).append(':')
              .append(formatArg(e.getValue(), verb, spec));
        }
        yield sb.append(']').toString();
      }
      case StructValue s -> {
        if (verb != 'v') {
          yield badVerb(v, verb);
        }
        if (!spec.plus) {
          yield pad(formatV(s, 0), spec);
        }
        // %+v names the fields.
        StringBuilder sb = new StringBuilder(s.pointer() ? "&{" : "{");
        boolean first = true;
        for (var f : s.fields().entrySet()) {
          if (!first) {
            sb.append(' ');
          }
          first = false;
          sb.append(f.getKey()).append(':').append(formatV(f.getValue(), 1));
        }
        yield pad(sb.append('}').toString(), spec);
      }
      case TimeValue t -> verb == 'v' || verb == 's' ? pad(formatTime(t), spec) : badVerb(v, verb);
      case FuncValue f -> verb == 'v' || verb == 'p' ? pad(formatV(f, 0), spec) : badVerb(v, verb);
    };
  }

  private static String formatInt(long x, int verb, Spec spec, Value v) {
    String digits;
    switch (verb) {
      case 'v', 'd' -> digits = Long.toString(Math.abs(x));
      case 'x' -> digits = Long.toHexString(Math.abs(x));
      case 'X' -> digits = Long.toHexString(Math.abs(x)).toUpperCase(Locale.ROOT);
      case 'o' -> digits = Long.toOctalString(Math.abs(x));
      case 'b' -> digits = Long.toBinaryString(Math.abs(x));
      case 'c' -> {
        return pad(new String(Character.toChars((int) x)), spec);
      }
      case 'q' -> {
        return pad(GoStrings.quoteRune((int) x), spec);
      }
      case 'U' -> {
        return pad(String.format(Locale.ROOT, "U+%04X", x), spec);
      }
      case 'e', 'E', 'f', 'F', 'g', 'G' -> {
        return badVerb(v, verb);
      }
      default -> {
        return badVerb(v, verb);
      }
    }
    if (x == Long.MIN_VALUE) {
      digits = digits.replace("-", "");
    }
    if (spec.prec >= 0) {
      while (digits.length() < spec.prec) {
        digits = "0" + digits;
      }
      if (spec.prec == 0 && x == 0) {
        digits = "";
      }
    }
    if (spec.sharp) {
      if (verb == 'x') {
        digits = "0x" + digits;
      } else if (verb == 'X') {
        digits = "0X" + digits;
      } else if (verb == 'o') {
        digits = "0" + digits;
      }
    }
    String sign = x < 0 ? "-" : spec.plus ? "+" : spec.space ? " " : "";
    return padNumber(sign, digits, spec.prec < 0 ? spec : noZero(spec));
  }

  private static Spec noZero(Spec spec) {
    Spec s = new Spec();
    s.minus = spec.minus;
    s.width = spec.width;
    return s;
  }

  private static String formatFloat(double x, int verb, Spec spec, Value v) {
    String s;
    switch (verb) {
      case 'v' -> s = GoFloat.format(x, 'g', spec.prec);
      case 'g', 'G', 'e', 'E' -> s = GoFloat.format(x, (char) verb,
          spec.prec >= 0 ? spec.prec : (verb == 'e' || verb == 'E' ? 6 : -1));
      case 'f', 'F' -> s = GoFloat.format(x, 'f', spec.prec >= 0 ? spec.prec : 6);
      default -> {
        return badVerb(v, verb);
      }
    }
    if (s.equals("NaN") || s.endsWith("Inf")) {
      String sign = s.startsWith("-") ? "-" : s.startsWith("+") && spec.plus ? "+"
          : s.startsWith("+") ? "+" : spec.plus ? "+" : spec.space ? " " : "";
      String body = s.replace("+", "").replace("-", "");
      return pad(sign + body, noZero(spec));
    }
    String sign = "";
    if (s.startsWith("-")) {
      sign = "-";
      s = s.substring(1);
    } else if (spec.plus) {
      sign = "+";
    } else if (spec.space) {
      sign = " ";
    }
    return padNumber(sign, s, spec);
  }

  private static String formatString(String s, int verb, Spec spec, Value v) {
    String t = s;
    if (spec.prec >= 0 && (verb == 's' || verb == 'v' || verb == 'q' || verb == 'x'
        || verb == 'X')) {
      int cps = t.codePointCount(0, t.length());
      if (cps > spec.prec) {
        t = t.substring(0, t.offsetByCodePoints(0, spec.prec));
      }
    }
    return switch (verb) {
      case 's', 'v' -> pad(t, spec);
      case 'q' -> pad(spec.sharp && t.indexOf('`') < 0 ? "`" + t + "`" : quote(t), spec);
      case 'x', 'X' -> {
        StringBuilder sb = new StringBuilder();
        for (byte b : t.getBytes(StandardCharsets.UTF_8)) {
          if (spec.space && !sb.isEmpty()) {
            sb.append(' ');
          }
          sb.append(String.format(Locale.ROOT, verb == 'x' ? "%02x" : "%02X", b & 0xff));
        }
        yield pad(sb.toString(), spec);
      }
      default -> badVerb(v, verb);
    };
  }

  private static String pad(String s, Spec spec) {
    int len = s.codePointCount(0, s.length());
    if (spec.width < 0 || len >= spec.width) {
      return s;
    }
    String fill = (spec.zero && !spec.minus ? "0" : " ").repeat(spec.width - len);
    return spec.minus ? s + fill : fill + s;
  }

  /** Zero padding goes between the sign and the digits. */
  private static String padNumber(String sign, String digits, Spec spec) {
    int len = sign.length() + digits.length();
    if (spec.width < 0 || len >= spec.width) {
      return sign + digits;
    }
    int fill = spec.width - len;
    if (spec.minus) {
      return sign + digits + " ".repeat(fill);
    }
    if (spec.zero) {
      return sign + "0".repeat(fill) + digits;
    }
    return " ".repeat(fill) + sign + digits;
  }
}
