package dev.vigil.collector.exposition;

import java.nio.charset.StandardCharsets;

/** Go's {@code %q} of raw bytes: how Prometheus shows offending input in its parse errors. */
final class GoQuoting {
  private GoQuoting() {}

  static String quote(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from + 8).append('"');
    int i = from;
    while (i < to) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20 || c == 0x7f) {
              sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
              sb.append((char) c);
            }
          }
        }
        i++;
      } else {
        int len = Utf8.sequenceLength(b, i, to);
        if (len <= 0) {
          sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          i++;
        } else {
          sb.append(new String(b, i, len, StandardCharsets.UTF_8));
          i += len;
        }
      }
    }
    return sb.append('"').toString();
  }
}
