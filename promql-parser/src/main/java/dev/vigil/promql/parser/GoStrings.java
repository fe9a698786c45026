package dev.vigil.promql.parser;

import java.nio.charset.StandardCharsets;

/**
 * Go's string quoting and unquoting, which PromQL inherits: {@code strconv.Quote} for printing
 * strings and error messages, and Go escape sequences for string literals.
 *
 * <p>Java strings cannot hold the invalid UTF-8 that {@code "\xff"} denotes in PromQL, so such
 * bytes are mapped to the lone surrogates U+DC80..U+DCFF ("surrogate escape") when unquoting and
 * mapped back to {@code \xNN} when quoting. Everyone else sees them as invalid label text.
 */
final class GoStrings {
  private GoStrings() {}

  /** {@code strconv.Quote(s)}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendQuoted(sb, s, '"');
    return sb.toString();
  }

  /** {@code %q} of a single rune, e.g. {@code '}'}; -1 (end of input) prints as U+FFFD. */
  static String quoteRune(int r) {
    StringBuilder sb = new StringBuilder();
    sb.append('\'');
    appendRune(sb, r < 0 ? 0xFFFD : r, '\'');
    sb.append('\'');
    return sb.toString();
  }

  /** {@code %#U}: {@code U+0063 'c'} (the character only when printable). */
  static String formatU(int r) {
    String hex = Integer.toHexString(r).toUpperCase(java.util.Locale.ROOT);
    String s = "U+" + "0".repeat(Math.max(0, 4 - hex.length())) + hex;
    return isPrint(r) ? s + " '" + new String(Character.toChars(r)) + "'" : s;
  }

  static void appendQuoted(StringBuilder sb, String s, char quote) {
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      appendRune(sb, r, quote);
    }
    sb.append(quote);
  }

  private static void appendRune(StringBuilder sb, int r, char quote) {
    if (r == quote || r == '\\') {
      sb.append('\\').appendCodePoint(r);
      return;
    }
    if (r >= 0xDC80 && r <= 0xDCFF) { // a surrogate-escaped invalid byte
      sb.append("\\x").append(hex2(r - 0xDC00));
      return;
    }
    if (r >= 0xD800 && r <= 0xDFFF) { // other lone surrogates: Go would print U+FFFD
      sb.append("\\ufffd");
      return;
    }
    if (isPrint(r)) {
      sb.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 0x07 -> sb.append("\\a");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case 0x0B -> sb.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7f) {
          sb.append("\\x").append(hex2(r));
        } else if (r < 0x10000) {
          String h = Integer.toHexString(r);
          sb.append("\\u").append("0".repeat(4 - h.length())).append(h);
        } else {
          String h = Integer.toHexString(r);
          sb.append("\\U").append("0".repeat(8 - h.length())).append(h);
        }
      }
    }
  }

  private static String hex2(int b) {
    String h = Integer.toHexString(b);
    return h.length() == 1 ? "0" + h : h;
  }

  /** Go's {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
  static boolean isPrint(int r) {
    if (r == ' ') {
      return true;
    }
    return switch (Character.getType(r)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  /**
   * Unquotes a string token as lexed (quotes included). The lexer has already validated the
   * escapes, so this never fails on lexer output.
   */
  static String unquote(String tok) {
    char q = tok.charAt(0);
    String body = tok.substring(1, tok.length() - 1);
    if (q == '`') {
      return body;
    }
    StringBuilder sb = new StringBuilder(body.length());
    byte[] pending = new byte[body.length()];
    int np = 0;
    for (int i = 0; i < body.length(); ) {
      char c = body.charAt(i);
      if (c != '\\') {
        np = flush(sb, pending, np);
        sb.append(c);
        i++;
        continue;
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> { np = flush(sb, pending, np); sb.append('\u0007'); }
        case 'b' -> { np = flush(sb, pending, np); sb.append('\b'); }
        case 'f' -> { np = flush(sb, pending, np); sb.append('\f'); }
        case 'n' -> { np = flush(sb, pending, np); sb.append('\n'); }
        case 'r' -> { np = flush(sb, pending, np); sb.append('\r'); }
        case 't' -> { np = flush(sb, pending, np); sb.append('\t'); }
        case 'v' -> { np = flush(sb, pending, np); sb.append('\u000b'); }
        case 'x' -> {
          pending[np++] = (byte) Integer.parseInt(body.substring(i, i + 2), 16);
          i += 2;
        }
        case 'u', 'U' -> {
          int n = e == 'u' ? 4 : 8;
          np = flush(sb, pending, np);
          sb.appendCodePoint(Integer.parseInt(body.substring(i, i + n), 16));
          i += n;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            pending[np++] = (byte) Integer.parseInt(body.substring(i - 1, i + 2), 8);
            i += 2;
          } else { // \\, \" or \'
            np = flush(sb, pending, np);
            sb.append(e);
          }
        }
      }
    }
    flush(sb, pending, np);
    return sb.toString();
  }

  /** Decodes escaped bytes as UTF-8, surrogate-escaping invalid bytes; returns 0. */
  private static int flush(StringBuilder sb, byte[] b, int n) {
    int i = 0;
    while (i < n) {
      int len = utf8SequenceLength(b, i, n);
      if (len == 0) {
        sb.append((char) (0xDC00 + (b[i] & 0xff)));
        i++;
      } else {
        sb.append(new String(b, i, len, StandardCharsets.UTF_8));
        i += len;
      }
    }
    return 0;
  }

  /** Length of the valid UTF-8 sequence at {@code b[i]}, or 0 when invalid. */
  private static int utf8SequenceLength(byte[] b, int i, int n) {
    int c = b[i] & 0xff;
    if (c < 0x80) {
      return 1;
    }
    int len;
    int min;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      min = 0x10000;
    } else {
      return 0;
    }
    if (i + len > n) {
      return 0;
    }
    int cp = c & (0x3F >> (len - 1));
    for (int k = 1; k < len; k++) {
      int cc = b[i + k] & 0xff;
      if ((cc & 0xC0) != 0x80) {
        return 0;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return 0;
    }
    return len;
  }
}
