package dev.vigil.rules.template;

/**
 * Go's {@code strconv.Quote} and {@code strconv.Unquote} for string and rune literals. Public
 * because Go-compatible error messages elsewhere quote values the same way.
 */
public final class GoStrings {
  private GoStrings() {}

  /**
   * strconv.Unquote for "..." (Go escapes), `...` (raw) and '.' (one rune).
   *
   * @throws IllegalArgumentException with Go's text "invalid syntax"
   */
  static String unquote(String s) {
    int n = s.length();
    if (n < 2) {
      throw new IllegalArgumentException("invalid syntax");
    }
    char q = s.charAt(0);
    if (q != s.charAt(n - 1)) {
      throw new IllegalArgumentException("invalid syntax");
    }
    String body = s.substring(1, n - 1);
    if (q == '`') {
      if (body.indexOf('`') >= 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      return body.replace("\r", "");
    }
    if (q != '"' && q != '\'') {
      throw new IllegalArgumentException("invalid syntax");
    }
    StringBuilder sb = new StringBuilder();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == q && q == '"') {
        throw new IllegalArgumentException("invalid syntax");
      }
      if (c == '\n') {
        throw new IllegalArgumentException("invalid syntax");
      }
      if (c != '\\') {
        flush(bytes, sb);
        sb.append(c);
        i++;
        continue;
      }
      if (i + 1 >= body.length()) {
        throw new IllegalArgumentException("invalid syntax");
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> append(bytes, sb, 7);
        case 'b' -> append(bytes, sb, 8);
        case 'f' -> append(bytes, sb, 12);
        case 'n' -> append(bytes, sb, '\n');
        case 'r' -> append(bytes, sb, '\r');
        case 't' -> append(bytes, sb, '\t');
        case 'v' -> append(bytes, sb, 11);
        case '\\' -> append(bytes, sb, '\\');
        case '\'', '"' -> {
          if (e != q) {
            throw new IllegalArgumentException("invalid syntax");
          }
          append(bytes, sb, e);
        }
        case 'x' -> {
          int v = hex(body, i, 2);
          i += 2;
          if (q == '\'') {
            append(bytes, sb, v);
          } else {
            bytes.write(v);
          }
        }
        case 'u' -> {
          append(bytes, sb, hex(body, i, 4));
          i += 4;
        }
        case 'U' -> {
          int v = hex(body, i, 8);
          if (v > Character.MAX_CODE_POINT) {
            throw new IllegalArgumentException("invalid syntax");
          }
          append(bytes, sb, v);
          i += 8;
        }
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          if (i + 2 > body.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          int v = Integer.parseInt(body.substring(i - 1, i + 2), 8);
          if (v > 255 || !body.substring(i, i + 2).matches("[0-7]{2}")) {
            throw new IllegalArgumentException("invalid syntax");
          }
          i += 2;
          bytes.write(v);
        }
        default -> throw new IllegalArgumentException("invalid syntax");
      }
    }
    flush(bytes, sb);
    if (q == '\'' && sb.codePointCount(0, sb.length()) != 1) {
      throw new IllegalArgumentException("invalid syntax");
    }
    return sb.toString();
  }

  private static int hex(String s, int at, int len) {
    if (at + len > s.length()) {
      throw new IllegalArgumentException("invalid syntax");
    }
    try {
      return Integer.parseUnsignedInt(s.substring(at, at + len), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid syntax", e);
    }
  }

  private static void append(java.io.ByteArrayOutputStream bytes, StringBuilder sb, int cp) {
    flush(bytes, sb);
    sb.appendCodePoint(cp);
  }

  /** Raw \x and octal escapes are bytes; runs of them are decoded as UTF-8 like Go strings. */
  private static void flush(java.io.ByteArrayOutputStream bytes, StringBuilder sb) {
    if (bytes.size() > 0) {
      sb.append(new String(bytes.toByteArray(), java.nio.charset.StandardCharsets.UTF_8));
      bytes.reset();
    }
  }

  /** strconv.Quote (and {@code %q}): printable runes kept, the rest escaped as Go does. */
  public static String quote(String s) {
    return quoteWith(s, '"');
  }

  static String quoteRune(int r) {
    return quoteWith(new String(Character.toChars(r)), '\'');
  }

  private static String quoteWith(String s, char q) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append(q);
    s.codePoints().forEach(r -> {
      if (r == q || r == '\\') {
        sb.append('\\').appendCodePoint(r);
      } else if (isPrint(r)) {
        sb.appendCodePoint(r);
      } else {
        switch (r) {
          case 7 -> sb.append("\\a");
          case 8 -> sb.append("\\b");
          case 12 -> sb.append("\\f");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case 11 -> sb.append("\\v");
          default -> {
            if (r < ' ' || r == 0x7f) {
              sb.append("\\x").append(String.format("%02x", r));
            } else if (r < 0x10000) {
              sb.append("\\u").append(String.format("%04x", r));
            } else {
              sb.append("\\U").append(String.format("%08x", r));
            }
          }
        }
      }
    });
    return sb.append(q).toString();
  }

  /** Approximates Go's unicode.IsPrint: graphic characters plus the ASCII space. */
  static boolean isPrint(int r) {
    if (r == ' ') {
      return true;
    }
    if (r < 0x20 || r == 0x7f) {
      return false;
    }
    int type = Character.getType(r);
    return switch (type) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
          Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }
}
