package dev.vigil.rules.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.rules.template.AlertTemplates;
import dev.vigil.rules.template.QueryFunction;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Cross-checks the template engine against annotations that Prometheus itself produced: the
 * kubernetes-mixin unit tests list expected annotations per alert. Annotations that depend on
 * {@code $value} or {@code query} need rule evaluation and are left to the evaluator's tests;
 * the rest only need the alert's labels, which the test lists too.
 */
class MixinUnitTestAnnotationsTest {

  @Test
  @SuppressWarnings("unchecked")
  void labelOnlyAnnotationsMatchPrometheus() throws IOException {
    String dir = System.getProperty("vigil.conformance.dir");
    assumeTrue(dir != null);
    Path mixin = Path.of(dir, "kubernetes-mixin");
    assumeTrue(Files.isDirectory(mixin.resolve("tests")));
    RuleFile alerts = ((LoadResult.Loaded) new RuleFileLoader(ExprValidator.ACCEPT_ALL)
        .load(mixin.resolve("prometheus_alerts.yaml"))).file();
    Map<String, Rule.AlertingRule> byName = new HashMap<>();
    alerts.groups().forEach(g -> g.rules().forEach(r -> {
      if (r instanceof Rule.AlertingRule a) {
        byName.put(a.name(), a);
      }
    }));
    Load load = new Load(LoadSettings.builder().build());
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    List<Path> testFiles;
    try (Stream<Path> s = Files.list(mixin.resolve("tests"))) {
      testFiles = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path testFile : testFiles) {
      Map<String, Object> doc = (Map<String, Object>) load.loadFromString(
          Files.readString(testFile));
      for (Object t : (List<Object>) doc.getOrDefault("tests", List.of())) {
        Map<String, Object> test = (Map<String, Object>) t;
        Map<String, String> external = (Map<String, String>) test.getOrDefault(
            "external_labels", Map.of());
        String externalUrl = (String) test.getOrDefault("external_url", "");
        for (Object a : (List<Object>) test.getOrDefault("alert_rule_test", List.of())) {
          Map<String, Object> art = (Map<String, Object>) a;
          Rule.AlertingRule rule = byName.get((String) art.get("alertname"));
          if (rule == null) {
            continue;
          }
          for (Object e : (List<Object>) art.getOrDefault("exp_alerts", List.of())) {
            Map<String, Object> exp = (Map<String, Object>) e;
            Map<String, String> seriesLabels = new HashMap<>();
            ((Map<String, Object>) exp.getOrDefault("exp_labels", Map.of()))
                .forEach((k, v) -> seriesLabels.put(k, String.valueOf(v)));
            rule.labels().keySet().forEach(seriesLabels::remove);
            Map<String, Object> annotations =
                (Map<String, Object>) exp.getOrDefault("exp_annotations", Map.of());
            for (var an : annotations.entrySet()) {
              String text = rule.annotations().get(an.getKey());
              if (text == null || text.contains("$value") || text.contains(".Value")
                  || text.contains("query")) {
                continue;
              }
              String got = AlertTemplates.expand(rule.name(), text,
                  AlertTemplates.data(seriesLabels, external, externalUrl, 0), 0,
                  QueryFunction.UNAVAILABLE, URI.create(externalUrl));
              compared++;
              if (!got.equals(String.valueOf(an.getValue()))) {
                mismatches.add(testFile.getFileName() + " " + rule.name() + "/" + an.getKey()
                    + ": got " + got + " want " + an.getValue());
              }
            }
          }
        }
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(compared).isGreaterThan(20);
  }
}
