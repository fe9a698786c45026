package dev.vigil.app;

import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.preset.KubernetesPreset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The scrape flags {@code vigil agent} and {@code vigil server} share. */
final class ScrapeOptions {
  /** Ready-made scrape configurations. */
  enum Preset {
    KUBERNETES
  }

  @Option(names = "--preset", paramLabel = "NAME",
      description = "Add a ready-made scrape configuration: kubernetes (kubelet, cAdvisor, API server, "
          + "kube-state-metrics, node-exporter, kube-proxy, scheduler, controller-manager, with the job names "
          + "of Grafana Alloy's k8s-monitoring chart; discovers in-cluster with the pod's service account).")
  Preset preset;

  @Option(names = "--preset.cluster-name", paramLabel = "NAME", defaultValue = "kubernetes",
      description = "Value of the cluster label the preset puts on every target (default: ${DEFAULT-VALUE}).")
  String clusterName;

  KubernetesPreset.Options presetOptions() {
    return KubernetesPreset.Options.defaults(clusterName);
  }

  /**
   * The jobs of {@code fromFile} (may be null) and of the preset, if any; the file's global
   * section and remote_write stay.
   *
   * @return null when neither gives a job
   * @throws IllegalArgumentException when the file and the preset define the same job
   */
  PrometheusConfig combine(PrometheusConfig fromFile) {
    if (preset == null) {
      return fromFile == null || fromFile.scrapeConfigs().isEmpty() && fromFile.remoteWrite().isEmpty() ? null : fromFile;
    }
    PrometheusConfig p = KubernetesPreset.config(presetOptions());
    if (fromFile == null) {
      return p;
    }
    List<ScrapeConfig> jobs = new ArrayList<>(fromFile.scrapeConfigs());
    Set<String> names = new HashSet<>();
    for (ScrapeConfig j : jobs) {
      names.add(j.jobName());
    }
    for (ScrapeConfig j : p.scrapeConfigs()) {
      if (!names.add(j.jobName())) {
        throw new IllegalArgumentException("job " + j.jobName() + " is defined by the config file and by --preset "
            + preset.name().toLowerCase(java.util.Locale.ROOT) + "; rename the file's job or drop the preset");
      }
      jobs.add(j);
    }
    return new PrometheusConfig(fromFile.global(), jobs, fromFile.remoteWrite());
  }
}
