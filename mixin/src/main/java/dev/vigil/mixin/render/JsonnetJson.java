package dev.vigil.mixin.render;

import java.util.List;
import java.util.Map;

/**
 * Writes a manifested value the way the C++ {@code jsonnet} prints it
 * ({@code std.manifestJsonEx(v, '   ')}, as {@code jsonnet -m} writes dashboards): three-space
 * indent, {@code "key": value}, empty containers as {@code { }} and {@code [ ]}, integral numbers
 * without a fraction. Non-ASCII characters are written as UTF-8, control characters escaped.
 */
public final class JsonnetJson {
  private JsonnetJson() {}

  public static String write(Object v) {
    StringBuilder sb = new StringBuilder(4096);
    write(sb, v, "");
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, String indent) {
    switch (v) {
      case null -> sb.append("null");
      case String s -> quote(sb, s);
      case Boolean b -> sb.append(b);
      case Double d -> sb.append(CppNumbers.format(d));
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          sb.append("{ }");
          return;
        }
        String inner = indent + "   ";
        sb.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(inner);
          quote(sb, (String) e.getKey());
          sb.append(": ");
          write(sb, e.getValue(), inner);
          sb.append(++i < m.size() ? ",\n" : "\n");
        }
        sb.append(indent).append('}');
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          sb.append("[ ]");
          return;
        }
        String inner = indent + "   ";
        sb.append("[\n");
        for (int i = 0; i < l.size(); i++) {
          sb.append(inner);
          write(sb, l.get(i), inner);
          sb.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        sb.append(indent).append(']');
      }
      default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }
  }

  static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) { // jsonnet also escapes DEL and the C1 controls
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
