package dev.vigil.rules.eval;

/** A rule whose evaluation failed; the message is what Prometheus reports as the rule's error. */
public final class RuleEvaluationException extends RuntimeException {
  public RuleEvaluationException(String message) {
    super(message);
  }

  public RuleEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
