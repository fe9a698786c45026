package dev.vigil.rules.store;

import java.util.List;

/**
 * A posted rule group that Prometheus would reject (HTTP 400); the message lists every error as
 * promtool prints them, one per line.
 */
public final class InvalidRuleGroupException extends RuntimeException {
  private final List<String> errors;

  public InvalidRuleGroupException(List<String> errors) {
    super(String.join("\n", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
