package dev.vigil.mixin.lint;

/** One lint result: where (file and object), what is wrong and how to fix it. */
public record Finding(Severity severity, String where, String message, String hint) {
  public enum Severity { ERROR, WARNING }

  @Override
  public String toString() {
    return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + where + ": " + message
        + (hint.isEmpty() ? "" : "\n  hint: " + hint);
  }
}
