package dev.vigil.server.api;

import dev.vigil.promql.functions.GoFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A streaming JSON writer into a growable byte buffer, with Prometheus's number conventions:
 * sample values as strings in Go's {@code 'f'} format ({@code "NaN"}, {@code "+Inf"},
 * {@code "-Inf"}), timestamps as seconds with up to three decimals. Commas are inserted
 * automatically. Reusable ({@link #reset()}); not thread-safe.
 */
public final class JsonWriter {
  private byte[] buf = new byte[4096];
  private int len;
  // One bit per nesting level: whether the next value at that level needs a comma first.
  private long needComma;
  private int depth;
  private boolean afterName;

  public JsonWriter reset() {
    len = 0;
    needComma = 0;
    depth = 0;
    afterName = false;
    return this;
  }

  public JsonWriter beginObject() {
    beforeValue();
    put((byte) '{');
    push();
    return this;
  }

  public JsonWriter endObject() {
    pop();
    put((byte) '}');
    return this;
  }

  public JsonWriter beginArray() {
    beforeValue();
    put((byte) '[');
    push();
    return this;
  }

  public JsonWriter endArray() {
    pop();
    put((byte) ']');
    return this;
  }

  public JsonWriter name(String name) {
    beforeValue();
    quoted(name);
    put((byte) ':');
    afterName = true;
    return this;
  }

  public JsonWriter value(String s) {
    beforeValue();
    if (s == null) {
      ascii("null");
    } else {
      quoted(s);
    }
    return this;
  }

  public JsonWriter value(boolean b) {
    beforeValue();
    ascii(b ? "true" : "false");
    return this;
  }

  public JsonWriter value(long v) {
    beforeValue();
    ascii(Long.toString(v));
    return this;
  }

  public JsonWriter nullValue() {
    beforeValue();
    ascii("null");
    return this;
  }

  /** A float sample value as Prometheus writes it: a string in plain decimal notation. */
  public JsonWriter sampleValue(double v) {
    beforeValue();
    put((byte) '"');
    appendFloat(v);
    put((byte) '"');
    return this;
  }

  /**
   * A millisecond timestamp as seconds, as Prometheus's {@code jsonutil.MarshalTimestamp}: the
   * sign, whole seconds, then a three-digit fraction only when it is not zero ({@code 1.5} s is
   * {@code 1.500}).
   */
  public JsonWriter timestamp(long millis) {
    beforeValue();
    long t = millis;
    if (t < 0) {
      put((byte) '-');
      t = -t; // Long.MIN_VALUE stays negative; no real timestamp is that small
    }
    ascii(Long.toString(t / 1000));
    int ms = (int) Math.abs(t % 1000);
    if (ms != 0) {
      put((byte) '.');
      put((byte) ('0' + ms / 100));
      put((byte) ('0' + ms / 10 % 10));
      put((byte) ('0' + ms % 10));
    }
    return this;
  }

  /** Appends an already-encoded JSON value verbatim. */
  public JsonWriter raw(String json) {
    beforeValue();
    ascii(json);
    return this;
  }

  /**
   * Prometheus's {@code jsonutil.MarshalFloat}: Go's shortest round-trip digits, in {@code 'f'}
   * notation unless {@code |v| < 1e-6} or {@code |v| >= 1e21}, then {@code 'e'} ({@code 1e+21}).
   */
  void appendFloat(double v) {
    if (Double.isNaN(v)) {
      ascii("NaN");
      return;
    }
    if (Double.isInfinite(v)) {
      ascii(v > 0 ? "+Inf" : "-Inf");
      return;
    }
    double abs = Math.abs(v);
    if (v == (long) v && abs < 1e15) {
      ascii(v == 0 && 1 / v < 0 ? "-0" : Long.toString((long) v));
      return;
    }
    BigDecimal d = GoFormat.shortest(v);
    if (abs >= 1e-6 && abs < 1e21) {
      ascii(d.toPlainString());
      return;
    }
    String digits = d.unscaledValue().abs().toString();
    int exp = digits.length() - 1 - d.scale();
    if (v < 0) {
      put((byte) '-');
    }
    put((byte) digits.charAt(0));
    if (digits.length() > 1) {
      put((byte) '.');
      ascii(digits.substring(1));
    }
    put((byte) 'e');
    put((byte) (exp < 0 ? '-' : '+'));
    int e = Math.abs(exp);
    if (e < 10) {
      put((byte) '0');
    }
    ascii(Integer.toString(e));
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      long bit = 1L << (depth - 1);
      if ((needComma & bit) != 0) {
        put((byte) ',');
      } else {
        needComma |= bit;
      }
    }
  }

  private void push() {
    if (depth == 64) {
      throw new IllegalStateException("JSON nested deeper than 64 levels");
    }
    depth++;
    needComma &= ~(1L << (depth - 1));
  }

  private void pop() {
    if (depth == 0) {
      throw new IllegalStateException("unbalanced JSON end");
    }
    depth--;
  }

  private void quoted(String s) {
    put((byte) '"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        put((byte) c);
      } else if (c == '"' || c == '\\') {
        put((byte) '\\');
        put((byte) c);
      } else if (c == '\n') {
        ascii("\\n");
      } else if (c == '\r') {
        ascii("\\r");
      } else if (c == '\t') {
        ascii("\\t");
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
        // Go's encoding/json escapes these too (HTML safety, JS line separators).
        ascii("\\u");
        String hex = Integer.toHexString(c);
        for (int p = hex.length(); p < 4; p++) {
          put((byte) '0');
        }
        ascii(hex);
      } else if (c < 0x80) {
        put((byte) c);
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        utf8(Character.toCodePoint(c, s.charAt(++i)));
      } else if (Character.isSurrogate(c)) {
        utf8(0xfffd);
      } else {
        utf8(c);
      }
    }
    put((byte) '"');
  }

  private void utf8(int cp) {
    if (cp < 0x800) {
      put((byte) (0xc0 | cp >> 6));
      put((byte) (0x80 | cp & 0x3f));
    } else if (cp < 0x10000) {
      put((byte) (0xe0 | cp >> 12));
      put((byte) (0x80 | cp >> 6 & 0x3f));
      put((byte) (0x80 | cp & 0x3f));
    } else {
      put((byte) (0xf0 | cp >> 18));
      put((byte) (0x80 | cp >> 12 & 0x3f));
      put((byte) (0x80 | cp >> 6 & 0x3f));
      put((byte) (0x80 | cp & 0x3f));
    }
  }

  private void ascii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void put(byte b) {
    if (len == buf.length) {
      ensure(1);
    }
    buf[len++] = b;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  public int length() {
    return len;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, len);
  }

  @Override
  public String toString() {
    return new String(buf, 0, len, StandardCharsets.UTF_8);
  }
}
