package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Queryable;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.QueryException;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.Vector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link RuleQuery} over Vigil's engine and one store, as Prometheus's {@code EngineQueryFunc}:
 * vectors pass through, a scalar becomes a one-sample vector without labels, anything else is
 * an error. Parsed expressions are cached per text (rules repeat the same few queries).
 */
public final class EngineRuleQuery implements RuleQuery {
  private final Engine engine;
  private final Queryable storage;
  private final Map<String, Expr> parsed = new HashMap<>();

  public EngineRuleQuery(Engine engine, Queryable storage) {
    this.engine = engine;
    this.storage = storage;
  }

  @Override
  public List<Sample> query(String expr, long timeMillis) {
    Expr e;
    synchronized (parsed) {
      e = parsed.get(expr);
      if (e == null) {
        try {
          e = Parser.parseExpr(expr);
        } catch (ParseException ex) {
          throw new RuleEvaluationException(ex.getMessage(), ex);
        }
        parsed.put(expr, e);
      }
    }
    try {
      return switch (engine.instantQuery(storage, e, timeMillis).value()) {
        case Vector v -> v.samples();
        case Scalar s -> List.of(Sample.ofFloat(Labels.EMPTY, s.t(), s.v()));
        default -> throw new RuleEvaluationException("rule result is not a vector or scalar");
      };
    } catch (QueryException ex) {
      throw new RuleEvaluationException(ex.getMessage(), ex);
    }
  }
}
