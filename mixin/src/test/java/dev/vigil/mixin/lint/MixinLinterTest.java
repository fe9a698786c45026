package dev.vigil.mixin.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mixin.render.BuildOptions;
import dev.vigil.mixin.render.JsonnetEngine;
import dev.vigil.mixin.render.MixinBuilder;
import dev.vigil.promql.parser.ParserOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixinLinterTest {
  @TempDir Path dir;

  private List<Finding> lint(String mixin) throws Exception {
    Path f = dir.resolve("mixin.libsonnet");
    Files.writeString(f, mixin);
    var files = new MixinBuilder(new JsonnetEngine(List.of()))
        .render(new BuildOptions(f, List.of(), dir.resolve("out"), "t"));
    return new MixinLinter(ParserOptions.DEFAULT).lint(files);
  }

  @Test
  void cleanMixinHasNoFindings() throws Exception {
    assertThat(lint("""
        {
          prometheusAlerts: { groups: [{ name: 'a', rules: [{ alert: 'GoodAlert', expr: 'up == 0',
            labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd' } }] }] },
          prometheusRules: { groups: [{ name: 'r', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] }] },
          grafanaDashboards: { 'd.json': { templating: { list: [{ type: 'datasource', name: 'ds' }] },
            panels: [{ type: 'timeseries', title: 'Up', id: 1 }] } },
        }
        """)).isEmpty();
  }

  @Test
  void reportsMixtoolRulesAndRuleCheckErrorsWithHints() throws Exception {
    List<Finding> f = lint("""
        {
          prometheusAlerts: { groups: [{ name: 'a', rules: [
            { alert: 'bad_alert', expr: 'up == 0', annotations: { summary: 's' } },
            { alert: 'Broken', expr: 'sum(', labels: { severity: 'info' }, annotations: { message: 'm' } },
          ] }] },
          prometheusRules: { groups: [{ name: 'r', rules: [{ record: 'bad-name', expr: 'sum(up)' }] }] },
          grafanaDashboards: { 'd.json': { panels: [{ type: 'timeseries', id: 3 }] } },
        }
        """);
    assertThat(f).extracting(Finding::message).contains(
        "alert name is not CamelCase", "missing description annotation", "missing severity label",
        "recording rule name is not a valid metric name", "no templated data source",
        "panel has no title");
    assertThat(f).anySatisfy(x -> assertThat(x.message()).startsWith("vigil check rules:").contains("alerts.yaml"));
    assertThat(f).anySatisfy(x -> assertThat(x.hint()).contains("BadAlert"));
  }
}
