package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.config.KubernetesSdConfig.Selector;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodRoleTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  static Pod pod(String ns, String name, String ip) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).withUid("uid-" + name)
        .addToLabels("app.kubernetes.io/name", "web").addToAnnotations("prometheus.io/scrape", "true")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web-5d8").withUid("rs")
        .withController(true).endOwnerReference()
        .endMetadata()
        .withNewSpec().withNodeName("n1")
        .addNewContainer().withName("app").withImage("web:1")
        .addNewPort().withName("http").withContainerPort(8080).withProtocol("TCP").endPort()
        .addNewPort().withName("metrics").withContainerPort(9090).withProtocol("TCP").endPort()
        .endContainer()
        .addNewContainer().withName("sidecar").withImage("envoy:1").endContainer()
        .addNewInitContainer().withName("init").withImage("busybox").endInitContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).withHostIP("10.0.0.1")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("app").withContainerID("containerd://abc").endContainerStatus()
        .addNewInitContainerStatus().withName("init").withContainerID("containerd://init").endInitContainerStatus()
        .endStatus()
        .build();
  }

  @Test
  void oneTargetPerPortOrPerContainer() throws Exception {
    String uid = cluster.client.pods().inNamespace("default").resource(pod("default", "web-1", "10.1.0.5")).create()
        .getMetadata().getUid();
    cluster.discover(MockCluster.config(Role.POD, List.of(), List.of()));
    TargetGroup g = cluster.awaitSources("pod/default/web-1").getFirst();
    assertThat(g.labels()).isEqualTo(Labels.of(
        "__meta_kubernetes_namespace", "default",
        "__meta_kubernetes_pod_name", "web-1",
        "__meta_kubernetes_pod_ip", "10.1.0.5",
        "__meta_kubernetes_pod_ready", "true",
        "__meta_kubernetes_pod_phase", "Running",
        "__meta_kubernetes_pod_node_name", "n1",
        "__meta_kubernetes_pod_host_ip", "10.0.0.1",
        "__meta_kubernetes_pod_uid", uid,
        "__meta_kubernetes_pod_controller_kind", "ReplicaSet",
        "__meta_kubernetes_pod_controller_name", "web-5d8",
        "__meta_kubernetes_pod_label_app_kubernetes_io_name", "web",
        "__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name", "true",
        "__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true",
        "__meta_kubernetes_pod_annotationpresent_prometheus_io_scrape", "true"));
    assertThat(g.targets()).containsExactly(
        Labels.of("__address__", "10.1.0.5:8080",
            "__meta_kubernetes_pod_container_name", "app",
            "__meta_kubernetes_pod_container_id", "containerd://abc",
            "__meta_kubernetes_pod_container_image", "web:1",
            "__meta_kubernetes_pod_container_init", "false",
            "__meta_kubernetes_pod_container_port_name", "http",
            "__meta_kubernetes_pod_container_port_number", "8080",
            "__meta_kubernetes_pod_container_port_protocol", "TCP"),
        Labels.of("__address__", "10.1.0.5:9090",
            "__meta_kubernetes_pod_container_name", "app",
            "__meta_kubernetes_pod_container_id", "containerd://abc",
            "__meta_kubernetes_pod_container_image", "web:1",
            "__meta_kubernetes_pod_container_init", "false",
            "__meta_kubernetes_pod_container_port_name", "metrics",
            "__meta_kubernetes_pod_container_port_number", "9090",
            "__meta_kubernetes_pod_container_port_protocol", "TCP"),
        Labels.of("__address__", "10.1.0.5",
            "__meta_kubernetes_pod_container_name", "sidecar",
            "__meta_kubernetes_pod_container_image", "envoy:1",
            "__meta_kubernetes_pod_container_init", "false"),
        Labels.of("__address__", "10.1.0.5",
            "__meta_kubernetes_pod_container_name", "init",
            "__meta_kubernetes_pod_container_id", "containerd://init",
            "__meta_kubernetes_pod_container_image", "busybox",
            "__meta_kubernetes_pod_container_init", "true"));
  }

  @Test
  void podWithoutIpGivesEmptyGroupAndReadyUnknown() throws Exception {
    Pod pending = pod("default", "p", null);
    pending.getStatus().setPhase("Pending");
    cluster.client.pods().inNamespace("default").resource(pending).create();
    cluster.discover(MockCluster.config(Role.POD, List.of(), List.of()));
    TargetGroup g = cluster.awaitSources("pod/default/p").getFirst();
    assertThat(g.targets()).isEmpty();
    assertThat(g.labels()).isEqualTo(Labels.EMPTY);

    Pod running = pod("default", "p", "fd00::5");
    running.getStatus().setConditions(List.of());
    cluster.client.pods().inNamespace("default").resource(running).update();
    g = cluster.await(gs -> gs.size() == 1 && !gs.getFirst().targets().isEmpty()).getFirst();
    assertThat(g.labels().get("__meta_kubernetes_pod_ready")).isEqualTo("unknown");
    assertThat(g.targets().getFirst().get("__address__")).isEqualTo("[fd00::5]:8080");
    assertThat(g.targets().get(2).get("__address__")).isEqualTo("fd00::5");
  }

  @Test
  void namespacesAndSelectors() throws Exception {
    cluster.client.pods().inNamespace("a").resource(pod("a", "x", "10.1.0.1")).create();
    cluster.client.pods().inNamespace("b").resource(pod("b", "y", "10.1.0.2")).create();
    cluster.client.pods().inNamespace("c").resource(pod("c", "z", "10.1.0.3")).create();
    Pod other = pod("b", "other", "10.1.0.4");
    other.getMetadata().getLabels().put("app.kubernetes.io/name", "db");
    cluster.client.pods().inNamespace("b").resource(other).create();
    cluster.discover(MockCluster.config(Role.POD, List.of("a", "b"),
        List.of(new Selector(Role.POD, "app.kubernetes.io/name=web", ""), new Selector(Role.NODE, "x=y", ""))));
    cluster.awaitSources("pod/a/x", "pod/b/y");
    cluster.client.pods().inNamespace("c").resource(pod("c", "late", "10.1.0.5")).create();
    cluster.client.pods().inNamespace("a").resource(pod("a", "late", "10.1.0.6")).create();
    cluster.awaitSources("pod/a/late", "pod/a/x", "pod/b/y");
    cluster.client.pods().inNamespace("b").withName("y").delete();
    cluster.awaitSources("pod/a/late", "pod/a/x");
  }

  @Test
  void fieldSelector() throws Exception {
    cluster.client.pods().inNamespace("a").resource(pod("a", "x", "10.1.0.1")).create();
    cluster.client.pods().inNamespace("a").resource(pod("a", "y", "10.1.0.2")).create();
    cluster.discover(MockCluster.config(Role.POD, List.of(), List.of(new Selector(Role.POD, "", "metadata.name=y"))));
    cluster.awaitSources("pod/a/y");
  }
}
