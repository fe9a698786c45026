package dev.vigil.mixin.render;

import java.util.List;
import java.util.Map;

/**
 * {@code std.manifestYamlDoc} with the output of the C++ jsonnet, whose mixin Makefiles produce
 * the rule files people commit. sjsonnet 0.4.9's version differs in the indentation of empty
 * lines inside block strings, which shows up as Git noise, so Vigil replaces it with this one.
 *
 * <p>Rules (from the reference implementation's documented output): keys and one-line strings
 * are JSON-quoted (unless {@code quoteKeys} is false and the key is a plain word), strings ending
 * in a newline become {@code |} blocks, empty containers print as {@code []} and {@code {}},
 * arrays inside objects are not indented unless asked.
 */
final class CppYaml {
  private CppYaml() {}

  static String manifestYamlDoc(Object v, boolean indentArrayInObject, boolean quoteKeys) {
    StringBuilder sb = new StringBuilder();
    aux(sb, v, "", indentArrayInObject, quoteKeys);
    return sb.toString();
  }

  private static boolean nonEmptyArray(Object v) {
    return v instanceof List<?> l && !l.isEmpty();
  }

  private static boolean nonEmptyObject(Object v) {
    return v instanceof Map<?, ?> m && !m.isEmpty();
  }

  private static void aux(StringBuilder sb, Object v, String cindent, boolean iaio, boolean qk) {
    switch (v) {
      case null -> sb.append("null");
      case Boolean b -> sb.append(b);
      case Double d -> sb.append(CppNumbers.format(d));
      case String s -> {
        if (s.isEmpty()) {
          sb.append("\"\"");
        } else if (s.charAt(s.length() - 1) == '\n') {
          sb.append('|');
          String[] lines = s.substring(0, s.length() - 1).split("\n", -1);
          for (String line : lines) {
            sb.append('\n').append(cindent).append("  ").append(line);
          }
        } else {
          JsonnetJson.quote(sb, s);
        }
      }
      case List<?> l -> {
        if (l.isEmpty()) {
          sb.append("[]");
          return;
        }
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            sb.append('\n').append(cindent);
          }
          Object x = l.get(i);
          sb.append('-');
          if (nonEmptyArray(x)) {
            String ni = cindent + "  ";
            sb.append('\n').append(ni);
            aux(sb, x, ni, iaio, qk);
          } else if (nonEmptyObject(x)) {
            sb.append(' ');
            aux(sb, x, cindent + "  ", iaio, qk);
          } else {
            sb.append(' ');
            aux(sb, x, cindent, iaio, qk);
          }
        }
      }
      case Map<?, ?> m -> {
        if (m.isEmpty()) {
          sb.append("{}");
          return;
        }
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append('\n').append(cindent);
          }
          first = false;
          String k = (String) e.getKey();
          if (qk || !plainKey(k)) {
            JsonnetJson.quote(sb, k);
          } else {
            sb.append(k);
          }
          sb.append(':');
          Object x = e.getValue();
          if (nonEmptyArray(x)) {
            String ni = iaio ? cindent + "  " : cindent;
            sb.append('\n').append(ni);
            aux(sb, x, ni, iaio, qk);
          } else if (nonEmptyObject(x)) {
            String ni = cindent + "  ";
            sb.append('\n').append(ni);
            aux(sb, x, ni, iaio, qk);
          } else {
            sb.append(' ');
            aux(sb, x, cindent, iaio, qk);
          }
        }
      }
      default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass());
    }
  }

  private static final java.util.Set<String> RESERVED = java.util.Set.of(
      "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~");

  /** With quote_keys=false, jsonnet leaves keys bare when they are safe YAML words. */
  private static boolean plainKey(String k) {
    return !k.isEmpty() && k.matches("[A-Za-z0-9_./-]+") && !k.matches("[0-9.+-].*")
        && !RESERVED.contains(k.toLowerCase(java.util.Locale.ROOT));
  }
}
