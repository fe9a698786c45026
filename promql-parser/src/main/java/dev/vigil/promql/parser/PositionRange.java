package dev.vigil.promql.parser;

/**
 * Where a node stands in the query text: character offsets {@code [start, end)}. Parse errors and
 * engine annotations render it as {@code line:column} (both 1-based) of {@code start}.
 */
public record PositionRange(int start, int end) {
  public static final PositionRange NONE = new PositionRange(-1, -1);

  /** 1-based line and column of {@code start} in {@code query}, as {@code "line:col"}. */
  public String lineColumn(String query) {
    int line = 1;
    int col = 1;
    int limit = Math.min(Math.max(start, 0), query.length());
    for (int i = 0; i < limit; i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return line + ":" + col;
  }
}
