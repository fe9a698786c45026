package dev.vigil.mixin.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.mixin.jb.Dependency;
import dev.vigil.mixin.jb.FixtureRepo;
import dev.vigil.mixin.jb.JsonnetFile;
import dev.vigil.mixin.jb.Vendorer;
import dev.vigil.mixin.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small mixin with a vendored library, rendered by Vigil and by the C++ jsonnet. */
class MixinBuildTest {
  static final String LIB = """
      {
        dashboard(title, uid, panels):: {
          title: title, uid: uid, schemaVersion: 39,
          templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
          panels: [p { id: i + 1 } for i in std.range(0, std.length(panels) - 1) for p in [panels[i]]],
          tags: [],
          links: {},
        },
        panel(title, expr, unit=null):: {
          title: title, type: 'timeseries',
          targets: [{ expr: expr, legendFormat: std.get(self, 'legend', '{{instance}}') }],
          [if unit != null then 'fieldConfig']: { defaults: { unit: unit } },
          gridPos: { w: 12, h: 8.5 },
        },
      }
      """;
  static final String MIXIN = """
      local lib = import 'example.com/acme/lib/lib.libsonnet';
      {
        _config+:: { selector: 'job="integrations/kubernetes/kubelet"', threshold: 90 },
        prometheusAlerts+:: {
          groups+: [{
            name: 'demo-alerts',
            rules: [{
              alert: 'DemoHigh',
              expr: |||
                sum by (instance) (rate(demo_total{%(selector)s}[5m]))
                  > %(threshold)s
              ||| % $._config,
              'for': '15m',
              labels: { severity: 'warning' },
              annotations: { summary: 'Demo is high.', description: 'Value {{ $value }} on "{{ $labels.instance }}".' },
            }],
          }],
        },
        prometheusRules+:: {
          groups+: [{
            name: 'demo.rules',
            rules: [{ record: 'instance:demo:rate5m', expr: 'sum by (instance) (rate(demo_total{%s}[5m]))' % $._config.selector }],
          }],
        },
        grafanaDashboards+:: {
          'demo.json': lib.dashboard('Demo', 'demo-uid', [
            lib.panel('Rate', 'instance:demo:rate5m', unit='reqps'),
            lib.panel('Ünïcode ✓', 'up{job=~"a|b"}') + { legend: '{{job}}' },
          ]),
          'other.json': lib.dashboard('Other', 'other-uid', []),
        },
      }
      """;

  @TempDir Path tmp;
  Path project;

  @BeforeEach
  void vendorFixture() throws Exception {
    project = Files.createDirectories(tmp.resolve("project"));
    try (FixtureRepo lib = FixtureRepo.create(tmp.resolve("git/example.com/acme/lib"))) {
      lib.commit(Map.of("lib.libsonnet", LIB), "lib");
      Files.writeString(project.resolve(JsonnetFile.FILE),
          new JsonnetFile(List.of(Dependency.git(lib.url(), "", "main")), false).toJson());
    }
    new Vendorer(project, project.resolve("vendor"), Map.of()).install();
    Files.writeString(project.resolve("mixin.libsonnet"), MIXIN);
  }

  private BuildOptions options(Path out) {
    return new BuildOptions(project.resolve("mixin.libsonnet"), List.of(project.resolve("vendor")), out, "demo");
  }

  private MixinBuilder builder() {
    return new MixinBuilder(new JsonnetEngine(List.of(project.resolve("vendor"))));
  }

  @Test
  void rendersLikeCppJsonnet() throws Exception {
    Path out = tmp.resolve("build");
    builder().build(options(out));

    assertThat(out.resolve("alerts.yaml")).hasContent(CppJsonnet.run(project, "-J", "vendor", "-S", "-e",
        "std.manifestYamlDoc((import 'mixin.libsonnet').prometheusAlerts)"));
    assertThat(out.resolve("rules.yaml")).hasContent(CppJsonnet.run(project, "-J", "vendor", "-S", "-e",
        "std.manifestYamlDoc((import 'mixin.libsonnet').prometheusRules)"));
    Path cppDash = Files.createDirectories(tmp.resolve("cpp-dashboards"));
    CppJsonnet.run(project, "-J", "vendor", "-m", cppDash.toString(), "-e", "(import 'mixin.libsonnet').grafanaDashboards");
    for (String d : List.of("demo.json", "other.json")) {
      // Byte-equal, and equal as JSON values (numbers may be spelled differently by design).
      assertThat(Json.parse(Files.readString(out.resolve("dashboards").resolve(d)), d))
          .isEqualTo(Json.parse(Files.readString(cppDash.resolve(d)), d));
      assertThat(out.resolve("dashboards").resolve(d)).hasSameTextualContentAs(cppDash.resolve(d));
    }
  }

  @Test
  void writesManifestsAndRuleGroups() throws Exception {
    Path out = tmp.resolve("build");
    var r = builder().build(options(out));
    assertThat(r.files()).contains("rules/demo/demo-alerts.yaml", "rules/demo/demo.rules.yaml",
        "manifests/prometheusrule-demo-alerts.yaml", "manifests/prometheusrule-demo-rules.yaml",
        "manifests/configmap-grafana-dashboards-demo-1.yaml");
    String cm = Files.readString(out.resolve("manifests/configmap-grafana-dashboards-demo-1.yaml"));
    assertThat(cm).contains("kind: ConfigMap", "grafana_dashboard: '1'", "demo.json: |", "other.json: |");
    String pr = Files.readString(out.resolve("manifests/prometheusrule-demo-alerts.yaml"));
    assertThat(pr).contains("kind: PrometheusRule", "alert: DemoHigh", "expr: |");
    // Deterministic: a second build gives the same bytes.
    Map<String, String> again = builder().render(options(out));
    assertThat(again.get("manifests/configmap-grafana-dashboards-demo-1.yaml")).isEqualTo(cm);
  }

  @Test
  void jsonnetErrorsNameFileLineAndWriteNothing() throws Exception {
    Path out = tmp.resolve("build");
    Files.writeString(project.resolve("mixin.libsonnet"), "{\n  a: 1,\n  b: ,\n}\n");
    assertThatThrownBy(() -> builder().build(options(out)))
        .isInstanceOf(JsonnetException.class).hasMessageContaining("mixin.libsonnet:3");
    Files.writeString(project.resolve("mixin.libsonnet"), "local f(x) = x.missing;\n{ prometheusAlerts: f({}) }\n");
    assertThatThrownBy(() -> builder().build(options(out)))
        .isInstanceOf(JsonnetException.class).hasMessageContaining("missing").hasMessageContaining("mixin.libsonnet:1");
    assertThat(out).doesNotExist();
  }

  @Test
  void dashboardOverOneMebibyteIsRefusedAndNothingWritten() throws Exception {
    Path out = tmp.resolve("build");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep"), "old");
    Files.writeString(project.resolve("mixin.libsonnet"),
        "{ grafanaDashboards: { 'big.json': { panels: [{ title: std.repeat('x', 1000) } for i in std.range(1, 1200)] } } }\n");
    assertThatThrownBy(() -> builder().build(options(out)))
        .isInstanceOf(JsonnetException.class).hasMessageContaining("big.json").hasMessageContaining("ConfigMap limit");
    assertThat(out.resolve("keep")).hasContent("old");
  }

  @Test
  void manyDashboardsAreSplitOverConfigMaps() throws Exception {
    Files.writeString(project.resolve("mixin.libsonnet"),
        "{ grafanaDashboards: { ['d%02d.json' % n]: { panels: [{ title: std.repeat('x', 1000) } for i in std.range(1, 300)] } for n in std.range(1, 9) } }\n");
    var files = builder().render(options(tmp.resolve("build")));
    List<String> cms = files.keySet().stream().filter(f -> f.contains("configmap")).toList();
    assertThat(cms).hasSizeGreaterThan(2);
    cms.forEach(f -> assertThat(files.get(f).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThan(BuildOptions.CONFIGMAP_LIMIT_BYTES));
  }
}
