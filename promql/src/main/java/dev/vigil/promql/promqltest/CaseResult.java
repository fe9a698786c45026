package dev.vigil.promql.promqltest;

/** The outcome of one {@code eval} of a script: one conformance case. */
public record CaseResult(String file, int line, String expr, boolean passed, String message) {
  /** {@code file:line} for reports. */
  public String location() {
    return file + ":" + line;
  }
}
