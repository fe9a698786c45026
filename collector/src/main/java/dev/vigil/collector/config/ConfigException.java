package dev.vigil.collector.config;

/**
 * An invalid configuration. {@code line} and {@code column} are 1-based and point at the YAML
 * node at fault (0 when the problem is not tied to one node, e.g. a cross-field check of a job).
 */
public final class ConfigException extends IllegalArgumentException {
  private final int line;
  private final int column;
  private final String detail;

  public ConfigException(int line, int column, String detail) {
    super(line > 0 ? line + ":" + column + ": " + detail : detail);
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  /** The message without the position. */
  public String detail() {
    return detail;
  }
}
