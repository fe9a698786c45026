package dev.vigil.rules.eval;

import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.file.ExprValidator;

/**
 * Checks rule expressions with Vigil's PromQL parser, as promtool does with Prometheus's: the
 * stable language by default, experimental features only when asked for.
 */
public final class PromqlExprValidator implements ExprValidator {
  private final ParserOptions options;

  public PromqlExprValidator(ParserOptions options) {
    this.options = options;
  }

  public static PromqlExprValidator allFeatures() {
    return new PromqlExprValidator(ParserOptions.ALL_FEATURES);
  }

  @Override
  public String validate(String expr) {
    try {
      Parser.parseExpr(expr, options);
      return null;
    } catch (ParseException e) {
      return e.getMessage();
    }
  }
}
