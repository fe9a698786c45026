package dev.vigil.server.query;

import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.StorageException;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.engine.QueryException;
import dev.vigil.promql.engine.QueryResult;
import dev.vigil.promql.functions.FunctionException;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.promql.parser.Printer;
import dev.vigil.promql.value.Annotation;
import dev.vigil.server.api.ApiException;
import dev.vigil.server.api.ErrorType;
import dev.vigil.server.api.JsonWriter;
import dev.vigil.server.api.QueryLanguage;
import dev.vigil.server.api.QueryLimits;
import dev.vigil.server.api.QueryOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The real PromQL: Vigil's parser and engine. Errors map as Prometheus's API maps them: parse
 * errors are {@code bad_data} with {@code invalid parameter "query": ...}, timeouts
 * {@code timeout} (503), storage failures {@code internal} (500), everything else the engine
 * refuses {@code execution} (422).
 */
public final class PromqlLanguage implements QueryLanguage {
  private static final System.Logger LOG = System.getLogger(PromqlLanguage.class.getName());

  private final Engine engine;
  private final ParserOptions parserOptions;

  public PromqlLanguage(Engine engine, ParserOptions parserOptions) {
    this.engine = engine;
    this.parserOptions = parserOptions;
  }

  private Expr parse(String query) throws ApiException {
    try {
      return Parser.parseExpr(query, parserOptions);
    } catch (ParseException e) {
      throw ApiException.invalidParam("query", e.getMessage());
    }
  }

  /** The engine with the tenant's limits: the shared one unless a limit differs. */
  private Engine engineFor(QueryLimits limits) {
    EngineOptions o = engine.options();
    EngineOptions wanted = o;
    if (limits.maxSamples() > 0 && limits.maxSamples() != o.maxSamples()) {
      wanted = wanted.withMaxSamples(limits.maxSamples());
    }
    if (limits.timeout().isPositive() && !limits.timeout().equals(o.timeout())) {
      wanted = wanted.withTimeout(limits.timeout());
    }
    return wanted == o ? engine : new Engine(wanted); // an Engine is only its options
  }

  @Override
  public QueryOutcome instant(Queryable queryable, String query, long timeMillis)
      throws ApiException {
    return instant(queryable, query, timeMillis, QueryLimits.DEFAULTS);
  }

  @Override
  public QueryOutcome instant(Queryable queryable, String query, long timeMillis,
      QueryLimits limits) throws ApiException {
    long parsing = System.nanoTime();
    Expr expr = parse(query);
    long start = System.nanoTime();
    try {
      return outcome(engineFor(limits).instantQuery(queryable, expr, timeMillis), query, start,
          start - parsing);
    } catch (RuntimeException e) {
      throw mapFailure(e);
    }
  }

  @Override
  public QueryOutcome range(Queryable queryable, String query, long start, long end, long step)
      throws ApiException {
    return range(queryable, query, start, end, step, QueryLimits.DEFAULTS);
  }

  @Override
  public QueryOutcome range(Queryable queryable, String query, long start, long end, long step,
      QueryLimits limits) throws ApiException {
    long parsing = System.nanoTime();
    Expr expr = parse(query);
    long began = System.nanoTime();
    try {
      return outcome(engineFor(limits).rangeQuery(queryable, expr, start, end, step), query,
          began, began - parsing);
    } catch (RuntimeException e) {
      throw mapFailure(e);
    }
  }

  private static ApiException mapFailure(RuntimeException e) {
    if (e instanceof QueryException q) {
      String m = q.getMessage();
      if (m != null && m.startsWith("query timed out")) {
        return new ApiException(ErrorType.TIMEOUT, m, e);
      }
      if (m != null && m.startsWith("invalid expression type")) {
        return ApiException.invalidParam("query", m);
      }
      return new ApiException(ErrorType.EXECUTION, m, e);
    }
    if (e instanceof StorageException) {
      return new ApiException(ErrorType.INTERNAL, e.getMessage(), e);
    }
    if (e instanceof FunctionException) {
      return new ApiException(ErrorType.EXECUTION, e.getMessage(), e);
    }
    // A bug in the engine: logged with its stack, answered as Prometheus answers internal errors.
    LOG.log(System.Logger.Level.ERROR, "BUG: query evaluation failed", e);
    return new ApiException(ErrorType.INTERNAL, "internal error evaluating the query: " + e, e);
  }

  private static QueryOutcome outcome(QueryResult r, String query, long startNanos,
      long parseNanos) {
    long nanos = System.nanoTime() - startNanos;
    List<String> warnings = new ArrayList<>();
    List<String> infos = new ArrayList<>();
    for (Annotation a : r.annotations()) {
      (a.severity() == Annotation.Severity.WARNING ? warnings : infos).add(a.render(query));
    }
    return new QueryOutcome(r.value(), warnings, infos, r.samplesScanned(), r.peakSamples(),
        nanos, parseNanos);
  }

  @Override
  public String format(String query) throws ApiException {
    return Printer.pretty(parse(query));
  }

  @Override
  public void writeSyntaxTree(String query, JsonWriter out) throws ApiException {
    SyntaxTreeJson.write(parse(query), out);
  }

  @Override
  public List<List<Matcher>> selectors(String query) throws ApiException {
    try {
      return SelectorExtraction.of(Parser.parseExpr(query, parserOptions));
    } catch (ParseException e) {
      throw new ApiException(ErrorType.BAD_DATA, e.getMessage());
    }
  }

  @Override
  public List<Matcher> parseSelector(String selector) throws ApiException {
    try {
      return Parser.parseMetricSelector(selector);
    } catch (ParseException e) {
      throw new ApiException(ErrorType.BAD_DATA, e.getMessage());
    }
  }
}
