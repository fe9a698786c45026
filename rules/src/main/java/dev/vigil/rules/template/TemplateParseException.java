package dev.vigil.rules.template;

/**
 * A template that Go's {@code text/template} would reject at parse time. The message is Go's,
 * e.g. {@code template: __alert_X:1: function "humanise" not defined}.
 */
public final class TemplateParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateParseException(String message) {
    super(message);
  }
}
