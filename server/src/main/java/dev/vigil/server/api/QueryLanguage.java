package dev.vigil.server.api;

import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Queryable;
import java.util.List;

/**
 * Everything the API needs from PromQL, so the HTTP and JSON layer can be built and tested
 * without the engine. Errors are {@link ApiException}s whose message is Prometheus's text,
 * e.g. {@code invalid parameter "query": 1:5: parse error: ...} with {@link ErrorType#BAD_DATA}.
 */
public interface QueryLanguage {
  /** Evaluates {@code query} at {@code timeMillis}. */
  QueryOutcome instant(Queryable queryable, String query, long timeMillis) throws ApiException;

  /** Evaluates {@code query} from {@code start} to {@code end} every {@code step} ms. */
  QueryOutcome range(Queryable queryable, String query, long start, long end, long step)
      throws ApiException;

  /** {@link #instant} under the tenant's limits; languages without limits ignore them. */
  default QueryOutcome instant(Queryable queryable, String query, long timeMillis,
      QueryLimits limits) throws ApiException {
    return instant(queryable, query, timeMillis);
  }

  /** {@link #range} under the tenant's limits; languages without limits ignore them. */
  default QueryOutcome range(Queryable queryable, String query, long start, long end, long step,
      QueryLimits limits) throws ApiException {
    return range(queryable, query, start, end, step);
  }

  /** The canonical text of {@code query} (format_query). */
  String format(String query) throws ApiException;

  /** Writes the syntax tree of {@code query} as JSON (parse_query). */
  void writeSyntaxTree(String query, JsonWriter out) throws ApiException;

  /**
   * The matcher sets of every vector selector of {@code query} (Prometheus's
   * {@code parser.ExtractSelectors}), for {@code /api/v1/query_exemplars}. A query that does not
   * parse is {@link ErrorType#BAD_DATA} with the parser's message as is (Prometheus does not
   * prefix it with the parameter name there).
   */
  List<List<Matcher>> selectors(String query) throws ApiException;

  /** The matchers of a series selector such as {@code up{job="x"}} (match[] parameters). */
  List<Matcher> parseSelector(String selector) throws ApiException;
}
