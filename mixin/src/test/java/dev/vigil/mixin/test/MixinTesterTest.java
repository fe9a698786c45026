package dev.vigil.mixin.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mixin.render.BuildOptions;
import dev.vigil.mixin.render.JsonnetEngine;
import dev.vigil.mixin.render.MixinBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixinTesterTest {
  static final String MIXIN = """
      { prometheusAlerts: { groups: [{ name: 'g', rules: [{ alert: 'TargetDown', expr: 'up == 0', 'for': '2m',
          labels: { severity: 'warning' }, annotations: { summary: 'down', description: '{{ $labels.job }} is down' } }] }] } }
      """;
  static final String TEST = """
      rule_files:
        - ../prometheus_alerts.yaml
      evaluation_interval: 1m
      tests:
        - interval: 1m
          input_series:
            - series: 'up{job="a"}'
              values: '0 0 0 0 0 0'
          alert_rule_test:
            - eval_time: 5m
              alertname: TargetDown
              exp_alerts:
                - exp_labels: { severity: warning, job: a }
                  exp_annotations: { summary: down, description: 'a is %s' }
      """;

  @Test
  void runsTheMixinsTestsAgainstTheRenderedRules(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("mixin.libsonnet"), MIXIN);
    Path tests = Files.createDirectories(dir.resolve("tests"));
    Files.writeString(tests.resolve("good.yaml"), TEST.formatted("down"));
    Files.writeString(tests.resolve("bad.yaml"), TEST.formatted("up"));
    var files = new MixinBuilder(new JsonnetEngine(List.of()))
        .render(new BuildOptions(dir.resolve("mixin.libsonnet"), List.of(), dir.resolve("out"), "t"));
    StringWriter out = new StringWriter();
    var summary = MixinTester.run(dir, files, List.of(tests.resolve("good.yaml"), tests.resolve("bad.yaml")), new PrintWriter(out));
    assertThat(summary.passed()).as(out.toString()).isEqualTo(1);
    assertThat(summary.failed()).as(out.toString()).isEqualTo(1);
    assertThat(dir.resolve("prometheus_alerts.yaml")).doesNotExist();
  }
}
