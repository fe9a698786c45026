package dev.vigil.mixin;

import dev.vigil.mixin.jb.Dependency;
import dev.vigil.mixin.jb.JsonnetFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files {@code vigil mixin init} writes: a {@code jsonnetfile.json} pinning the
 * kubernetes-mixin and a {@code mixin.libsonnet} whose selectors match the job names of Vigil's
 * collector, which are those of Grafana Alloy's k8s-monitoring chart.
 */
public final class MixinStarter {
  public static final String KUBERNETES_MIXIN = "https://github.com/kubernetes-monitoring/kubernetes-mixin.git";

  private MixinStarter() {}

  /** File name -> content. */
  public static Map<String, String> files() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(JsonnetFile.FILE, new JsonnetFile(List.of(Dependency.git(KUBERNETES_MIXIN, "", "master")), false).toJson());
    m.put("mixin.libsonnet", """
        // The kubernetes-mixin with selectors for Vigil's collector (the job names of Grafana
        // Alloy's k8s-monitoring chart). Render with `vigil mixin build`.
        (import 'github.com/kubernetes-monitoring/kubernetes-mixin/mixin.libsonnet') + {
          _config+:: {
            cadvisorSelector: 'job="integrations/kubernetes/cadvisor"',
            kubeletSelector: 'job="integrations/kubernetes/kubelet"',
            kubeStateMetricsSelector: 'job="integrations/kubernetes/kube-state-metrics"',
            nodeExporterSelector: 'job="integrations/node_exporter"',
          },
        }
        """);
    return m;
  }
}
