package dev.vigil.promql.parser;

import java.util.List;

/**
 * A query that does not parse or type-check. Holds every error found, in the order found; the
 * message is the first one, as Prometheus's {@code ParseErrors.Error()} renders it.
 */
public final class ParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<ParseError> errors;

  public ParseException(List<ParseError> errors) {
    super(errors.isEmpty() ? "error contains no error message" : errors.getFirst().toString());
    this.errors = List.copyOf(errors);
  }

  public List<ParseError> errors() {
    return errors;
  }

  /** The first error with its caret snippet, for CLI output. */
  public String caretMessage() {
    if (errors.isEmpty()) {
      return getMessage();
    }
    ParseError e = errors.getFirst();
    return e + "\n" + e.caret();
  }
}
