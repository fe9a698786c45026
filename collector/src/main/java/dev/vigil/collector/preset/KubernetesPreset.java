package dev.vigil.collector.preset;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.PrometheusDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * The scrape configuration of a Kubernetes cluster as Grafana Alloy's k8s-monitoring chart
 * (feature "cluster metrics" and node-exporter) collects it, in Prometheus's format: kubelet,
 * cAdvisor, the API server, kube-state-metrics, node-exporter, kube-proxy, kube-scheduler and
 * kube-controller-manager, each under the chart's job name, with its target labels, and with the
 * pod's service account for discovery (in-cluster) and for the authenticated endpoints.
 *
 * <p>Where it departs from the chart, on purpose:
 *
 * <ul>
 *   <li>every target gets a {@code cluster} label here; the chart adds it at the destination
 *       (remote write), which a local store never sees;
 *   <li>the API server and kube-state-metrics are discovered through EndpointSlices (the chart
 *       uses the Endpoints API, deprecated since Kubernetes 1.33); kube-state-metrics is kept to
 *       its {@code http}/{@code http-metrics} port so its self-telemetry port is not scraped as
 *       cluster state;
 *   <li>the chart's metric allow lists are not applied (Vigil keeps every series; add
 *       {@code metric_relabel_configs} to the printed file to trim); its cAdvisor rules that drop
 *       series with an empty {@code container} or {@code image} label are;
 *   <li>node-exporter, kube-proxy, the scheduler and the controller manager also get a
 *       {@code node} label (the node the pod runs on).
 * </ul>
 */
public final class KubernetesPreset {
  public static final String KUBELET = "integrations/kubernetes/kubelet";
  public static final String CADVISOR = "integrations/kubernetes/cadvisor";
  public static final String APISERVER = "integrations/kubernetes/kube-apiserver";
  public static final String KUBE_STATE_METRICS = "integrations/kubernetes/kube-state-metrics";
  public static final String NODE_EXPORTER = "integrations/node_exporter";
  public static final String KUBE_PROXY = "integrations/kubernetes/kube-proxy";
  public static final String KUBE_SCHEDULER = "kube-scheduler";
  public static final String KUBE_CONTROLLER_MANAGER = "kube-controller-manager";

  /** Where Kubernetes mounts a pod's service account. */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private static final String FIRST_NON_EMPTY = "^(?:;*)?([^;]+).*$";

  /**
   * What varies between clusters.
   *
   * @param cluster value of the {@code cluster} label
   * @param scrapeInterval every job's interval (the chart's default is 60s)
   * @param scrapeTimeout every job's timeout (the chart's default is 10s)
   * @param kubeStateMetricsSelector label selector of kube-state-metrics' EndpointSlices
   * @param nodeExporterSelector label selector of the node-exporter pods
   */
  public record Options(
      String cluster,
      Duration scrapeInterval,
      Duration scrapeTimeout,
      String kubeStateMetricsSelector,
      String nodeExporterSelector) {
    public Options {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(scrapeInterval, "scrapeInterval");
      Objects.requireNonNull(scrapeTimeout, "scrapeTimeout");
      Objects.requireNonNull(kubeStateMetricsSelector, "kubeStateMetricsSelector");
      Objects.requireNonNull(nodeExporterSelector, "nodeExporterSelector");
      if (cluster.isBlank()) {
        throw new IllegalArgumentException("the cluster name must not be empty (it becomes the cluster label)");
      }
      if (scrapeTimeout.compareTo(scrapeInterval) > 0) {
        throw new IllegalArgumentException("scrape timeout " + PrometheusDuration.format(scrapeTimeout)
            + " is longer than the scrape interval " + PrometheusDuration.format(scrapeInterval));
      }
    }

    /** The chart's defaults for a cluster named {@code cluster}. */
    public static Options defaults(String cluster) {
      return new Options(cluster, Duration.ofSeconds(60), Duration.ofSeconds(10),
          "app.kubernetes.io/name=kube-state-metrics", "app.kubernetes.io/name=node-exporter");
    }

    public Options withScrapeInterval(Duration interval) {
      return new Options(cluster, interval, scrapeTimeout.compareTo(interval) > 0 ? interval : scrapeTimeout,
          kubeStateMetricsSelector, nodeExporterSelector);
    }
  }

  private KubernetesPreset() {}

  /** The configuration, loaded through the same strict loader as a user's file. */
  public static PrometheusConfig config(Options o) {
    return ConfigLoader.load(yaml(o));
  }

  /** The configuration as a Prometheus configuration file. */
  public static String yaml(Options o) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("global", map("scrape_interval", PrometheusDuration.format(o.scrapeInterval()),
        "scrape_timeout", PrometheusDuration.format(o.scrapeTimeout())));
    root.put("scrape_configs", List.of(kubelet(o), cadvisor(o), apiserver(o), kubeStateMetrics(o), nodeExporter(o),
        kubeProxy(o), controlPlane(o, KUBE_SCHEDULER, "component=kube-scheduler", 10259),
        controlPlane(o, KUBE_CONTROLLER_MANAGER, "component=kube-controller-manager", 10257)));
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2)
        .setIndicatorIndent(2).setIndentWithIndicator(true).setWidth(200).build();
    return "# Generated by `vigil agent --preset kubernetes --print-config`: the targets and job names of\n"
        + "# Grafana Alloy's k8s-monitoring chart, in Prometheus's scrape_configs format. Edit and load\n"
        + "# it with --config.file.\n"
        + new Dump(settings).dumpToString(root);
  }

  // ---- jobs ----

  private static Map<String, Object> kubelet(Options o) {
    Map<String, Object> job = job(KUBELET, "https");
    serviceAccountAuth(job, true);
    job.put("kubernetes_sd_configs", List.of(map("role", "node")));
    job.put("relabel_configs", withCluster(o, List.of(
        copy("__meta_kubernetes_node_name", "node"),
        set("source", "kubernetes"))));
    return job;
  }

  private static Map<String, Object> cadvisor(Options o) {
    Map<String, Object> job = job(CADVISOR, "https");
    job.put("metrics_path", "/metrics/cadvisor");
    serviceAccountAuth(job, true);
    job.put("kubernetes_sd_configs", List.of(map("role", "node")));
    job.put("relabel_configs", withCluster(o, List.of(
        copy("__meta_kubernetes_node_name", "node"),
        set("source", "kubernetes"))));
    // cAdvisor exports a cgroup-level duplicate without container/image (google/cadvisor#2688).
    job.put("metric_relabel_configs", List.of(
        map("source_labels", List.of("__name__", "container"), "separator", "@",
            "regex", "(container_cpu_.*|container_fs_.*|container_memory_.*)@", "action", "drop"),
        map("source_labels", List.of("__name__", "image"), "separator", "@",
            "regex", "(container_cpu_.*|container_fs_.*|container_memory_.*|container_network_.*)@", "action", "drop")));
    return job;
  }

  private static Map<String, Object> apiserver(Options o) {
    Map<String, Object> job = job(APISERVER, "https");
    serviceAccountAuth(job, false);
    job.put("kubernetes_sd_configs", List.of(map(
        "role", "endpointslice",
        "namespaces", map("names", List.of("default")),
        "selectors", List.of(map("role", "endpointslice", "label", "kubernetes.io/service-name=kubernetes")))));
    job.put("relabel_configs", withCluster(o, List.of(
        keep(List.of("__meta_kubernetes_endpointslice_port_name"), "https"),
        copy("__meta_kubernetes_namespace", "namespace"),
        copy("__meta_kubernetes_service_name", "service"),
        set("source", "kubernetes"))));
    return job;
  }

  private static Map<String, Object> kubeStateMetrics(Options o) {
    Map<String, Object> job = job(KUBE_STATE_METRICS, "http");
    job.put("kubernetes_sd_configs", List.of(map(
        "role", "endpointslice",
        "selectors", List.of(map("role", "endpointslice", "label", o.kubeStateMetricsSelector())))));
    // No namespace/pod target labels: kube-state-metrics' series carry those of the objects they
    // describe, which target labels would push aside as exported_namespace.
    job.put("relabel_configs", withCluster(o, List.of(
        keep(List.of("__meta_kubernetes_endpointslice_port_name"), "http|http-metrics"),
        set("source", "kubernetes"))));
    return job;
  }

  private static Map<String, Object> nodeExporter(Options o) {
    Map<String, Object> job = job(NODE_EXPORTER, "http");
    job.put("kubernetes_sd_configs", List.of(map(
        "role", "pod",
        "selectors", List.of(map("role", "pod", "label", o.nodeExporterSelector())))));
    List<Object> rules = new ArrayList<>();
    rules.add(map("source_labels", List.of("__meta_kubernetes_pod_container_init", "__meta_kubernetes_pod_phase",
        "__meta_kubernetes_pod_ready"), "separator", "@", "regex", "false@Running@true", "action", "keep"));
    rules.add(copy("__meta_kubernetes_pod_node_name", "instance"));
    rules.add(copy("__meta_kubernetes_pod_node_name", "node"));
    rules.addAll(podIdentity());
    rules.add(map("source_labels", List.of("__meta_kubernetes_pod_controller_kind",
        "__meta_kubernetes_pod_controller_name"), "separator", "/", "target_label", "workload"));
    rules.add(map("source_labels", List.of("workload"), "regex", "(ReplicaSet/.+)-.+", "target_label", "workload"));
    rules.add(map("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_name",
        "__meta_kubernetes_pod_label_k8s_app", "__meta_kubernetes_pod_label_app"),
        "regex", FIRST_NON_EMPTY, "target_label", "app"));
    rules.add(map("source_labels", List.of("__meta_kubernetes_pod_label_app_kubernetes_io_component",
        "__meta_kubernetes_pod_label_k8s_component", "__meta_kubernetes_pod_label_component"),
        "regex", FIRST_NON_EMPTY, "target_label", "component"));
    rules.add(set("source", "kubernetes"));
    job.put("relabel_configs", withCluster(o, rules));
    return job;
  }

  private static Map<String, Object> kubeProxy(Options o) {
    Map<String, Object> job = job(KUBE_PROXY, "http");
    job.put("kubernetes_sd_configs", List.of(map(
        "role", "pod",
        "namespaces", map("names", List.of("kube-system")),
        "selectors", List.of(map("role", "pod", "label", "k8s-app=kube-proxy")))));
    job.put("relabel_configs", withCluster(o, List.of(
        address(10249),
        copy("__meta_kubernetes_pod_node_name", "node"))));
    return job;
  }

  private static Map<String, Object> controlPlane(Options o, String name, String selector, int port) {
    Map<String, Object> job = job(name, "https");
    job.put("authorization", map("credentials_file", SERVICE_ACCOUNT_DIR + "/token"));
    job.put("tls_config", map("insecure_skip_verify", true));
    job.put("kubernetes_sd_configs", List.of(map(
        "role", "pod",
        "namespaces", map("names", List.of("kube-system")),
        "selectors", List.of(map("role", "pod", "label", selector)))));
    job.put("relabel_configs", withCluster(o, List.of(
        address(port),
        copy("__meta_kubernetes_pod_node_name", "node"))));
    return job;
  }

  // ---- pieces ----

  private static Map<String, Object> job(String name, String scheme) {
    return map("job_name", name, "scheme", scheme);
  }

  /** The pod's service-account token; the API server's certificate is checked unless {@code skipVerify}. */
  private static void serviceAccountAuth(Map<String, Object> job, boolean skipVerify) {
    job.put("authorization", map("credentials_file", SERVICE_ACCOUNT_DIR + "/token"));
    job.put("tls_config", map("ca_file", SERVICE_ACCOUNT_DIR + "/ca.crt", "insecure_skip_verify", skipVerify,
        "server_name", "kubernetes"));
  }

  /**
   * One target per pod, on the component's well-known port: pod role yields a target per
   * declared container port (none for host-network control-plane pods), so the IP is the key.
   */
  private static Map<String, Object> address(int port) {
    return map("source_labels", List.of("__meta_kubernetes_pod_ip"), "regex", "(.+)",
        "replacement", "$1:" + port, "target_label", "__address__");
  }

  private static List<Object> podIdentity() {
    return List.of(
        copy("__meta_kubernetes_namespace", "namespace"),
        copy("__meta_kubernetes_pod_name", "pod"),
        copy("__meta_kubernetes_pod_container_name", "container"));
  }

  private static List<Object> withCluster(Options o, List<Object> rules) {
    List<Object> all = new ArrayList<>(rules);
    // "$" would start a group reference in the replacement.
    all.add(set("cluster", o.cluster().replace("$", "$$")));
    return all;
  }

  private static Map<String, Object> copy(String from, String to) {
    return map("source_labels", List.of(from), "target_label", to);
  }

  private static Map<String, Object> set(String label, String value) {
    return map("target_label", label, "replacement", value);
  }

  private static Map<String, Object> keep(List<String> sources, String regex) {
    return map("source_labels", sources, "regex", regex, "action", "keep");
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
