package dev.vigil.mixin.render;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The two JSON texts the reference jsonnet builds inside a program, for manifested values (maps
 * with sorted keys, lists, strings, doubles, booleans, null):
 *
 * <ul>
 *   <li>{@link #inline}: what {@code '' + v} and {@code std.toString(v)} give for a non-string,
 *       {@code [1, {"a": "x"}]} on one line, empty containers as {@code [ ]} and {@code { }};
 *   <li>{@link #manifestJsonEx}: {@code std.manifestJsonEx(v, indent, newline, key_val_sep)},
 *       whose empty containers are {@code [} newline newline {@code ]}.
 * </ul>
 *
 * Numbers are printed as the reference does ({@link CppNumbers}: 17 significant digits), strings
 * escaped as {@code std.escapeStringJson}.
 */
final class CppJsonText {
  private CppJsonText() {}

  /** @throws CppFormat.FormatException for a function, which has no text */
  static String inline(@Nullable Object v) {
    StringBuilder sb = new StringBuilder();
    inline(sb, v);
    return sb.toString();
  }

  private static void inline(StringBuilder sb, @Nullable Object v) {
    switch (v) {
      case null -> sb.append("null");
      case List<?> l -> {
        if (l.isEmpty()) {
          sb.append("[ ]");
          return;
        }
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append(", ");
          }
          inline(sb, l.get(i));
        }
        sb.append(']');
      }
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          sb.append("{ }");
          return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          JsonnetJson.quote(sb, (String) e.getKey());
          sb.append(": ");
          inline(sb, e.getValue());
        }
        sb.append('}');
      }
      default -> scalar(sb, v);
    }
  }

  private static void scalar(StringBuilder sb, @Nullable Object v) {
    switch (v) {
      case null -> sb.append("null");
      case String s -> JsonnetJson.quote(sb, s);
      case Double d -> sb.append(CppNumbers.format(d));
      case Boolean b -> sb.append(b);
      case CppFormat.FunctionValue f -> throw new CppFormat.FormatException("couldn't manifest function in JSON output.");
      default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }
  }

  static String manifestJsonEx(@Nullable Object v, String indent, String newline, String keyValueSeparator) {
    StringBuilder sb = new StringBuilder();
    manifest(sb, v, "", indent, newline, keyValueSeparator);
    return sb.toString();
  }

  private static void manifest(StringBuilder sb, @Nullable Object v, String cindent, String indent, String newline, String sep) {
    switch (v) {
      case null -> sb.append("null");
      case List<?> l -> {
        String inner = cindent + indent;
        sb.append('[').append(newline);
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append(',').append(newline);
          }
          sb.append(inner);
          manifest(sb, l.get(i), inner, indent, newline, sep);
        }
        sb.append(newline).append(cindent).append(']');
      }
      case Map<?, ?> m -> {
        String inner = cindent + indent;
        sb.append('{').append(newline);
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append(',').append(newline);
          }
          first = false;
          sb.append(inner);
          JsonnetJson.quote(sb, (String) e.getKey());
          sb.append(sep);
          manifest(sb, e.getValue(), inner, indent, newline, sep);
        }
        sb.append(newline).append(cindent).append('}');
      }
      default -> scalar(sb, v);
    }
  }
}
