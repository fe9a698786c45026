package dev.vigil.collector.preset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.collector.discovery.kubernetes.KubernetesDiscovery;
import dev.vigil.collector.scrape.ScrapeTarget;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesPresetTest {
  // Held so the levels stick: the mock server logs every request, netty complains at shutdown.
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");
  private static final Logger NETTY_LOG = Logger.getLogger("io.netty");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
    NETTY_LOG.setLevel(Level.OFF);
  }

  private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
      new HashMap<>(), new KubernetesCrudDispatcher(), false);
  private final List<KubernetesDiscovery> discoveries = new ArrayList<>();
  private NamespacedKubernetesClient client;

  @AfterEach
  void close() {
    server.destroy();
    discoveries.forEach(KubernetesDiscovery::close);
    if (client != null) {
      client.close();
    }
  }

  @Test
  void jobNamesMatchTheChartAndTheMixinSelectors() {
    PrometheusConfig cfg = KubernetesPreset.config(KubernetesPreset.Options.defaults("prod"));
    assertThat(cfg.scrapeConfigs()).extracting(ScrapeConfig::jobName).containsExactly(
        "integrations/kubernetes/kubelet", "integrations/kubernetes/cadvisor",
        "integrations/kubernetes/kube-apiserver", "integrations/kubernetes/kube-state-metrics",
        "integrations/node_exporter", "integrations/kubernetes/kube-proxy", "kube-scheduler",
        "kube-controller-manager");
    // The selectors `vigil mixin init` writes into mixin.libsonnet name these jobs.
    for (String selector : List.of("integrations/kubernetes/cadvisor", "integrations/kubernetes/kubelet",
        "integrations/kubernetes/kube-state-metrics", "integrations/node_exporter")) {
      assertThat(cfg.scrapeConfigs()).anyMatch(j -> j.jobName().equals(selector));
    }
    ScrapeConfig kubelet = job(cfg, KubernetesPreset.KUBELET);
    assertThat(kubelet.scheme()).isEqualTo("https");
    assertThat(kubelet.scrapeInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(kubelet.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(kubelet.httpClient().authorization().credentialsFile())
        .isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/token");
    assertThat(kubelet.httpClient().tlsConfig().caFile()).isEqualTo("/var/run/secrets/kubernetes.io/serviceaccount/ca.crt");
    assertThat(kubelet.httpClient().tlsConfig().serverName()).isEqualTo("kubernetes");
    assertThat(job(cfg, KubernetesPreset.APISERVER).httpClient().tlsConfig().insecureSkipVerify()).isFalse();
    // In-cluster discovery: neither an API server URL nor a kubeconfig.
    for (ScrapeConfig j : cfg.scrapeConfigs()) {
      assertThat(j.kubernetesSdConfigs()).singleElement().satisfies(k -> {
        assertThat(k.apiServer()).isEmpty();
        assertThat(k.kubeconfigFile()).isEmpty();
      });
    }
    assertThat(job(cfg, KubernetesPreset.CADVISOR).metricsPath()).isEqualTo("/metrics/cadvisor");
  }

  @Test
  void theYamlLoadsBackThroughTheStrictLoaderUnchanged() {
    KubernetesPreset.Options o = KubernetesPreset.Options.defaults("a $weird 'name'")
        .withScrapeInterval(Duration.ofSeconds(5));
    String yaml = KubernetesPreset.yaml(o);
    PrometheusConfig loaded = ConfigLoader.load(yaml);
    assertThat(loaded).isEqualTo(KubernetesPreset.config(o));
    assertThat(loaded.global().scrapeInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(loaded.global().scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(yaml).startsWith("# Generated by `vigil agent --preset kubernetes --print-config`")
        .contains("job_name: integrations/node_exporter");
    // "$" in the cluster name survives relabelling literally.
    Labels target = ScrapeTarget.populate(Labels.of("__address__", "10.0.0.1:10250", "__meta_kubernetes_node_name", "n"),
        job(loaded, KubernetesPreset.KUBELET)).labels();
    assertThat(target.get("cluster")).isEqualTo("a $weird 'name'");
  }

  @Test
  void badOptionsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> KubernetesPreset.Options.defaults(" ")).hasMessageContaining("cluster name");
    assertThatThrownBy(() -> new KubernetesPreset.Options("c", Duration.ofSeconds(5), Duration.ofSeconds(10), "a=b", "c=d"))
        .hasMessageContaining("10s is longer than the scrape interval 5s");
  }

  @Test
  void discoversTheClusterComponentsWithTheChartsLabels() throws Exception {
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    for (String n : List.of("node-a", "node-b")) {
      client.nodes().resource(node(n, n.equals("node-a") ? "10.0.0.11" : "10.0.0.12")).create();
    }
    // The API server, as kube-apiserver publishes itself.
    client.services().inNamespace("default").resource(service("default", "kubernetes", Map.of("component", "apiserver")))
        .create();
    client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("default").withName("kubernetes")
        .addToLabels("kubernetes.io/service-name", "kubernetes").endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.0.0.2").withNewConditions().withReady(true).endConditions().endEndpoint()
        .addNewPort().withName("https").withPort(6443).withProtocol("TCP").endPort()
        .build()).create();
    // kube-state-metrics: a service with the http and telemetry ports and its slice.
    Map<String, String> ksmLabels = Map.of("app.kubernetes.io/name", "kube-state-metrics");
    client.pods().inNamespace("monitoring").resource(pod("monitoring", "ksm-7d9f-x2", "10.1.0.7", "node-b",
        ksmLabels, "kube-state-metrics", "ReplicaSet", "ksm-7d9f", true, List.of("http", "telemetry"))).create();
    client.services().inNamespace("monitoring").resource(service("monitoring", "kube-state-metrics", ksmLabels)).create();
    client.discovery().v1().endpointSlices().inNamespace("monitoring").resource(ksmSlice()).create();
    // node-exporter on both nodes, one of them not ready yet; an unrelated pod.
    Map<String, String> neLabels = Map.of("app.kubernetes.io/name", "node-exporter");
    client.pods().inNamespace("monitoring").resource(pod("monitoring", "node-exporter-aaaaa", "10.0.0.11", "node-a",
        neLabels, "node-exporter", "DaemonSet", "node-exporter", true, List.of("metrics"))).create();
    client.pods().inNamespace("monitoring").resource(pod("monitoring", "node-exporter-bbbbb", "10.0.0.12", "node-b",
        neLabels, "node-exporter", "DaemonSet", "node-exporter", false, List.of("metrics"))).create();
    client.pods().inNamespace("default").resource(pod("default", "web-1", "10.1.0.9", "node-a",
        Map.of("app.kubernetes.io/name", "web"), "web", "ReplicaSet", "web-5d8", true, List.of("http"))).create();
    // Control plane pods (host network, no declared ports).
    client.pods().inNamespace("kube-system").resource(pod("kube-system", "kube-proxy-p1", "10.0.0.11", "node-a",
        Map.of("k8s-app", "kube-proxy"), "kube-proxy", "DaemonSet", "kube-proxy", true, List.of())).create();
    client.pods().inNamespace("kube-system").resource(pod("kube-system", "kube-scheduler-node-a", "10.0.0.11", "node-a",
        Map.of("component", "kube-scheduler"), "kube-scheduler", "Node", "node-a", true, List.of())).create();
    client.pods().inNamespace("kube-system").resource(pod("kube-system", "kube-controller-manager-node-a", "10.0.0.11",
        "node-a", Map.of("component", "kube-controller-manager"), "kube-controller-manager", "Node", "node-a", true,
        List.of())).create();

    PrometheusConfig cfg = KubernetesPreset.config(KubernetesPreset.Options.defaults("prod"));
    // All discoveries at once: each waits for its informers' first list.
    Map<String, KubernetesDiscovery> started = new TreeMap<>();
    List<CompletableFuture<Void>> synced = new ArrayList<>();
    for (ScrapeConfig job : cfg.scrapeConfigs()) {
      KubernetesDiscovery d = new KubernetesDiscovery(job.kubernetesSdConfigs().getFirst(), client, groups -> {});
      discoveries.add(d);
      started.put(job.jobName(), d);
      synced.add(d.start());
    }
    CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    Map<String, List<Labels>> targets = new TreeMap<>();
    for (ScrapeConfig job : cfg.scrapeConfigs()) {
      targets.put(job.jobName(), relabelled(started.get(job.jobName()).current(), job));
    }

    // The node role names the instance after the node, as in Prometheus (and so in Alloy).
    assertThat(targets.get(KubernetesPreset.KUBELET)).containsExactlyInAnyOrder(
        Labels.of("__address__", "10.0.0.11:10250", "__metrics_path__", "/metrics", "__scheme__", "https",
            "__scrape_interval__", "1m", "__scrape_timeout__", "10s",
            "instance", "node-a", "job", KubernetesPreset.KUBELET, "node", "node-a", "cluster", "prod",
            "source", "kubernetes"),
        Labels.of("__address__", "10.0.0.12:10250", "__metrics_path__", "/metrics", "__scheme__", "https",
            "__scrape_interval__", "1m", "__scrape_timeout__", "10s",
            "instance", "node-b", "job", KubernetesPreset.KUBELET, "node", "node-b", "cluster", "prod",
            "source", "kubernetes"));
    assertThat(targets.get(KubernetesPreset.CADVISOR)).extracting(l -> l.get("node") + " " + l.get("__metrics_path__"))
        .containsExactlyInAnyOrder("node-a /metrics/cadvisor", "node-b /metrics/cadvisor");
    assertThat(targets.get(KubernetesPreset.APISERVER)).containsExactly(Labels.of(
        "__address__", "10.0.0.2:6443", "__metrics_path__", "/metrics", "__scheme__", "https",
        "__scrape_interval__", "1m", "__scrape_timeout__", "10s", "instance", "10.0.0.2:6443",
        "job", KubernetesPreset.APISERVER, "namespace", "default", "service", "kubernetes", "source", "kubernetes",
        "cluster", "prod"));
    // Only the http port, and no namespace/pod labels that would clash with the series' own.
    assertThat(targets.get(KubernetesPreset.KUBE_STATE_METRICS)).containsExactly(Labels.of(
        "__address__", "10.1.0.7:8080", "__metrics_path__", "/metrics", "__scheme__", "http",
        "__scrape_interval__", "1m", "__scrape_timeout__", "10s", "instance", "10.1.0.7:8080",
        "job", KubernetesPreset.KUBE_STATE_METRICS, "source", "kubernetes", "cluster", "prod"));
    // The ready node-exporter only, named by its node.
    assertThat(targets.get(KubernetesPreset.NODE_EXPORTER)).containsExactly(Labels.of(
        "__address__", "10.0.0.11:9100", "__metrics_path__", "/metrics", "__scheme__", "http",
        "__scrape_interval__", "1m", "__scrape_timeout__", "10s", "instance", "node-a",
        "job", KubernetesPreset.NODE_EXPORTER, "namespace", "monitoring", "pod", "node-exporter-aaaaa",
        "container", "node-exporter", "node", "node-a", "workload", "DaemonSet/node-exporter",
        "app", "node-exporter", "source", "kubernetes", "cluster", "prod"));
    assertThat(targets.get(KubernetesPreset.KUBE_PROXY)).extracting(l -> l.get("__address__") + " " + l.get("node")
        + " " + l.get("__scheme__")).containsExactly("10.0.0.11:10249 node-a http");
    assertThat(targets.get(KubernetesPreset.KUBE_SCHEDULER)).extracting(l -> l.get("__address__") + " "
        + l.get("__scheme__") + " " + l.get("cluster")).containsExactly("10.0.0.11:10259 https prod");
    assertThat(targets.get(KubernetesPreset.KUBE_CONTROLLER_MANAGER)).extracting(l -> l.get("__address__"))
        .containsExactly("10.0.0.11:10257");
  }

  /** What a scrape pool makes of the discovered groups: the targets after relabelling. */
  private static List<Labels> relabelled(List<TargetGroup> groups, ScrapeConfig job) {
    List<Labels> out = new ArrayList<>();
    for (TargetGroup g : groups) {
      for (int i = 0; i < g.targets().size(); i++) {
        ScrapeTarget t = ScrapeTarget.populate(g.merged(i), job);
        if (t != null) {
          out.add(t.allLabels());
        }
      }
    }
    return out;
  }

  private static ScrapeConfig job(PrometheusConfig cfg, String name) {
    return cfg.scrapeConfigs().stream().filter(j -> j.jobName().equals(name)).findFirst().orElseThrow();
  }

  private static Node node(String name, String ip) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("kubernetes.io/hostname", name).addToLabels("kubernetes.io/os", "linux").endMetadata()
        .withNewStatus().withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint()
        .endDaemonEndpoints()
        .addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build();
  }

  private static Service service(String ns, String name, Map<String, String> labels) {
    return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels(labels).endMetadata()
        .withNewSpec().withType("ClusterIP").addNewPort().withName("http").withPort(8080).endPort().endSpec().build();
  }

  private static EndpointSlice ksmSlice() {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace("monitoring").withName("kube-state-metrics-x7k2p")
        .addToLabels("kubernetes.io/service-name", "kube-state-metrics")
        .addToLabels("app.kubernetes.io/name", "kube-state-metrics").endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.1.0.7").withNodeName("node-b")
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace("monitoring").withName("ksm-7d9f-x2").endTargetRef()
        .endEndpoint()
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .addNewPort().withName("telemetry").withPort(8081).withProtocol("TCP").endPort()
        .build();
  }

  private static Pod pod(String ns, String name, String ip, String node, Map<String, String> labels, String container,
      String ownerKind, String owner, boolean ready, List<String> ports) {
    PodBuilder b = new PodBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).withUid("uid-" + name).addToLabels(labels)
        .addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName(owner).withUid("owner")
        .withController(true).endOwnerReference()
        .endMetadata();
    var spec = b.withNewSpec().withNodeName(node).addNewContainer().withName(container).withImage(container + ":1");
    int port = ports.contains("metrics") ? 9100 : 8080;
    for (String p : ports) {
      spec = spec.addNewPort().withName(p).withContainerPort(port++).withProtocol("TCP").endPort();
    }
    return spec.endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).withHostIP(ip)
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus()
        .build();
  }
}
