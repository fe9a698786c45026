package dev.vigil.promql.value;

import dev.vigil.promql.parser.PositionRange;

/**
 * A non-fatal finding of a query: a warning (the result may be wrong) or an info (it may not be
 * what was meant). Rendered as Prometheus's API renders it: {@code PromQL warning: MSG (L:C)}.
 */
public record Annotation(Severity severity, String message, PositionRange pos) {
  public enum Severity {
    WARNING("PromQL warning: "),
    INFO("PromQL info: ");

    private final String prefix;

    Severity(String prefix) {
      this.prefix = prefix;
    }

    public String prefix() {
      return prefix;
    }
  }

  /** The annotation as the API shows it, with the position of the expression in {@code query}. */
  public String render(String query) {
    String text = severity.prefix() + message;
    return pos == null || pos.start() < 0 ? text : text + " (" + pos.lineColumn(query) + ")";
  }
}
