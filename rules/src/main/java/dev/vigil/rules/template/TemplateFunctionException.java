package dev.vigil.rules.template;

/** An error returned by a template function; Go reports it as "error calling NAME: MESSAGE". */
public final class TemplateFunctionException extends Exception {
  private static final long serialVersionUID = 1L;

  public TemplateFunctionException(String message) {
    super(message);
  }
}
