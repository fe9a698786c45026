package dev.vigil.promql.promqltest;

import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.engine.QueryException;
import dev.vigil.promql.engine.QueryResult;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.ParseException;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.Printer;
import dev.vigil.promql.value.Annotation;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.Value;
import dev.vigil.promql.value.Vector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Runs PromQL test scripts against Vigil's engine. Each {@code eval} is one case; a case passes
 * when every check Prometheus's runner makes passes: the result (values within a relative 1e-6),
 * the error for {@code expect fail}, the annotations, the order for {@code expect ordered}, and
 * for instant queries also the {@code @}-pinned variants and the same query in range mode.
 */
public final class PromqlTestRunner {
  private static final Pattern QUERY_CONTEXT_FUNCS = Pattern.compile("(start|end|range|step)\\(\\)");
  private static final long MINUTE = 60_000;

  private final Engine engine;
  private final long caseTimeoutMillis;

  public PromqlTestRunner(EngineOptions options, long caseTimeoutMillis) {
    this.engine = new Engine(options);
    this.caseTimeoutMillis = caseTimeoutMillis;
  }

  /** A runner with the engine settings of Prometheus's own test runner. */
  public static PromqlTestRunner withTestDefaults() {
    return new PromqlTestRunner(EngineOptions.forTests(), 30_000);
  }

  public FileResult runFile(Path file) throws IOException {
    return run(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Runs one script; {@code name} labels the cases. */
  public FileResult run(String name, String script) {
    List<Command> cmds;
    try {
      cmds = TestScriptParser.parse(script);
    } catch (ScriptException e) {
      return scriptFailure(name, script, e.getMessage());
    }
    InMemoryStorage storage = new InMemoryStorage();
    List<CaseResult> results = new ArrayList<>();
    String loadError = null;
    ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "promqltest-" + name);
      t.setDaemon(true);
      return t;
    });
    try {
      for (Command cmd : cmds) {
        switch (cmd) {
          case Command.Clear c -> {
            storage.clear();
            loadError = null;
          }
          case Command.Load l -> {
            try {
              load(storage, l);
            } catch (RuntimeException e) {
              loadError = "load at line " + l.line() + " failed: " + e.getMessage();
            }
          }
          case Command.Eval ev -> results.add(runCase(worker, name, storage, ev, loadError));
        }
      }
    } finally {
      worker.shutdownNow();
    }
    return new FileResult(name, results, null);
  }

  /** A script that cannot be read still counts its evals, all failed. */
  private static FileResult scriptFailure(String name, String script, String error) {
    List<CaseResult> results = new ArrayList<>();
    String[] lines = script.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith("eval")) {
        results.add(new CaseResult(name, i + 1, l, false, "script not readable: " + error));
      }
    }
    return new FileResult(name, results, error);
  }

  private static void load(InMemoryStorage storage, Command.Load l) {
    Appender app = storage.appender();
    for (SeriesDescription sd : l.series()) {
      long t = 0;
      for (int i = 0; i < sd.values().size(); i++) {
        SequenceValue v = sd.values().get(i);
        if (!v.omitted()) {
          long st = sd.startTimestamp(i, t);
          if (v.histogram() != null) {
            app.appendHistogramWithStart(0, sd.labels(), st, t, v.histogram());
          } else {
            app.appendWithStart(0, sd.labels(), st, t, v.value());
          }
        }
        t += l.intervalMillis();
      }
    }
    if (l.withNhcb()) {
      ClassicToNhcb.appendConverted(l.series(), l.intervalMillis(), app);
    }
    app.commit();
  }

  private CaseResult runCase(ExecutorService worker, String file, InMemoryStorage storage,
      Command.Eval ev, String loadError) {
    Future<String> f = worker.submit(() -> {
      if (ev.setupError != null) {
        return "invalid eval: " + ev.setupError;
      }
      if (loadError != null) {
        return loadError;
      }
      try {
        return ev.isRange() ? execRange(storage, ev) : execInstant(storage, ev);
      } catch (ParseException e) {
        return "parse error: " + e.getMessage();
      } catch (RuntimeException | StackOverflowError e) {
        return "internal error: " + e;
      }
    });
    String failure;
    try {
      failure = f.get(caseTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      failure = "timed out after " + caseTimeoutMillis + " ms";
    } catch (ExecutionException e) {
      failure = "internal error: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    }
    return new CaseResult(file, ev.line(), ev.expr(), failure == null, failure);
  }

  private String execRange(InMemoryStorage storage, Command.Eval ev) {
    Expr expr = Parser.parseExpr(ev.expr());
    QueryResult res;
    try {
      res = engine.rangeQuery(storage, expr, ev.start, ev.end, ev.step);
    } catch (QueryException e) {
      if (ev.isFail()) {
        return checkExpectedFailure(ev, e.getMessage());
      }
      return "error evaluating query: " + e.getMessage();
    }
    if (ev.isFail()) {
      return "expected error evaluating query but got none";
    }
    String a = checkAnnotations(ev, ev.expr(), res.annotations());
    if (a != null) {
      return a;
    }
    return ResultComparator.compare(ev, res.value());
  }

  private String execInstant(InMemoryStorage storage, Command.Eval ev) {
    Expr expr = Parser.parseExpr(ev.expr());
    String failure = runInstant(storage, ev, ev.expr(), expr, ev.evalTime);
    if (failure != null) {
      return failure;
    }
    Expr pinned = AtModifierVariants.pin(expr, ev.evalTime);
    if (pinned == null) {
      return null;
    }
    String pinnedText = Printer.print(pinned);
    Expr reparsed = Parser.parseExpr(pinnedText);
    for (long t : AtModifierVariants.evalTimes(ev.evalTime)) {
      failure = runInstant(storage, ev, pinnedText, reparsed, t);
      if (failure != null) {
        return "with @ modifier, at " + t + "ms: " + pinnedText + ": " + failure;
      }
    }
    return null;
  }

  private String runInstant(InMemoryStorage storage, Command.Eval ev, String text, Expr expr,
      long t) {
    QueryResult res;
    try {
      res = engine.instantQuery(storage, expr, t);
    } catch (QueryException e) {
      if (ev.isFail()) {
        return checkExpectedFailure(ev, e.getMessage());
      }
      return "error evaluating query: " + e.getMessage();
    }
    if (ev.isFail()) {
      return "expected error evaluating query but got none";
    }
    String failure = checkAnnotations(ev, text, res.annotations());
    if (failure == null) {
      failure = ResultComparator.compare(ev, res.value());
    }
    if (failure != null || ev.excludeFromRangeQuery || QUERY_CONTEXT_FUNCS.matcher(text).find()) {
      return failure;
    }
    QueryResult range;
    try {
      range = engine.rangeQuery(storage, expr, t - MINUTE, t + MINUTE, MINUTE);
    } catch (QueryException e) {
      return "error evaluating query in range mode: " + e.getMessage();
    }
    if (ev.isOrdered()) {
      return null;
    }
    if (!(range.value() instanceof Matrix mat)) {
      return "range query returned " + range.value().getClass().getSimpleName() + ", not a matrix";
    }
    String sorted = ResultComparator.assertSorted(mat);
    if (sorted != null) {
      return sorted;
    }
    List<Sample> vec = new ArrayList<>();
    for (RangeSeries s : mat.series()) {
      for (int i = 0; i < s.floatCount(); i++) {
        if (s.floatTimestamps()[i] == t) {
          vec.add(new Sample(s.labels(), t, s.floatValues()[i], null));
          break;
        }
      }
      for (int i = 0; i < s.histogramCount(); i++) {
        if (s.histogramTimestamps()[i] == t) {
          vec.add(new Sample(s.labels(), t, 0, s.histograms()[i]));
          break;
        }
      }
    }
    Value v = res.value();
    String cmp;
    if (v instanceof Scalar) {
      cmp = vec.isEmpty() ? "range mode returned no point at the evaluation time"
          : ResultComparator.compareScalar(ev, vec.getFirst().f());
    } else {
      cmp = ResultComparator.compare(ev, new Vector(vec));
    }
    return cmp == null ? null : "range mode: " + cmp;
  }

  private static String checkExpectedFailure(Command.Eval ev, String actual) {
    if (ev.expectedFailMessage != null && !ev.expectedFailMessage.isEmpty()
        && !ev.expectedFailMessage.equals(actual)) {
      return "expected error \"" + ev.expectedFailMessage + "\", but got: " + actual;
    }
    if (ev.expectedFailRegexp != null && !ev.expectedFailRegexp.matcher(actual).find()) {
      return "expected error matching pattern \"" + ev.expectedFailRegexp.pattern()
          + "\", but got: " + actual;
    }
    List<Command.Expectation> fail = ev.expects(Command.ExpectType.FAIL);
    if (!fail.isEmpty() && !fail.getFirst().matches(actual)) {
      return "expected error matching " + fail.getFirst().describe() + ", but got: " + actual;
    }
    return null;
  }

  private static String checkAnnotations(Command.Eval ev, String query, List<Annotation> annos) {
    List<String> warnings = new ArrayList<>();
    List<String> infos = new ArrayList<>();
    for (Annotation a : annos) {
      (a.severity() == Annotation.Severity.WARNING ? warnings : infos).add(a.render(query));
    }
    if (ev.legacyWarn && warnings.isEmpty()) {
      return "expected warnings but got none";
    }
    if (ev.legacyInfo && infos.isEmpty()) {
      return "expected info annotations but got none";
    }
    String w = validate(ev.expects(Command.ExpectType.WARN), warnings, "warn", annos, query);
    if (w != null) {
      return w;
    }
    String i = validate(ev.expects(Command.ExpectType.INFO), infos, "info", annos, query);
    if (i != null) {
      return i;
    }
    if (ev.expects.containsKey(Command.ExpectType.NO_WARN) && !warnings.isEmpty()) {
      return "unexpected warning annotations: " + warnings;
    }
    if (ev.expects.containsKey(Command.ExpectType.NO_INFO) && !infos.isEmpty()) {
      return "unexpected info annotations: " + infos;
    }
    return null;
  }

  private static String validate(List<Command.Expectation> expected, List<String> actual,
      String type, List<Annotation> all, String query) {
    if (expected.isEmpty()) {
      return null;
    }
    if (actual.isEmpty()) {
      return "expected " + type + " annotations but none were found";
    }
    for (Command.Expectation e : expected) {
      if (actual.stream().noneMatch(e::matches)) {
        return "expected " + type + " annotation matching " + e.describe()
            + " but no matching annotation was found, found: "
            + all.stream().map(a -> a.render(query)).toList();
      }
    }
    for (String a : actual) {
      if (expected.stream().noneMatch(e -> e.matches(a))) {
        return "unexpected " + type + " annotation \"" + a + "\" found";
      }
    }
    return null;
  }
}
