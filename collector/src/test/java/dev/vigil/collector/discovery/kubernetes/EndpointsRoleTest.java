package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointsRoleTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  static Endpoints endpoints(String ns, String name) {
    return new EndpointsBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", "web").endMetadata()
        .addNewSubset()
        .addNewAddress().withIp("10.1.0.5").withNodeName("n1")
        .withNewTargetRef().withKind("Pod").withNamespace(ns).withName("web-1").endTargetRef().endAddress()
        .addNewNotReadyAddress().withIp("10.1.0.9").withHostname("h9").endNotReadyAddress()
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .endSubset().build();
  }

  @Test
  void targetsWithServiceAndPodLabels() throws Exception {
    Pod pod = cluster.client.pods().inNamespace("default").resource(PodRoleTest.pod("default", "web-1", "10.1.0.5"))
        .create();
    cluster.client.services().inNamespace("default").resource(ServiceRoleTest.service("default", "web", "ClusterIP"))
        .create();
    cluster.client.endpoints().inNamespace("default").resource(endpoints("default", "web")).create();
    cluster.discover(MockCluster.config(Role.ENDPOINTS, List.of(), List.of()));
    TargetGroup g = cluster.await(gs -> gs.size() == 1 && gs.getFirst().labels().has("__meta_kubernetes_service_name")
        && gs.getFirst().targets().size() == 3).getFirst();
    assertThat(g.source()).isEqualTo("endpoints/default/web");
    assertThat(g.labels()).isEqualTo(Labels.of(
        "__meta_kubernetes_namespace", "default",
        "__meta_kubernetes_endpoints_name", "web",
        "__meta_kubernetes_endpoints_label_app", "web",
        "__meta_kubernetes_endpoints_labelpresent_app", "true",
        "__meta_kubernetes_service_name", "web",
        "__meta_kubernetes_service_label_app", "web",
        "__meta_kubernetes_service_labelpresent_app", "true",
        "__meta_kubernetes_service_annotation_prometheus_io_port", "9100",
        "__meta_kubernetes_service_annotationpresent_prometheus_io_port", "true"));
    Labels.Builder podLabels = Labels.builder();
    PodRole.addPodLabels(podLabels, pod);
    Labels ready = podLabels.build().toBuilder()
        .set("__address__", "10.1.0.5:8080")
        .set("__meta_kubernetes_endpoint_port_name", "http")
        .set("__meta_kubernetes_endpoint_port_protocol", "TCP")
        .set("__meta_kubernetes_endpoint_ready", "true")
        .set("__meta_kubernetes_endpoint_address_target_kind", "Pod")
        .set("__meta_kubernetes_endpoint_address_target_name", "web-1")
        .set("__meta_kubernetes_endpoint_node_name", "n1")
        .set("__meta_kubernetes_pod_container_name", "app")
        .set("__meta_kubernetes_pod_container_image", "web:1")
        .set("__meta_kubernetes_pod_container_port_name", "http")
        .set("__meta_kubernetes_pod_container_port_number", "8080")
        .set("__meta_kubernetes_pod_container_port_protocol", "TCP")
        .build();
    Labels notReady = Labels.of(
        "__address__", "10.1.0.9:8080",
        "__meta_kubernetes_endpoint_port_name", "http",
        "__meta_kubernetes_endpoint_port_protocol", "TCP",
        "__meta_kubernetes_endpoint_ready", "false",
        "__meta_kubernetes_endpoint_hostname", "h9");
    Labels uncovered = podLabels.build().toBuilder()
        .set("__address__", "10.1.0.5:9090")
        .set("__meta_kubernetes_pod_container_name", "app")
        .set("__meta_kubernetes_pod_container_image", "web:1")
        .set("__meta_kubernetes_pod_container_port_name", "metrics")
        .set("__meta_kubernetes_pod_container_port_number", "9090")
        .set("__meta_kubernetes_pod_container_port_protocol", "TCP")
        .build();
    assertThat(g.targets()).containsExactly(ready, notReady, uncovered);
    assertThat(ready.get("__meta_kubernetes_pod_name")).isEqualTo("web-1");
  }

  @Test
  void withoutServiceOrPodAndFollowsServiceChanges() throws Exception {
    cluster.client.endpoints().inNamespace("a").resource(endpoints("a", "web")).create();
    cluster.discover(MockCluster.config(Role.ENDPOINTS, List.of("a"), List.of()));
    TargetGroup g = cluster.awaitSources("endpoints/a/web").getFirst();
    assertThat(g.labels().has("__meta_kubernetes_service_name")).isFalse();
    assertThat(g.targets()).hasSize(2);
    assertThat(g.targets().getFirst().has("__meta_kubernetes_pod_name")).isFalse();
    assertThat(g.targets().getFirst().get("__meta_kubernetes_endpoint_address_target_name")).isEqualTo("web-1");

    cluster.client.services().inNamespace("a").resource(ServiceRoleTest.service("a", "web", "ClusterIP")).create();
    cluster.await(gs -> gs.size() == 1 && "web".equals(gs.getFirst().labels().get("__meta_kubernetes_service_name")));
    cluster.client.endpoints().inNamespace("a").withName("web").delete();
    cluster.awaitSources();
  }
}
