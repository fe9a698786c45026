package dev.vigil.promql.promqltest;

/** A malformed test script line; the message names the line and what is wrong. */
public final class ScriptException extends RuntimeException {
  private final int line;

  public ScriptException(int line, String message) {
    super(line > 0 ? line + ": " + message : message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
