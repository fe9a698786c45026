package dev.vigil.collector.exposition;

/**
 * Bad exposition input. The message starts with {@code line:column} (1-based), followed by
 * Prometheus's wording of the problem and the offending text, so the same scrape gives the same
 * explanation in Vigil and Prometheus.
 */
public final class ExpositionParseException extends RuntimeException {
  private final int line;
  private final int column;

  public ExpositionParseException(int line, int column, String detail) {
    super(line + ":" + column + ": " + detail);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
