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

  /** An error in a binary body, located by byte offset (line and column are 0). */
  public static ExpositionParseException atByte(long offset, String detail) {
    return new ExpositionParseException("byte " + offset + ": " + detail);
  }

  private ExpositionParseException(String message) {
    super(message);
    this.line = 0;
    this.column = 0;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
