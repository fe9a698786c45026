package dev.vigil.rules.unittest;

import dev.vigil.rules.duration.PromDuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** A promtool rule test file, decoded strictly (unknown fields are errors, as in promtool). */
record RuleTestFile(
    List<String> ruleFiles,
    long evaluationIntervalMillis,
    boolean fuzzyCompare,
    List<String> groupEvalOrder,
    List<TestGroup> tests) {

  record Series(String series, String values) {}

  record ExpectedAlert(Map<String, String> labels, Map<String, String> annotations) {}

  record AlertTest(long evalTimeMillis, String evalTimeText, String alertname,
      List<ExpectedAlert> expAlerts) {}

  record ExpectedSample(String labels, double value, String histogram) {}

  record PromqlTest(String expr, long evalTimeMillis, String evalTimeText,
      List<ExpectedSample> expSamples) {}

  record TestGroup(String name, long intervalMillis, long startTimestampMillis,
      List<Series> inputSeries, List<AlertTest> alertRuleTests, List<PromqlTest> promqlExprTests,
      Map<String, String> externalLabels, String externalUrl) {}

  static RuleTestFile parse(String name, String yaml) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().setLabel(name).build()).loadFromString(yaml);
    } catch (YamlEngineException e) {
      throw new TestFileException(e.getMessage());
    }
    Map<String, Object> m = map(root, "test file");
    allowOnly(m, "test file", Set.of("rule_files", "evaluation_interval", "fuzzy_compare",
        "group_eval_order", "tests"));
    long interval = m.containsKey("evaluation_interval")
        ? duration(m.get("evaluation_interval"), "evaluation_interval") : 60_000;
    List<TestGroup> groups = new ArrayList<>();
    for (Object g : list(m.get("tests"), "tests")) {
      groups.add(group(map(g, "test group"), interval));
    }
    return new RuleTestFile(strings(m.get("rule_files"), "rule_files"), interval,
        Boolean.TRUE.equals(m.get("fuzzy_compare")), strings(m.get("group_eval_order"),
        "group_eval_order"), groups);
  }

  private static TestGroup group(Map<String, Object> g, long defaultInterval) {
    allowOnly(g, "test group", Set.of("interval", "input_series", "name", "start_timestamp",
        "alert_rule_test", "promql_expr_test", "external_labels", "external_url"));
    List<Series> series = new ArrayList<>();
    for (Object s : list(g.get("input_series"), "input_series")) {
      Map<String, Object> sm = map(s, "series");
      allowOnly(sm, "series", Set.of("series", "values"));
      series.add(new Series(string(sm.get("series")), string(sm.get("values"))));
    }
    List<AlertTest> alerts = new ArrayList<>();
    for (Object a : list(g.get("alert_rule_test"), "alert_rule_test")) {
      Map<String, Object> am = map(a, "alert_rule_test");
      allowOnly(am, "alert_rule_test", Set.of("eval_time", "alertname", "exp_alerts"));
      List<ExpectedAlert> exp = new ArrayList<>();
      for (Object e : list(am.get("exp_alerts"), "exp_alerts")) {
        Map<String, Object> em = map(e, "exp_alerts");
        allowOnly(em, "exp_alerts", Set.of("exp_labels", "exp_annotations"));
        exp.add(new ExpectedAlert(stringMap(em.get("exp_labels")),
            stringMap(em.get("exp_annotations"))));
      }
      alerts.add(new AlertTest(duration(am.get("eval_time"), "eval_time"),
          string(am.get("eval_time")), string(am.get("alertname")), exp));
    }
    List<PromqlTest> promql = new ArrayList<>();
    for (Object p : list(g.get("promql_expr_test"), "promql_expr_test")) {
      Map<String, Object> pm = map(p, "promql_expr_test");
      allowOnly(pm, "promql_expr_test", Set.of("expr", "eval_time", "exp_samples"));
      List<ExpectedSample> exp = new ArrayList<>();
      for (Object e : list(pm.get("exp_samples"), "exp_samples")) {
        Map<String, Object> em = map(e, "exp_samples");
        allowOnly(em, "exp_samples", Set.of("labels", "value", "histogram"));
        exp.add(new ExpectedSample(string(em.get("labels")), number(em.get("value")),
            string(em.get("histogram"))));
      }
      promql.add(new PromqlTest(string(pm.get("expr")), duration(pm.get("eval_time"), "eval_time"),
          string(pm.get("eval_time")), exp));
    }
    long interval = g.containsKey("interval") ? duration(g.get("interval"), "interval")
        : defaultInterval;
    long start = 0;
    Object st = g.get("start_timestamp");
    if (st instanceof Number n) {
      start = n.longValue() * 1000;
    } else if (st != null) {
      try {
        start = java.time.OffsetDateTime.parse(st.toString()).toInstant().toEpochMilli();
      } catch (java.time.format.DateTimeParseException e) {
        throw new TestFileException("invalid start_timestamp " + st);
      }
    }
    return new TestGroup(string(g.get("name")), interval, start, series, alerts, promql,
        stringMap(g.get("external_labels")), string(g.get("external_url")));
  }

  private static void allowOnly(Map<String, Object> m, String what, Set<String> allowed) {
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new TestFileException("field " + k + " not found in " + what);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String what) {
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw new TestFileException(what + " must be a mapping, got " + o);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) m).forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  private static List<?> list(Object o, String what) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l)) {
      throw new TestFileException(what + " must be a list, got " + o);
    }
    return l;
  }

  private static List<String> strings(Object o, String what) {
    List<String> out = new ArrayList<>();
    for (Object x : list(o, what)) {
      out.add(String.valueOf(x));
    }
    return out;
  }

  private static Map<String, String> stringMap(Object o) {
    Map<String, String> out = new LinkedHashMap<>();
    map(o, "map").forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
    return out;
  }

  private static String string(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  private static double number(Object o) {
    if (o == null) {
      return 0;
    }
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    String s = o.toString().strip();
    return switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "nan", ".nan" -> Double.NaN;
      case "inf", "+inf", ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
      case "-inf", "-.inf" -> Double.NEGATIVE_INFINITY;
      default -> {
        try {
          yield Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new TestFileException("invalid value " + s);
        }
      }
    };
  }

  private static long duration(Object o, String what) {
    if (o == null) {
      return 0;
    }
    try {
      return PromDuration.parseMillis(o.toString());
    } catch (RuntimeException e) {
      throw new TestFileException("invalid " + what + " " + o + ": " + e.getMessage());
    }
  }
}
