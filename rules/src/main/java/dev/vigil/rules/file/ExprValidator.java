package dev.vigil.rules.file;

import org.jspecify.annotations.Nullable;

/**
 * Checks a rule's PromQL expression. The rule-file loader calls it for every non-empty
 * {@code expr}; the PromQL parser plugs in here so that this package never depends on it.
 */
@FunctionalInterface
public interface ExprValidator {

  /**
   * @return the parser's error as Prometheus prints it (e.g.
   *     {@code 1:5: parse error: unexpected end of input}), or null if {@code expr} is valid
   */
  @Nullable String validate(String expr);

  /**
   * Accepts every expression. Used until the PromQL parser exists; with it, broken expressions
   * pass {@code check rules} unnoticed.
   */
  ExprValidator ACCEPT_ALL = expr -> null;
}
