package dev.vigil.rules.file;

/**
 * A 1-based line and column in a rule file, as yaml.v3 reports them; {@code 0:0} means "not in
 * the file" (promtool prints that for a missing field).
 */
public record Position(int line, int column) {
  public static final Position NONE = new Position(0, 0);

  @Override
  public String toString() {
    return line + ":" + column;
  }
}
