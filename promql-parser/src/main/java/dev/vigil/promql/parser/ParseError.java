package dev.vigil.promql.parser;

import java.nio.charset.StandardCharsets;

/**
 * One parse error: where it is, what is wrong, and the query it is about.
 *
 * @param pos the offending range (character offsets into {@code query})
 * @param message the bare message, e.g. {@code unexpected <by>}
 */
public record ParseError(PositionRange pos, String message, String query) {

  /**
   * {@code line:col} of the start as Prometheus prints it: 1-based, the column counted in UTF-8
   * bytes since the last newline; {@code unknown position} for an empty query.
   */
  public String lineColumn() {
    if (query.isEmpty()) {
      return "unknown position";
    }
    int p = pos.start();
    if (p < 0 || p > query.length()) {
      return "invalid position";
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < p; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    int col = query.substring(lineStart, p).getBytes(StandardCharsets.UTF_8).length + 1;
    return line + ":" + col;
  }

  /** The query line holding the error and a caret under its first character, for terminals. */
  public String caret() {
    int p = Math.clamp(pos.start(), 0, query.length());
    int lineStart = query.lastIndexOf('\n', p - 1) + 1;
    int lineEnd = query.indexOf('\n', p);
    if (lineEnd < 0) {
      lineEnd = query.length();
    }
    String line = query.substring(lineStart, lineEnd);
    StringBuilder pad = new StringBuilder();
    for (int i = lineStart; i < p; i++) {
      pad.append(query.charAt(i) == '\t' ? '\t' : ' ');
    }
    int width = Math.max(1, Math.min(pos.end(), lineEnd) - p);
    return line + "\n" + pad + "^" + "~".repeat(width - 1);
  }

  /** Prometheus's {@code ParseErr.Error()}: {@code 1:14: parse error: unexpected <by>}. */
  @Override
  public String toString() {
    return lineColumn() + ": parse error: " + message;
  }
}
