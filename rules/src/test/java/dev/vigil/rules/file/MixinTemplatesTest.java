package dev.vigil.rules.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.rules.template.AlertTemplates;
import dev.vigil.rules.template.QueryFunction;
import dev.vigil.rules.template.Value;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every annotation of the kubernetes-mixin alerts expands without a template error. */
class MixinTemplatesTest {

  @Test
  void allMixinAnnotationsExpand() {
    String dir = System.getProperty("vigil.conformance.dir");
    assumeTrue(dir != null);
    Path alerts = Path.of(dir, "kubernetes-mixin", "prometheus_alerts.yaml");
    assumeTrue(Files.exists(alerts));
    RuleFile file = ((LoadResult.Loaded) new RuleFileLoader(ExprValidator.ACCEPT_ALL)
        .load(alerts)).file();
    Map<String, String> labels = Map.of("namespace", "ns", "pod", "p-1", "container", "c",
        "job", "kubelet", "instance", "10.0.0.1:10250", "node", "n1", "cluster", "prod");
    Value data = AlertTemplates.data(labels, Map.of(), "http://prom", 0.4321);
    List<String> failures = new ArrayList<>();
    int expanded = 0;
    for (RuleGroup g : file.groups()) {
      for (Rule r : g.rules()) {
        if (r instanceof Rule.AlertingRule a) {
          for (var e : a.annotations().entrySet()) {
            String out = AlertTemplates.expand(a.name(), e.getValue(), data, 0,
                QueryFunction.UNAVAILABLE, URI.create("http://prom"));
            expanded++;
            if (out.contains("<error expanding template")) {
              failures.add(a.name() + "/" + e.getKey() + ": " + out);
            }
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertThat(expanded).isGreaterThan(100);
  }
}
