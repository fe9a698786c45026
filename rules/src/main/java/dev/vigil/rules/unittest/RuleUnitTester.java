package dev.vigil.rules.unittest;

import dev.vigil.model.histogram.HistogramNotation;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.promqltest.ScriptException;
import dev.vigil.promql.promqltest.SequenceValue;
import dev.vigil.promql.promqltest.SeriesDescription;
import dev.vigil.promql.promqltest.SeriesDescriptionParser;
import dev.vigil.promql.value.Sample;
import dev.vigil.rules.duration.PromDuration;
import dev.vigil.rules.eval.Alert;
import dev.vigil.rules.eval.AlertState;
import dev.vigil.rules.eval.EngineRuleQuery;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.eval.RuleEvalOptions;
import dev.vigil.rules.eval.RuleEvaluationException;
import dev.vigil.rules.eval.RuleGroupEvaluator;
import dev.vigil.rules.eval.RuleStatus;
import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.rules.file.RuleGroup;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs promtool-format rule unit tests. Like {@code promtool test rules}: input series are
 * appended lazily up to each evaluation time, every group is evaluated at every evaluation
 * interval (groups named in {@code group_eval_order} first, in that order, then the others in
 * file order), alerts are compared at the evaluation step covering each {@code eval_time}, and
 * PromQL expectations are checked at the end. One test group is one case.
 */
public final class RuleUnitTester {
  private final PrintWriter out;

  /** Cases of one run. */
  public record Summary(int passed, int failed, boolean fileErrors) {
    public int exitCode() {
      return failed == 0 && !fileErrors ? 0 : 1;
    }
  }

  public RuleUnitTester(PrintWriter out) {
    this.out = out;
  }

  public Summary run(List<Path> files) {
    int passed = 0;
    int failed = 0;
    boolean fileErrors = false;
    for (Path f : files) {
      out.println("Unit Testing:  " + f);
      List<String> fileErrs = new ArrayList<>();
      List<List<String>> groupErrs = runFile(f, fileErrs);
      if (!fileErrs.isEmpty()) {
        fileErrors = true;
        out.println("  FAILED:");
        fileErrs.forEach(e -> out.println(indent(e, "    ")));
        out.println();
        continue;
      }
      List<String> all = new ArrayList<>();
      for (List<String> errs : groupErrs) {
        if (errs.isEmpty()) {
          passed++;
        } else {
          failed++;
          all.addAll(errs);
        }
      }
      if (all.isEmpty()) {
        out.println("  SUCCESS");
      } else {
        out.println("  FAILED:");
        for (String e : all) {
          out.println(e);
        }
      }
      out.println();
    }
    out.printf("%d passed, %d failed%n", passed, failed);
    out.flush();
    return new Summary(passed, failed, fileErrors);
  }

  /** Errors per test group; file-level problems go to {@code fileErrs}. */
  private List<List<String>> runFile(Path file, List<String> fileErrs) {
    RuleTestFile tf;
    try {
      tf = RuleTestFile.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      fileErrs.add("cannot read " + file + ": " + e.getMessage());
      return List.of();
    } catch (TestFileException e) {
      fileErrs.add(file + ": " + e.getMessage());
      return List.of();
    }
    List<RuleGroup> groups = new ArrayList<>();
    RuleFileLoader loader = new RuleFileLoader(PromqlExprValidator.allFeatures());
    for (Path rf : resolveRuleFiles(file, tf.ruleFiles(), fileErrs)) {
      switch (loader.load(rf)) {
        case LoadResult.Loaded l -> groups.addAll(l.file().groups());
        case LoadResult.Failed fl -> fileErrs.addAll(fl.errors());
      }
    }
    if (!fileErrs.isEmpty()) {
      return List.of();
    }
    groups = ordered(groups, tf.groupEvalOrder());
    List<List<String>> results = new ArrayList<>();
    for (RuleTestFile.TestGroup g : tf.tests()) {
      List<String> errs = new ArrayList<>();
      try {
        runGroup(tf, g, groups, errs);
      } catch (ScriptException | TestFileException | IllegalArgumentException e) {
        errs.add("    " + e.getMessage());
      }
      results.add(errs);
    }
    return results;
  }

  private static List<Path> resolveRuleFiles(Path testFile, List<String> patterns,
      List<String> errs) {
    Path dir = testFile.toAbsolutePath().getParent();
    List<Path> out = new ArrayList<>();
    for (String p : patterns) {
      if (p.contains("*") || p.contains("?") || p.contains("[")) {
        Path base = dir.resolve(p).getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + dir.resolve(p));
        try (Stream<Path> s = Files.list(base)) {
          s.filter(m::matches).sorted().forEach(out::add);
        } catch (IOException e) {
          errs.add("cannot list " + base + ": " + e.getMessage());
        }
      } else {
        out.add(dir.resolve(p).normalize());
      }
    }
    return out;
  }

  private static List<RuleGroup> ordered(List<RuleGroup> groups, List<String> order) {
    Map<String, Integer> rank = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      rank.put(order.get(i), i);
    }
    List<RuleGroup> out = new ArrayList<>(groups);
    // Stable sort: named groups in the given order first, the rest in file order.
    out.sort(Comparator.comparingInt(g -> rank.getOrDefault(g.name(), Integer.MAX_VALUE)));
    return out;
  }

  /** A firing alert as promtool compares it: labels, then annotations. */
  private record LabelsAndAnnotations(Labels labels, Labels annotations) {
    static final Comparator<LabelsAndAnnotations> ORDER =
        Comparator.comparing(LabelsAndAnnotations::labels)
            .thenComparing(LabelsAndAnnotations::annotations);
  }

  /** A query result or expectation as promtool compares it; {@code histogram} "" for floats. */
  private record ParsedSample(Labels labels, double value, String histogram) {}

  /** One input sample waiting to be appended. */
  private record Pending(Labels labels, long t, SequenceValue v) {}

  private void runGroup(RuleTestFile tf, RuleTestFile.TestGroup g, List<RuleGroup> groups,
      List<String> errs) {
    long mint = g.startTimestampMillis();
    long interval = tf.evaluationIntervalMillis();
    List<Pending> pending = new ArrayList<>();
    for (RuleTestFile.Series s : g.inputSeries()) {
      SeriesDescription sd = SeriesDescriptionParser.parse(s.series() + " " + s.values(), 0);
      long t = mint;
      for (SequenceValue v : sd.values()) {
        if (!v.omitted()) {
          pending.add(new Pending(sd.labels(), t, v));
        }
        t += g.intervalMillis();
      }
    }
    pending.sort(Comparator.comparingLong(Pending::t));

    InMemoryStorage storage = new InMemoryStorage();
    Engine engine = new Engine(EngineOptions.forTests().withNoStepSubqueryIntervalMillis(interval)
        .withDelayedNameRemoval(false));
    EngineRuleQuery query = new EngineRuleQuery(engine, storage);
    RuleEvalOptions opts = RuleEvalOptions.defaults().withExternal(
        Labels.fromMap(g.externalLabels()), URI.create(g.externalUrl()));
    List<RuleGroupEvaluator> evaluators = new ArrayList<>();
    for (RuleGroup rg : groups) {
      evaluators.add(new RuleGroupEvaluator(rg, opts));
    }

    long maxEval = 0;
    TreeSet<Long> alertTimes = new TreeSet<>();
    for (RuleTestFile.AlertTest a : g.alertRuleTests()) {
      alertTimes.add(a.evalTimeMillis());
      maxEval = Math.max(maxEval, a.evalTimeMillis());
    }
    for (RuleTestFile.PromqlTest p : g.promqlExprTests()) {
      maxEval = Math.max(maxEval, p.evalTimeMillis());
    }
    String namePrefix = g.name().isEmpty() ? "" : "    name: " + g.name() + ",\n";

    int next = 0;
    List<Long> times = new ArrayList<>(alertTimes);
    for (long ts = mint; ts <= mint + maxEval; ts += interval) {
      next = appendTill(storage, pending, next, ts);
      List<String> evalErrs = new ArrayList<>();
      for (RuleGroupEvaluator ev : evaluators) {
        ev.evaluate(ts, query, storage);
        for (RuleStatus r : ev.status()) {
          if (r.lastError() != null) {
            evalErrs.add("    rule: " + r.name() + ", time: " + PromDuration.format(ts - mint)
                + ", err: " + r.lastError());
          }
        }
      }
      if (!evalErrs.isEmpty()) {
        errs.addAll(evalErrs);
        return;
      }
      for (long t : times) {
        if (!(ts - mint <= t && t < ts - mint + interval)) {
          continue;
        }
        for (RuleTestFile.AlertTest at : g.alertRuleTests()) {
          if (at.evalTimeMillis() != t) {
            continue;
          }
          List<LabelsAndAnnotations> gotPairs = new ArrayList<>();
          for (RuleGroupEvaluator ev : evaluators) {
            for (RuleStatus r : ev.status()) {
              if (!r.alerting() || !r.name().equals(at.alertname())) {
                continue;
              }
              for (Alert a : r.alerts()) {
                if (a.state() == AlertState.FIRING) {
                  gotPairs.add(new LabelsAndAnnotations(a.labels(), a.annotations()));
                }
              }
            }
          }
          List<LabelsAndAnnotations> expPairs = new ArrayList<>();
          for (RuleTestFile.ExpectedAlert e : at.expAlerts()) {
            Map<String, String> l = new HashMap<>(e.labels());
            l.put("alertname", at.alertname());
            expPairs.add(new LabelsAndAnnotations(Labels.fromMap(l), Labels.fromMap(e.annotations())));
          }
          gotPairs.sort(LabelsAndAnnotations.ORDER);
          expPairs.sort(LabelsAndAnnotations.ORDER);
          if (!expPairs.equals(gotPairs)) {
            errs.add(namePrefix + "    alertname: " + at.alertname() + ", time: "
                + PromDuration.format(at.evalTimeMillis()) + ", \n        exp:"
                + indent(pairsString(expPairs), "            ").strip() + ", \n        got:"
                + indent(pairsString(gotPairs), "            ").strip());
          }
        }
      }
    }
    appendTill(storage, pending, next, Long.MAX_VALUE - 1);

    for (RuleTestFile.PromqlTest p : g.promqlExprTests()) {
      List<Sample> got;
      try {
        got = query.query(p.expr(), mint + p.evalTimeMillis());
      } catch (RuleEvaluationException e) {
        errs.add(namePrefix + "    expr: \"" + p.expr() + "\", time: "
            + PromDuration.format(p.evalTimeMillis()) + ", err: " + e.getMessage());
        continue;
      }
      List<ParsedSample> gotS = new ArrayList<>();
      for (Sample s : got) {
        gotS.add(new ParsedSample(s.labels(), s.f(),
            s.h() == null ? "" : HistogramNotation.format(s.h())));
      }
      List<ParsedSample> expS = new ArrayList<>();
      boolean bad = false;
      for (RuleTestFile.ExpectedSample e : p.expSamples()) {
        Labels l;
        try {
          l = SeriesDescriptionParser.parseLabels(e.labels(), 0);
        } catch (ScriptException ex) {
          errs.add(namePrefix + "    expr: \"" + p.expr() + "\", time: "
              + PromDuration.format(p.evalTimeMillis()) + ", err: labels \"" + e.labels() + "\": "
              + ex.getMessage());
          bad = true;
          break;
        }
        String h = e.histogram().isEmpty() ? ""
            : HistogramNotation.format(HistogramNotation.parse(e.histogram()));
        expS.add(new ParsedSample(l, e.value(), h));
      }
      if (bad) {
        continue;
      }
      gotS.sort(Comparator.comparing(ParsedSample::labels));
      expS.sort(Comparator.comparing(ParsedSample::labels));
      if (!sameSamples(expS, gotS, tf.fuzzyCompare())) {
        errs.add(namePrefix + "    expr: \"" + p.expr() + "\", time: "
            + PromDuration.format(p.evalTimeMillis()) + ",\n        exp: " + samplesString(expS)
            + "\n        got: " + samplesString(gotS));
      }
    }
  }

  private static int appendTill(InMemoryStorage storage, List<Pending> pending, int from,
      long ts) {
    Appender app = storage.appender();
    int i = from;
    while (i < pending.size() && pending.get(i).t() <= ts) {
      Pending p = pending.get(i++);
      if (p.v().histogram() != null) {
        app.appendHistogram(0, p.labels(), p.t(), p.v().histogram());
      } else {
        app.append(0, p.labels(), p.t(), p.v().value());
      }
    }
    app.commit();
    return i;
  }

  private static boolean sameSamples(List<ParsedSample> exp, List<ParsedSample> got, boolean fuzzy) {
    if (exp.size() != got.size()) {
      return false;
    }
    for (int i = 0; i < exp.size(); i++) {
      ParsedSample x = exp.get(i);
      ParsedSample y = got.get(i);
      double e = x.value();
      double g = y.value();
      boolean valueOk = (Double.isNaN(e) && Double.isNaN(g)) || e == g
          || (fuzzy && Math.abs(e - g) <= Math.ulp(Math.max(Math.abs(e), Math.abs(g))));
      if (!x.labels().equals(y.labels()) || !valueOk || !x.histogram().equals(y.histogram())) {
        return false;
      }
    }
    return true;
  }

  private static String pairsString(List<LabelsAndAnnotations> pairs) {
    if (pairs.isEmpty()) {
      return "[]";
    }
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < pairs.size(); i++) {
      if (i > 0) {
        sb.append(",\n");
      }
      sb.append(i).append(":").append(indent("\nLabels:" + pairs.get(i).labels()
          + "\nAnnotations:" + pairs.get(i).annotations(), "  "));
    }
    return sb.append("\n]").toString();
  }

  private static String samplesString(List<ParsedSample> samples) {
    if (samples.isEmpty()) {
      return "nil";
    }
    List<String> parts = new ArrayList<>();
    for (ParsedSample s : samples) {
      parts.add(s.labels() + " " + (s.histogram().isEmpty() ? goFloatE(s.value()) : s.histogram()));
    }
    return String.join(", ", parts);
  }

  /** Go's {@code strconv.FormatFloat(v, 'E', -1, 64)}: 5E+01, 1.5E-03, NaN, +Inf. */
  static String goFloatE(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return (1 / v < 0 ? "-" : "") + "0E+00";
    }
    java.math.BigDecimal bd = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exp = bd.precision() - bd.scale() - 1;
    String digits = bd.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String sign = bd.signum() < 0 ? "-" : "";
    String e = String.format("%02d", Math.abs(exp));
    return sign + mantissa + "E" + (exp < 0 ? "-" : "+") + e;
  }

  private static String indent(String s, String prefix) {
    return s.replace("\n", "\n" + prefix);
  }
}
