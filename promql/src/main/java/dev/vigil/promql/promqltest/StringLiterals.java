package dev.vigil.promql.promqltest;

import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.StringLiteral;

/**
 * Quoted strings of test scripts ("...", '...', `...`): Go string syntax, which is exactly
 * PromQL's string literal syntax, so the PromQL parser reads them.
 */
final class StringLiterals {
  private StringLiterals() {}

  /**
   * The value of one quoted string literal.
   *
   * @throws IllegalArgumentException when {@code quoted} is not exactly one string literal
   */
  static String unquote(String quoted) {
    try {
      if (Parser.parseExpr(quoted) instanceof StringLiteral s) {
        return s.value();
      }
    } catch (ParseException e) {
      throw new IllegalArgumentException("invalid string literal " + quoted + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("not a single string literal: " + quoted);
  }
}
