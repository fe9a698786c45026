package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the statistics against the shared conformance scripts, read in place: every {@code
 * eval instant} that applies histogram_quantile / _fraction / _stddev / _stdvar / _count / _sum /
 * _avg with scalar literals directly to a metric whose series each hold one constant histogram
 * literal. Anything else (rates, aggregations, changing series) is left to the engine's suite.
 */
class ConformanceStatisticsTest {
  private static final Pattern CALL = Pattern.compile(
      "(histogram_quantile|histogram_fraction|histogram_stddev|histogram_stdvar|histogram_count"
          + "|histogram_sum|histogram_avg)\\((.*)\\)");
  private static final Pattern AGG =
      Pattern.compile("(sum|avg)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\)");
  private static final Pattern SCALAR_OP =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*([*/])\\s*(-?[0-9.]+|-?Inf|NaN)");
  private static final Pattern RATE = Pattern.compile(
      "(rate|increase|delta)\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\[([0-9a-z]+)]\\s*\\)");
  private static final Pattern TRIM =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(</|>/)\\s*(\\S+)");
  private static final Pattern CONSTANT = Pattern.compile("(\\{\\{[^}]*}})(?:x(\\d+))?");
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
  private static final long LOOKBACK_MS = 5 * 60_000;

  /** One loaded series: labels without the name, the literal, sample count and interval. */
  private record Loaded(String labels, FloatHistogram h, int samples, long intervalMs) {}

  /** A float series: all labels but the name, values per step (NaN: no sample), and whether NHCB. */
  private record FloatSeries(
      TreeMap<String, String> labels, double[] values, long intervalMs, boolean nhcb) {
    /** The value visible at {@code at} with 5m lookback, or null. */
    Double at(long at) {
      long k = Math.min(values.length - 1, at / Math.max(1, intervalMs));
      for (; k >= 0; k--) {
        if (at - k * intervalMs >= LOOKBACK_MS) {
          return null;
        }
        if (!Double.isNaN(values[(int) k])) {
          return values[(int) k];
        }
      }
      return null;
    }
  }

  private static final Pattern SEQ = Pattern.compile(
      "(-?(?:Inf|NaN|[0-9.]+(?:e[0-9]+)?))(?:([+-])([0-9.]+))?x([0-9]+)");

  @ParameterizedTest
  @ValueSource(strings = {"native_histograms.test", "histograms.test", "functions.test"})
  void statisticsMatchTheScripts(String file) throws IOException {
    String dir = System.getProperty("vigil.conformance.dir");
    Path path = dir == null ? null : Path.of(dir, "promql", file);
    Assumptions.assumeTrue(path != null && Files.exists(path), "conformance data not found");
    List<String> lines = Files.readAllLines(path);
    Map<String, List<Loaded>> metrics = new HashMap<>();
    Map<String, List<FloatSeries>> floats = new HashMap<>();
    Map<String, List<HistogramSeries>> sequences = new HashMap<>();
    boolean nhcb = false;
    List<String> failures = new ArrayList<>();
    int checked = 0;
    long interval = 0;
    boolean inLoad = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        inLoad = false;
        continue;
      }
      boolean indented = Character.isWhitespace(line.charAt(0));
      if (inLoad && indented) {
        load(t, interval, metrics);
        loadFloats(t, interval, nhcb, floats);
        loadSequence(t, interval, sequences);
        continue;
      }
      inLoad = false;
      if (t.equals("clear")) {
        metrics.clear();
        floats.clear();
        sequences.clear();
      } else if (t.startsWith("load ") || t.startsWith("load_with_nhcb ")) {
        nhcb = t.startsWith("load_with_nhcb ");
        interval = durationMs(t.substring(t.indexOf(' ')).strip().split("\\s+")[0]);
        inLoad = true;
      } else if (t.startsWith("eval instant at ")) {
        String rest = t.substring("eval instant at ".length());
        int sp = rest.indexOf(' ');
        long at = durationMs(rest.substring(0, sp));
        String expr = rest.substring(sp + 1).strip();
        List<String> expected = new ArrayList<>();
        boolean fail = false;
        int j = i + 1;
        while (j < lines.size() && !lines.get(j).isBlank()
            && Character.isWhitespace(lines.get(j).charAt(0))) {
          String e = lines.get(j).strip();
          if (e.startsWith("expect fail")) {
            fail = true;
          } else if (!e.startsWith("expect") && !e.startsWith("#")) {
            expected.add(e);
          }
          j++;
        }
        if (fail || at < 0) {
          continue;
        }
        Matcher rate = RATE.matcher(expr);
        String verdict = rate.matches()
            ? checkRate(rate, at, expected, sequences)
            : check(expr, at, expected, metrics, floats);
        if (verdict == null) {
          continue;
        }
        checked++;
        if (!verdict.isEmpty()) {
          failures.add(file + ":" + (i + 1) + " " + expr + ": " + verdict);
        }
      }
    }
    assertThat(failures).isEmpty();
    // Guards against the runner silently skipping everything (counts as of the 2026-08 suite).
    int minimum = switch (file) {
      case "native_histograms.test" -> 275;
      case "histograms.test" -> 35;
      default -> 0;
    };
    assertThat(checked).as("evals checked in " + file).isGreaterThanOrEqualTo(minimum);
  }

  private static void load(String line, long interval, Map<String, List<Loaded>> metrics) {
    int end = seriesEnd(line);
    String series = line.substring(0, end);
    String values = line.substring(end).strip();
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    String labels = brace < 0 ? "{}" : normalize(series.substring(brace));
    Matcher m = CONSTANT.matcher(values);
    Loaded l = null;
    if (m.matches()) {
      try {
        int n = m.group(2) == null ? 1 : Integer.parseInt(m.group(2)) + 1;
        l = new Loaded(labels, HistogramNotation.parse(m.group(1)), n, interval);
      } catch (IllegalArgumentException e) {
        l = null;
      }
    }
    List<Loaded> list = metrics.computeIfAbsent(name, k -> new ArrayList<>());
    list.add(l); // null marks a series this test cannot evaluate
  }

  /** A histogram series sample by sample (null: no sample), from any {{...}} sequence. */
  private record HistogramSeries(String labels, FloatHistogram[] samples, long intervalMs) {}

  private static void loadSequence(
      String line, long interval, Map<String, List<HistogramSeries>> sequences) {
    int end = seriesEnd(line);
    String series = line.substring(0, end);
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    String labels = brace < 0 ? "{}" : normalize(series.substring(brace));
    String v = line.substring(end);
    List<FloatHistogram> out = new ArrayList<>();
    int i = 0;
    try {
      while (true) {
        while (i < v.length() && Character.isWhitespace(v.charAt(i))) {
          i++;
        }
        if (i >= v.length()) {
          break;
        }
        if (v.charAt(i) == '_') {
          int[] times = {1};
          i = repeat(v, i + 1, times);
          for (int k = 0; k < times[0]; k++) {
            out.add(null);
          }
          continue;
        }
        if (!v.startsWith("{{", i)) {
          return; // floats in the series: not for this test
        }
        HistogramNotation.Literal base = HistogramNotation.parseAt(v, i);
        i = base.end();
        if (i < v.length() && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
          boolean sub = v.charAt(i) == '-';
          HistogramNotation.Literal inc = HistogramNotation.parseAt(v, i + 1);
          int[] times = {0};
          i = repeat(v, inc.end(), times);
          out.addAll(HistogramNotation.series(base.histogram(), inc.histogram(), times[0] - 1, sub));
          continue;
        }
        int[] times = {1};
        i = repeat(v, i, times);
        for (int k = 0; k < times[0]; k++) {
          out.add(base.histogram());
        }
      }
    } catch (IllegalArgumentException e) {
      return;
    }
    sequences.computeIfAbsent(name, k -> new ArrayList<>())
        .add(new HistogramSeries(labels, out.toArray(new FloatHistogram[0]), interval));
  }

  /** Parses an optional "xN" at i; times[0] becomes N+1 (or stays). Returns the new index. */
  private static int repeat(String v, int i, int[] times) {
    if (i < v.length() && v.charAt(i) == 'x') {
      int j = i + 1;
      while (j < v.length() && Character.isDigit(v.charAt(j))) {
        j++;
      }
      times[0] = Integer.parseInt(v.substring(i + 1, j)) + 1;
      return j;
    }
    return i;
  }

  /** rate/increase/delta of histogram sequences with Prometheus's extrapolation (no start timestamps). */
  private static String checkRate(
      Matcher m, long at, List<String> expected, Map<String, List<HistogramSeries>> sequences) {
    List<HistogramSeries> series = sequences.get(m.group(2));
    long range = durationMs(m.group(3));
    if (series == null || range <= 0) {
      return null;
    }
    boolean isRate = m.group(1).equals("rate");
    boolean isCounter = !m.group(1).equals("delta");
    Map<String, HistogramNotation.Literal> want = new TreeMap<>();
    for (String e : expected) {
      int lit = e.indexOf("{{");
      if (lit < 0 || !e.startsWith("{")) {
        return null;
      }
      want.put(normalize(e.substring(0, lit)), HistogramNotation.parseLiteral(e.substring(lit)));
    }
    Map<String, FloatHistogram> got = new TreeMap<>();
    for (HistogramSeries hs : series) {
      long start = at - range;
      List<FloatHistogram> window = new ArrayList<>();
      long firstT = -1;
      long lastT = -1;
      for (int k = 0; k < hs.samples().length; k++) {
        long t = k * hs.intervalMs();
        if (t > start && t <= at && hs.samples()[k] != null) {
          window.add(hs.samples()[k]);
          if (firstT < 0) {
            firstT = t;
          }
          lastT = t;
        }
      }
      if (window.size() < 2) {
        continue;
      }
      HistogramRate.Result r = HistogramRate.increase(
          window.toArray(new FloatHistogram[0]), window.size(), null, isCounter);
      if (r.increase() == null) {
        continue;
      }
      double durationToStart = (firstT - start) / 1000.0;
      double durationToEnd = (at - lastT) / 1000.0;
      double sampled = (lastT - firstT) / 1000.0;
      double avg = sampled / (window.size() - 1);
      double threshold = avg * 1.1;
      if (durationToStart >= threshold) {
        durationToStart = avg / 2;
      }
      if (isCounter && r.increase().count() > 0 && window.getFirst().count() >= 0) {
        double toZero = sampled * (window.getFirst().count() / r.increase().count());
        durationToStart = Math.min(durationToStart, toZero);
      }
      if (durationToEnd >= threshold) {
        durationToEnd = avg / 2;
      }
      double factor = sampled == 0 ? 1 : (sampled + durationToStart + durationToEnd) / sampled;
      if (isRate) {
        factor /= range / 1000.0;
      }
      got.put(hs.labels(), r.increase().mul(factor));
    }
    if (!got.keySet().equals(want.keySet())) {
      return null;
    }
    StringBuilder diff = new StringBuilder();
    for (Map.Entry<String, FloatHistogram> e : got.entrySet()) {
      HistogramNotation.Literal w = want.get(e.getKey());
      if (!HistogramNotation.matchesExpected(w, e.getValue())) {
        diff.append(e.getKey()).append(" want ").append(HistogramNotation.format(w.histogram()))
            .append(" got ").append(HistogramNotation.format(e.getValue())).append("; ");
      }
    }
    return diff.toString();
  }

  private static void loadFloats(
      String line, long interval, boolean nhcb, Map<String, List<FloatSeries>> floats) {
    int end = seriesEnd(line);
    String series = line.substring(0, end);
    int brace = series.indexOf('{');
    String name = brace < 0 ? series : series.substring(0, brace);
    TreeMap<String, String> labels = new TreeMap<>();
    Matcher lm = LABEL.matcher(brace < 0 ? "" : series.substring(brace));
    while (lm.find()) {
      labels.put(lm.group(1), lm.group(2));
    }
    List<Double> values = new ArrayList<>();
    for (String tok : line.substring(end).strip().split("\\s+")) {
      Matcher m = SEQ.matcher(tok);
      try {
        if (tok.equals("_")) {
          values.add(Double.NaN);
        } else if (m.matches()) {
          double v = HistogramNotation.parseNumber(m.group(1));
          double step = m.group(2) == null ? 0 : HistogramNotation.parseNumber(m.group(3));
          if ("-".equals(m.group(2))) {
            step = -step;
          }
          for (int k = 0; k <= Integer.parseInt(m.group(4)); k++) {
            values.add(v + k * step);
          }
        } else {
          values.add(HistogramNotation.parseNumber(tok));
        }
      } catch (NumberFormatException e) {
        return; // not a plain float series
      }
    }
    double[] v = new double[values.size()];
    for (int k = 0; k < v.length; k++) {
      v[k] = values.get(k);
    }
    floats.computeIfAbsent(name, k -> new ArrayList<>())
        .add(new FloatSeries(labels, v, interval, nhcb));
  }

  /**
   * Classic buckets ({@code name_bucket}) or the NHCB made from {@code name_bucket/_count/_sum}
   * of a load_with_nhcb block; false if not applicable.
   */
  private static boolean evaluateFloats(String fn, double[] scalars, String metric, long at,
      Map<String, List<FloatSeries>> floats, Map<String, Double> got) {
    boolean classic = metric.endsWith("_bucket");
    String base = classic ? metric : metric;
    List<FloatSeries> buckets = floats.get(classic ? metric : metric + "_bucket");
    if (buckets == null) {
      return false;
    }
    if (classic && !(fn.equals("histogram_quantile") || fn.equals("histogram_fraction"))) {
      return false;
    }
    Map<String, List<double[]>> groups = new TreeMap<>();
    Map<String, ClassicHistogramConverter> converters = new TreeMap<>();
    for (FloatSeries s : buckets) {
      if (!classic && !s.nhcb()) {
        return false;
      }
      TreeMap<String, String> key = new TreeMap<>(s.labels());
      String le = key.remove("le");
      if (le == null) {
        return false;
      }
      Double v = s.at(at);
      if (v == null) {
        continue;
      }
      double bound = HistogramNotation.parseNumber(le);
      groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(new double[] {bound, v});
      converters.computeIfAbsent(key.toString(), k -> new ClassicHistogramConverter())
          .bucket(bound, v);
    }
    if (classic) {
      for (Map.Entry<String, List<double[]>> g : groups.entrySet()) {
        int n = g.getValue().size();
        double[] les = new double[n];
        double[] counts = new double[n];
        for (int k = 0; k < n; k++) {
          les[k] = g.getValue().get(k)[0];
          counts[k] = g.getValue().get(k)[1];
        }
        got.put(g.getKey(), fn.equals("histogram_quantile")
            ? ClassicBucketQuantile.quantile(scalars[0], les, counts, n).value()
            : ClassicBucketQuantile.fraction(scalars[0], scalars[1], les, counts, n));
      }
      return true;
    }
    for (String suffix : List.of("_count", "_sum")) {
      for (FloatSeries s : floats.getOrDefault(base + suffix, List.of())) {
        ClassicHistogramConverter c = converters.get(s.labels().toString());
        Double v = s.at(at);
        if (c == null || v == null) {
          continue;
        }
        if (suffix.equals("_count")) {
          c.count(v);
        } else {
          c.sum(v);
        }
      }
    }
    for (Map.Entry<String, ClassicHistogramConverter> c : converters.entrySet()) {
      got.put(c.getKey(), evaluate(fn, scalars, c.getValue().convert()));
    }
    return true;
  }

  private static int seriesEnd(String line) {
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '{') {
        if (line.startsWith("{{", i) && depth == 0) {
          return i;
        }
        depth++;
      } else if (!quoted && c == '}') {
        depth--;
      } else if (!quoted && depth == 0 && Character.isWhitespace(c)) {
        return i;
      }
    }
    return line.length();
  }

  /** Null: not applicable; "": passed; otherwise the failure. */
  private static String check(String expr, long at, List<String> expected,
      Map<String, List<Loaded>> metrics, Map<String, List<FloatSeries>> floats) {
    Matcher agg = AGG.matcher(expr);
    if (agg.matches()) {
      return checkAggregation(agg.group(1), agg.group(2), at, expected, metrics);
    }
    Matcher scalarOp = SCALAR_OP.matcher(expr);
    if (scalarOp.matches()) {
      return checkScalarOp(scalarOp, at, expected, metrics);
    }
    Matcher trim = TRIM.matcher(expr);
    if (trim.matches()) {
      return checkTrim(trim, at, expected, metrics);
    }
    Matcher m = CALL.matcher(expr);
    if (!m.matches()) {
      return null;
    }
    String fn = m.group(1);
    String[] args = m.group(2).split(",");
    for (int k = 0; k < args.length; k++) {
      args[k] = args[k].strip();
    }
    String metric = args[args.length - 1];
    if (!NAME.matcher(metric).matches()) {
      return null;
    }
    double[] scalars = new double[args.length - 1];
    try {
      for (int k = 0; k < scalars.length; k++) {
        scalars[k] = HistogramNotation.parseNumber(args[k]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    Map<String, Double> want = new TreeMap<>();
    for (String e : expected) {
      int close = e.lastIndexOf('}');
      if (!e.startsWith("{") || close < 0) {
        return null;
      }
      String value = e.substring(close + 1).strip();
      if (value.startsWith("{{")) {
        return null;
      }
      want.put(normalize(e.substring(0, close + 1)), HistogramNotation.parseNumber(value));
    }
    Map<String, Double> got = new TreeMap<>();
    if (!metrics.containsKey(metric)) {
      if (!evaluateFloats(fn, scalars, metric, at, floats, got)) {
        return null;
      }
    }
    for (Loaded l : metrics.getOrDefault(metric, List.of())) {
      if (l == null) {
        return null;
      }
      long last = (l.samples() - 1) * l.intervalMs();
      long latest = Math.min(last, at / Math.max(1, l.intervalMs()) * l.intervalMs());
      if (at - latest >= LOOKBACK_MS) {
        continue;
      }
      got.put(l.labels(), evaluate(fn, scalars, l.h()));
    }
    if (!got.keySet().equals(want.keySet())) {
      return null; // the engine decides which series exist; not this test's concern
    }
    StringBuilder diff = new StringBuilder();
    for (Map.Entry<String, Double> e : want.entrySet()) {
      double g = got.get(e.getKey());
      if (!HistogramNotation.almostEqual(e.getValue(), g, HistogramNotation.EPSILON)) {
        diff.append(e.getKey()).append(" want ").append(e.getValue()).append(" got ").append(g)
            .append("; ");
      }
    }
    return diff.toString();
  }

  /** sum(metric) / avg(metric) over constant series, the way the engine aggregates. */
  private static String checkAggregation(String op, String metric, long at, List<String> expected,
      Map<String, List<Loaded>> metrics) {
    List<Loaded> series = metrics.get(metric);
    if (series == null || series.contains(null) || expected.size() != 1
        || !expected.getFirst().startsWith("{} {{")) {
      return null;
    }
    TreeMap<String, FloatHistogram> sorted = new TreeMap<>();
    for (Loaded l : series) {
      if (at - (l.samples() - 1) * l.intervalMs() < LOOKBACK_MS) {
        sorted.put(l.labels(), l.h());
      }
    }
    HistogramAccumulator acc = HistogramAccumulator.kahan();
    HistogramAccumulator scratch = HistogramAccumulator.kahan();
    HistogramAccumulator mean = null;
    int n = 0;
    for (FloatHistogram h : sorted.values()) {
      n++;
      if (acc.isEmpty() && mean == null) {
        acc.set(h);
        continue;
      }
      if (op.equals("sum")) {
        if (!acc.add(h)) {
          return null; // incompatible: the engine drops the group with a warning
        }
        continue;
      }
      if (mean == null) {
        scratch.copyFrom(acc);
        if (!scratch.add(h)) {
          return null;
        }
        if (!scratch.hasOverflow()) {
          acc.copyFrom(scratch);
          continue;
        }
        mean = HistogramAccumulator.kahan().copyFrom(acc).div(n - 1);
      }
      double q = (n - 1) / (double) n;
      if (!mean.mul(q).add(h.div(n))) {
        return null;
      }
    }
    FloatHistogram got;
    if (op.equals("avg")) {
      got = mean != null ? mean.build(true) : acc.div(n).build(true);
    } else {
      got = acc.build(true);
    }
    HistogramNotation.Literal want =
        HistogramNotation.parseLiteral(expected.getFirst().substring(3));
    if (want.counterResetHintSet()) {
      return null; // hints of stored counters come from the TSDB's append path, not from here
    }
    return HistogramNotation.matchesExpected(want, got)
        ? "" : "want " + HistogramNotation.format(want.histogram()) + " got "
            + HistogramNotation.format(got);
  }

  private static String checkScalarOp(
      Matcher m, long at, List<String> expected, Map<String, List<Loaded>> metrics) {
    List<Loaded> series = metrics.get(m.group(1));
    if (series == null || series.contains(null) || series.size() != expected.size()) {
      return null;
    }
    double rhs = HistogramNotation.parseNumber(m.group(3));
    Map<String, HistogramNotation.Literal> want = new TreeMap<>();
    for (String e : expected) {
      int lit = e.indexOf("{{");
      if (lit < 0 || !e.startsWith("{")) {
        return null;
      }
      want.put(normalize(e.substring(0, lit)), HistogramNotation.parseLiteral(e.substring(lit)));
    }
    StringBuilder diff = new StringBuilder();
    for (Loaded l : series) {
      HistogramNotation.Literal w = want.get(l.labels());
      if (w == null || at - (l.samples() - 1) * l.intervalMs() >= LOOKBACK_MS) {
        return null;
      }
      FloatHistogram got = (m.group(2).equals("*") ? l.h().mul(rhs) : l.h().div(rhs)).compact();
      if (!HistogramNotation.matchesExpected(w, got)) {
        diff.append(l.labels()).append(" want ").append(HistogramNotation.format(w.histogram()))
            .append(" got ").append(HistogramNotation.format(got)).append("; ");
      }
    }
    return diff.toString();
  }

  private static String checkTrim(
      Matcher trim, long at, List<String> expected, Map<String, List<Loaded>> metrics) {
    List<Loaded> series = metrics.get(trim.group(1));
    if (series == null || series.contains(null)) {
      return null;
    }
    double rhs;
    try {
      rhs = HistogramNotation.parseNumber(trim.group(3));
    } catch (NumberFormatException e) {
      return null;
    }
    boolean upper = trim.group(2).equals("</");
    Map<String, HistogramNotation.Literal> want = new TreeMap<>();
    for (String e : expected) {
      int lit = e.indexOf("{{");
      if (lit < 0) {
        return null;
      }
      String s = e.substring(0, lit).strip();
      int brace = s.indexOf('{');
      want.put(brace < 0 ? "{}" : normalize(s.substring(brace)),
          HistogramNotation.parseLiteral(e.substring(lit)));
    }
    StringBuilder diff = new StringBuilder();
    for (Loaded l : series) {
      HistogramNotation.Literal w = want.get(l.labels());
      if (w == null || at - (l.samples() - 1) * l.intervalMs() >= LOOKBACK_MS) {
        return null;
      }
      FloatHistogram got = l.h().trimBuckets(rhs, upper);
      if (!HistogramNotation.matchesExpected(w, got)) {
        diff.append(l.labels()).append(" want ").append(HistogramNotation.format(w.histogram()))
            .append(" got ").append(HistogramNotation.format(got)).append("; ");
      }
    }
    return diff.toString();
  }

  private static double evaluate(String fn, double[] s, FloatHistogram h) {
    return switch (fn) {
      case "histogram_quantile" -> HistogramStatistics.quantileValue(s[0], h);
      case "histogram_fraction" -> HistogramStatistics.fractionValue(s[0], s[1], h);
      case "histogram_stddev" -> HistogramStatistics.stddev(h);
      case "histogram_stdvar" -> HistogramStatistics.stdvar(h);
      case "histogram_count" -> h.count();
      case "histogram_sum" -> h.sum();
      case "histogram_avg" -> HistogramStatistics.avg(h);
      default -> throw new IllegalArgumentException(fn);
    };
  }

  private static String normalize(String labels) {
    TreeMap<String, String> sorted = new TreeMap<>();
    Matcher m = LABEL.matcher(labels);
    while (m.find()) {
      sorted.put(m.group(1), m.group(2));
    }
    return sorted.toString();
  }

  private static long durationMs(String d) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(d);
    long total = 0;
    int pos = 0;
    while (m.find() && m.start() == pos) {
      long n = Long.parseLong(m.group(1));
      total += switch (m.group(2)) {
        case "ms" -> n;
        case "s" -> n * 1000;
        case "m" -> n * 60_000;
        case "h" -> n * 3_600_000;
        default -> n * 86_400_000;
      };
      pos = m.end();
    }
    return pos == d.length() && pos > 0 ? total : -1;
  }
}
