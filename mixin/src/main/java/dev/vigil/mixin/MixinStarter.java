package dev.vigil.mixin;

import dev.vigil.mixin.jb.Dependency;
import dev.vigil.mixin.jb.GitSource;
import dev.vigil.mixin.jb.JsonnetFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files {@code vigil mixin init} writes: a {@code jsonnetfile.json} pinning a mixin (the
 * kubernetes-mixin unless told otherwise) and a {@code mixin.libsonnet} that imports it and sets
 * its {@code _config}: selectors for the job names of Vigil's collector preset, which are those of
 * Grafana Alloy's k8s-monitoring chart, the cluster label and the multi-cluster switch.
 *
 * @param source the mixin's Git remote
 * @param subdir the mixin's folder in that repository ({@code ""}: the root)
 * @param version the branch, tag or commit {@code jsonnetfile.json} asks for
 * @param jobs the job name per kubernetes-mixin selector ({@link #SELECTORS})
 * @param clusterLabel the label that tells clusters apart ({@code _config.clusterLabel})
 * @param multiCluster show the cluster picker in dashboards ({@code _config.showMultiCluster})
 */
public record MixinStarter(String source, String subdir, String version, Map<String, String> jobs, String clusterLabel,
    boolean multiCluster) {
  public static final String KUBERNETES_MIXIN = "https://github.com/kubernetes-monitoring/kubernetes-mixin.git";

  /**
   * kubernetes-mixin {@code _config} selector -> the job name Vigil's collector preset (and
   * Alloy's k8s-monitoring chart) gives those targets.
   */
  public static final Map<String, String> SELECTORS;

  static {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cadvisorSelector", "integrations/kubernetes/cadvisor");
    m.put("kubeletSelector", "integrations/kubernetes/kubelet");
    m.put("kubeStateMetricsSelector", "integrations/kubernetes/kube-state-metrics");
    m.put("nodeExporterSelector", "integrations/node_exporter");
    m.put("kubeApiserverSelector", "integrations/kubernetes/kube-apiserver");
    m.put("kubeProxySelector", "integrations/kubernetes/kube-proxy");
    SELECTORS = java.util.Collections.unmodifiableMap(m);
  }

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  public MixinStarter {
    if (source.isBlank()) {
      throw new IllegalArgumentException("the mixin source (a Git URL) must not be empty");
    }
    if (version.isBlank()) {
      throw new IllegalArgumentException("the mixin version (branch, tag or commit) must not be empty");
    }
    for (var e : jobs.entrySet()) {
      if (!SELECTORS.containsKey(e.getKey())) {
        throw new IllegalArgumentException("unknown selector '" + e.getKey() + "'; known: " + SELECTORS.keySet());
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("the job name for " + e.getKey() + " must not be empty");
      }
    }
    if (!LABEL_NAME.matcher(clusterLabel).matches()) {
      throw new IllegalArgumentException("cluster label '" + clusterLabel
          + "' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)");
    }
    jobs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jobs));
  }

  /** The kubernetes-mixin from its default branch, with the collector preset's job names. */
  public static MixinStarter defaults() {
    return new MixinStarter(KUBERNETES_MIXIN, "", "master", SELECTORS, "cluster", false);
  }

  public MixinStarter withSource(String remote, String dir, String ref) {
    return new MixinStarter(remote, dir, ref, jobs, clusterLabel, multiCluster);
  }

  public MixinStarter withJob(String selector, String job) {
    Map<String, String> m = new LinkedHashMap<>(jobs);
    m.put(selector, job);
    return new MixinStarter(source, subdir, version, m, clusterLabel, multiCluster);
  }

  public MixinStarter withCluster(String label, boolean multi) {
    return new MixinStarter(source, subdir, version, jobs, label, multi);
  }

  /** The vendor path the mixin is imported from, e.g. {@code github.com/kubernetes-monitoring/kubernetes-mixin}. */
  public String importPath() {
    return new GitSource(source, subdir).name();
  }

  /** File name -> content. */
  public Map<String, String> files() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(JsonnetFile.FILE, new JsonnetFile(List.of(Dependency.git(source, subdir, version)), false).toJson());
    StringBuilder config = new StringBuilder();
    for (var e : jobs.entrySet()) {
      config.append("    ").append(e.getKey()).append(": ")
          .append(jsonnetString("job=" + promqlString(e.getValue()))).append(",\n");
    }
    config.append("    clusterLabel: ").append(jsonnetString(clusterLabel)).append(",\n");
    config.append("    showMultiCluster: ").append(multiCluster).append(",\n");
    m.put("mixin.libsonnet", """
        // %s with selectors for Vigil's collector (the job names of Grafana Alloy's
        // k8s-monitoring chart). Render with `vigil mixin build`; written by `vigil mixin init`.
        (import %s) + {
          _config+:: {
        %s  },
        }
        """.formatted(importPath(), jsonnetString(importPath() + "/mixin.libsonnet"), config));
    return m;
  }

  /** A PromQL double-quoted string literal. */
  static String promqlString(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  /** A Jsonnet single-quoted string literal. */
  static String jsonnetString(String s) {
    return '\'' + s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + '\'';
  }
}
