package dev.vigil.rules.template;

import java.util.List;

/**
 * Runs an instant PromQL query for the {@code query} template function. The rules engine adapts
 * the PromQL engine to this interface; template code never sees the engine.
 */
@FunctionalInterface
public interface QueryFunction {

  /**
   * @param timeMillis evaluation timestamp of the rule, in Unix milliseconds
   * @return the resulting instant vector
   * @throws TemplateFunctionException when the query fails; its message reaches the template
   *     error as "error calling query: MESSAGE"
   */
  List<QuerySample> query(String expr, long timeMillis) throws TemplateFunctionException;

  /** For contexts without an engine (rule checking, unit tests without storage). */
  QueryFunction UNAVAILABLE = (expr, t) -> {
    throw new TemplateFunctionException("no query engine available to run " + GoFmt.quote(expr));
  };
}
