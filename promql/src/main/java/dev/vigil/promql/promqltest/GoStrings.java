package dev.vigil.promql.promqltest;

/** Go's {@code strconv.Unquote} for the quoted strings of test scripts ("...", '...', `...`). */
final class GoStrings {
  private GoStrings() {}

  /**
   * Unquotes a complete Go string literal.
   *
   * @throws IllegalArgumentException when {@code s} is not one quoted literal
   */
  static String unquote(String s) {
    if (s.length() < 2) {
      throw new IllegalArgumentException("not a quoted string: " + s);
    }
    char q = s.charAt(0);
    if (s.charAt(s.length() - 1) != q || (q != '"' && q != '\'' && q != '`')) {
      throw new IllegalArgumentException("not a quoted string: " + s);
    }
    String body = s.substring(1, s.length() - 1);
    if (q == '`') {
      if (body.indexOf('`') >= 0) {
        throw new IllegalArgumentException("not a quoted string: " + s);
      }
      return body;
    }
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == q) {
        throw new IllegalArgumentException("unescaped quote in " + s);
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= body.length()) {
        throw new IllegalArgumentException("trailing backslash in " + s);
      }
      char e = body.charAt(i);
      switch (e) {
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'v' -> out.append('\u000b');
        case '\\', '"', '\'' -> out.append(e);
        case 'x' -> {
          out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'U' -> {
          out.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 9), 16));
          i += 8;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            out.append((char) Integer.parseInt(body.substring(i, i + 3), 8));
            i += 2;
          } else {
            throw new IllegalArgumentException("unknown escape \\" + e + " in " + s);
          }
        }
      }
    }
    return out.toString();
  }
}
