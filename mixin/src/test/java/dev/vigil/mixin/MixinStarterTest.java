package dev.vigil.mixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.mixin.jb.Dependency;
import dev.vigil.mixin.jb.JsonnetFile;
import dev.vigil.mixin.jb.UpstreamMirror;
import dev.vigil.mixin.jb.Vendorer;
import dev.vigil.mixin.json.Json;
import dev.vigil.mixin.render.BuildOptions;
import dev.vigil.mixin.render.JsonnetEngine;
import dev.vigil.mixin.render.MixinBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixinStarterTest {
  private static void write(Path dir, Map<String, String> files) throws Exception {
    Files.createDirectories(dir);
    for (var e : files.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
  }

  /** The starter's {@code _config} overrides, evaluated over a stand-in mixin that only has a config. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(MixinStarter s, Path dir) throws Exception {
    write(dir, s.files());
    Path fake = dir.resolve("vendor").resolve(s.importPath()).resolve("mixin.libsonnet");
    Files.createDirectories(fake.getParent());
    Files.writeString(fake, "{ _config:: { cadvisorSelector: 'job=\"cadvisor\"', clusterLabel: 'cluster' } }");
    return (Map<String, Object>) new JsonnetEngine(List.of(dir.resolve("vendor")))
        .evaluate("(import 'mixin.libsonnet')._config", dir.resolve("x.jsonnet"));
  }

  @Test
  void defaultsPinTheKubernetesMixinWithTheCollectorPresetJobNames(@TempDir Path tmp) throws Exception {
    MixinStarter s = MixinStarter.defaults();
    JsonnetFile jf = JsonnetFile.read(writeAndGet(tmp, s.files(), JsonnetFile.FILE));
    assertThat(jf.dependencies()).containsExactly(Dependency.git(MixinStarter.KUBERNETES_MIXIN, "", "master"));
    assertThat(jf.legacyImports()).isFalse();
    assertThat(config(s, tmp)).containsEntry("cadvisorSelector", "job=\"integrations/kubernetes/cadvisor\"")
        .containsEntry("kubeletSelector", "job=\"integrations/kubernetes/kubelet\"")
        .containsEntry("kubeStateMetricsSelector", "job=\"integrations/kubernetes/kube-state-metrics\"")
        .containsEntry("nodeExporterSelector", "job=\"integrations/node_exporter\"")
        .containsEntry("kubeApiserverSelector", "job=\"integrations/kubernetes/kube-apiserver\"")
        .containsEntry("kubeProxySelector", "job=\"integrations/kubernetes/kube-proxy\"")
        .containsEntry("clusterLabel", "cluster")
        .containsEntry("showMultiCluster", false);
  }

  private static Path writeAndGet(Path dir, Map<String, String> files, String name) throws Exception {
    write(dir, files);
    return dir.resolve(name);
  }

  @Test
  void optionsChangeSourceVersionJobsAndCluster(@TempDir Path tmp) throws Exception {
    MixinStarter s = MixinStarter.defaults()
        .withSource("https://github.com/acme/mixins.git", "k8s/", "v1.2.3")
        .withJob("kubeletSelector", "my \"odd\" job's name\\x")
        .withCluster("k8s_cluster", true);
    assertThat(s.importPath()).isEqualTo("github.com/acme/mixins/k8s");
    JsonnetFile jf = JsonnetFile.read(writeAndGet(tmp, s.files(), JsonnetFile.FILE));
    assertThat(jf.dependencies()).containsExactly(Dependency.git("https://github.com/acme/mixins.git", "k8s", "v1.2.3"));
    assertThat(s.files().get("mixin.libsonnet")).contains("import 'github.com/acme/mixins/k8s/mixin.libsonnet'");
    // The job name arrives in the PromQL selector intact: quotes and backslashes escaped for PromQL.
    assertThat(config(s, tmp)).containsEntry("kubeletSelector", "job=\"my \\\"odd\\\" job's name\\\\x\"")
        .containsEntry("cadvisorSelector", "job=\"integrations/kubernetes/cadvisor\"")
        .containsEntry("clusterLabel", "k8s_cluster")
        .containsEntry("showMultiCluster", true);
  }

  @Test
  void badOptionsSayWhatToFix() {
    MixinStarter d = MixinStarter.defaults();
    assertThatThrownBy(() -> d.withCluster("k8s-cluster", false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cluster label 'k8s-cluster' is not a Prometheus label name");
    assertThatThrownBy(() -> d.withJob("apiserverSelector", "x")).hasMessageContaining("unknown selector 'apiserverSelector'")
        .hasMessageContaining("kubeletSelector");
    assertThatThrownBy(() -> d.withJob("kubeletSelector", "")).hasMessageContaining("job name for kubeletSelector");
    assertThatThrownBy(() -> d.withSource(" ", "", "main")).hasMessageContaining("mixin source");
    assertThatThrownBy(() -> d.withSource(MixinStarter.KUBERNETES_MIXIN, "", "")).hasMessageContaining("mixin version");
  }

  /**
   * The starter, vendored from the local mirror of the real kubernetes-mixin and rendered: every
   * job selector of the preset reaches the rules, the cluster label is the one asked for, and
   * multi-cluster mode adds the multi-cluster dashboard and shows the cluster picker.
   */
  @Test
  void rendersTheRealKubernetesMixinWithThePresetSelectors(@TempDir Path tmp) throws Exception {
    Path mirror = tmp.resolve("mirror");
    UpstreamMirror.build(mirror);
    Path project = tmp.resolve("k8s");
    MixinStarter s = MixinStarter.defaults().withCluster("k8s_cluster", true);
    write(project, s.files());
    new Vendorer(project, project.resolve("vendor"), UpstreamMirror.insteadOf(mirror)).install();
    assertThat(JsonnetFile.read(project.resolve(JsonnetFile.LOCK_FILE)).dependencies()).extracting(Dependency::name)
        .containsExactly("github.com/grafana/grafonnet/gen/grafonnet-latest", "github.com/grafana/grafonnet/gen/grafonnet-v11.1.0",
            "github.com/jsonnet-libs/docsonnet/doc-util", "github.com/jsonnet-libs/xtd",
            "github.com/kubernetes-monitoring/kubernetes-mixin");

    Path out = project.resolve("build");
    var result = new MixinBuilder(new JsonnetEngine(List.of(project.resolve("vendor"))))
        .build(new BuildOptions(project.resolve("mixin.libsonnet"), List.of(project.resolve("vendor")), out, "k8s"));
    // 23 dashboards by default; multi-cluster adds the multi-cluster resources dashboard.
    assertThat(result.dashboards()).isEqualTo(24);
    assertThat(out.resolve("dashboards/k8s-resources-multicluster.json")).isRegularFile();

    String rules = Files.readString(out.resolve("alerts.yaml")) + Files.readString(out.resolve("rules.yaml"));
    Set<String> jobs = new TreeSet<>();
    Matcher m = Pattern.compile("job=\"([^\"]+)\"").matcher(rules);
    while (m.find()) {
      jobs.add(m.group(1));
    }
    // The control-plane selectors are not part of the preset and keep the mixin's defaults.
    assertThat(jobs).contains("integrations/kubernetes/cadvisor", "integrations/kubernetes/kubelet",
            "integrations/kubernetes/kube-state-metrics", "integrations/node_exporter")
        .doesNotContain("cadvisor", "kubelet", "kube-state-metrics", "node-exporter");
    assertThat(rules).contains("by (k8s_cluster, namespace, pod, container)").doesNotContain("by (cluster,");

    Object dashboard = Json.parse(Files.readString(out.resolve("dashboards/k8s-resources-pod.json")), "k8s-resources-pod.json");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> vars = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) dashboard)
        .get("templating")).get("list");
    assertThat(vars).filteredOn(v -> "cluster".equals(v.get("name"))).singleElement()
        .satisfies(v -> assertThat(((Number) v.get("hide")).intValue()).isZero());
  }
}
