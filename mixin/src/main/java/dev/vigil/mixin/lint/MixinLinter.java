package dev.vigil.mixin.lint;

import dev.vigil.mixin.json.Json;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.file.RuleFileChecker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Lints a rendered mixin (the file map of {@code MixinBuilder.render}) with mixtool's rules:
 * alerts carry {@code summary} and {@code description} (or {@code message}) annotations and a
 * {@code severity} label and are CamelCase; recording rules are named {@code level:metric:operations};
 * dashboards use a templated data source and titled panels; plus promtool's rule-file checks
 * (PromQL parses, durations, duplicate rules) through {@link RuleFileChecker}.
 */
public final class MixinLinter {
  private static final Pattern CAMEL = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final ParserOptions parserOptions;

  public MixinLinter(ParserOptions parserOptions) {
    this.parserOptions = parserOptions;
  }

  public List<Finding> lint(Map<String, String> files) {
    List<Finding> out = new ArrayList<>();
    Map<String, String> ruleFiles = new LinkedHashMap<>();
    for (String f : List.of("alerts.yaml", "rules.yaml")) {
      if (files.containsKey(f)) {
        ruleFiles.put(f, files.get(f));
        lintRules(f, files.get(f), out);
      }
    }
    if (!ruleFiles.isEmpty()) {
      RuleFileChecker.Result r = RuleFileChecker.promtoolDefaults(new PromqlExprValidator(parserOptions))
          .checkContents(ruleFiles);
      if (r.exitCode() != RuleFileChecker.SUCCESS || !r.stderr().isBlank()) {
        // promtool's lint findings (duplicate rules) keep exit code 0: warnings, not errors.
        Finding.Severity sev = r.exitCode() == RuleFileChecker.SUCCESS ? Finding.Severity.WARNING : Finding.Severity.ERROR;
        out.add(new Finding(sev, String.join(", ", ruleFiles.keySet()),
            "vigil check rules: " + r.stderr().strip(), "fix the rule expression or field named above"));
      }
    }
    for (var e : files.entrySet()) {
      if (e.getKey().startsWith("dashboards/")) {
        lintDashboard(e.getKey(), Json.parse(e.getValue(), e.getKey()), out);
      }
    }
    return out;
  }

  private static void lintRules(String file, String yaml, List<Finding> out) {
    Object doc = new Load(LoadSettings.builder().build()).loadFromString(yaml);
    if (!(doc instanceof Map<?, ?> m) || !(m.get("groups") instanceof List<?> groups)) {
      return; // the rule-file check reports the broken structure
    }
    for (Object g : groups) {
      if (!(g instanceof Map<?, ?> gm) || !(gm.get("rules") instanceof List<?> rules)) {
        continue;
      }
      String group = String.valueOf(gm.get("name"));
      for (Object r : rules) {
        if (!(r instanceof Map<?, ?> rule)) {
          continue;
        }
        if (rule.get("alert") instanceof String alert) {
          String where = file + ": group " + group + ": alert " + alert;
          Map<?, ?> ann = rule.get("annotations") instanceof Map<?, ?> a ? a : Map.of();
          Map<?, ?> labels = rule.get("labels") instanceof Map<?, ?> l ? l : Map.of();
          if (!CAMEL.matcher(alert).matches()) {
            out.add(new Finding(Finding.Severity.ERROR, where, "alert name is not CamelCase",
                "rename it, e.g. " + camel(alert)));
          }
          if (!ann.containsKey("message")) {
            for (String a : List.of("summary", "description")) {
              if (!ann.containsKey(a)) {
                out.add(new Finding(Finding.Severity.ERROR, where, "missing " + a + " annotation",
                    "add annotations: { " + a + ": '...' } (or a message annotation)"));
              }
            }
          }
          if (!labels.containsKey("severity")) {
            out.add(new Finding(Finding.Severity.ERROR, where, "missing severity label",
                "add labels: { severity: 'warning' } (or critical/info)"));
          }
        } else if (rule.get("record") instanceof String record) {
          String where = file + ": group " + group + ": record " + record;
          if (!METRIC_NAME.matcher(record).matches()) {
            out.add(new Finding(Finding.Severity.ERROR, where, "recording rule name is not a valid metric name",
                "use letters, digits, '_' and ':' only"));
          } else if (record.indexOf(':') < 0) {
            // Prometheus' convention level:metric:operations; parts may be empty (kubernetes-mixin
            // has ":node_memory_MemAvailable_bytes:sum"), so only a name without any colon is flagged.
            out.add(new Finding(Finding.Severity.WARNING, where,
                "recording rule name does not follow level:metric:operations",
                "name it like job:http_requests:rate5m (see Prometheus' recording rule naming)"));
          }
        }
      }
    }
  }

  private static String camel(String s) {
    StringBuilder sb = new StringBuilder();
    for (String part : s.split("[^A-Za-z0-9]+")) {
      if (!part.isEmpty()) {
        sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
      }
    }
    return sb.toString();
  }

  private static void lintDashboard(String file, Object d, List<Finding> out) {
    if (!(d instanceof Map<?, ?> dash)) {
      out.add(new Finding(Finding.Severity.ERROR, file, "dashboard is not a JSON object", ""));
      return;
    }
    boolean templatedDatasource = false;
    if (dash.get("templating") instanceof Map<?, ?> t && t.get("list") instanceof List<?> list) {
      for (Object v : list) {
        if (v instanceof Map<?, ?> vm && "datasource".equals(vm.get("type"))) {
          templatedDatasource = true;
        }
      }
    }
    if (!templatedDatasource) {
      out.add(new Finding(Finding.Severity.ERROR, file, "no templated data source",
          "add a template variable of type 'datasource' and use it as the panels' datasource"));
    }
    if (dash.get("panels") instanceof List<?> panels) {
      lintPanels(file, panels, out);
    }
    if (dash.get("rows") instanceof List<?> rows) {
      for (Object r : rows) {
        if (r instanceof Map<?, ?> rm && rm.get("panels") instanceof List<?> ps) {
          lintPanels(file, ps, out);
        }
      }
    }
  }

  private static void lintPanels(String file, List<?> panels, List<Finding> out) {
    for (Object p : panels) {
      if (!(p instanceof Map<?, ?> pm)) {
        continue;
      }
      if ("row".equals(pm.get("type")) && pm.get("panels") instanceof List<?> nested) {
        lintPanels(file, nested, out);
        continue;
      }
      if ("text".equals(pm.get("type")) || "row".equals(pm.get("type"))) {
        continue;
      }
      Object title = pm.get("title");
      if (!(title instanceof String s) || s.isBlank()) {
        out.add(new Finding(Finding.Severity.WARNING, file + ": panel " + pm.get("id"), "panel has no title",
            "give every panel a title"));
      }
    }
  }
}
