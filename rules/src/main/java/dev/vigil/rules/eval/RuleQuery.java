package dev.vigil.rules.eval;

import dev.vigil.promql.value.Sample;
import java.util.List;

/** Runs a rule's instant query; the ruler adapts the PromQL engine and a tenant's storage to it. */
@FunctionalInterface
public interface RuleQuery {
  /**
   * @return the instant vector (a scalar result becomes one sample with no labels)
   * @throws RuleEvaluationException when the query fails or returns another type
   */
  List<Sample> query(String expr, long timeMillis);
}
