package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointSliceRoleTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  static EndpointSlice slice(String ns, String name, String service) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(ns).withName(name)
        .addToLabels("kubernetes.io/service-name", service).endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.1.0.5").withNodeName("n1").withZone("eu-1a")
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace(ns).withName("web-1").endTargetRef().endEndpoint()
        .addNewEndpoint().withAddresses("10.1.0.9").withHostname("h9")
        .addToDeprecatedTopology("topology.kubernetes.io/region", "eu").endEndpoint()
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").withAppProtocol("http").endPort()
        .build();
  }

  @Test
  void targetsWithServiceAndPodLabels() throws Exception {
    Pod pod = cluster.client.pods().inNamespace("default").resource(PodRoleTest.pod("default", "web-1", "10.1.0.5"))
        .create();
    cluster.client.services().inNamespace("default").resource(ServiceRoleTest.service("default", "web", "ClusterIP"))
        .create();
    cluster.client.discovery().v1().endpointSlices().inNamespace("default").resource(slice("default", "web-abc", "web"))
        .create();
    cluster.discover(MockCluster.config(Role.ENDPOINTSLICE, List.of(), List.of()));
    TargetGroup g = cluster.await(gs -> gs.size() == 1 && gs.getFirst().labels().has("__meta_kubernetes_service_name")
        && gs.getFirst().targets().size() == 3).getFirst();
    assertThat(g.source()).isEqualTo("endpointslice/default/web-abc");
    assertThat(g.labels()).isEqualTo(Labels.of(
        "__meta_kubernetes_namespace", "default",
        "__meta_kubernetes_endpointslice_address_type", "IPv4",
        "__meta_kubernetes_endpointslice_name", "web-abc",
        "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name", "web",
        "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name", "true",
        "__meta_kubernetes_service_name", "web",
        "__meta_kubernetes_service_label_app", "web",
        "__meta_kubernetes_service_labelpresent_app", "true",
        "__meta_kubernetes_service_annotation_prometheus_io_port", "9100",
        "__meta_kubernetes_service_annotationpresent_prometheus_io_port", "true"));
    Labels.Builder podLabels = Labels.builder();
    PodRole.addPodLabels(podLabels, pod);
    Labels first = podLabels.build().toBuilder()
        .set("__address__", "10.1.0.5:8080")
        .set("__meta_kubernetes_endpointslice_port_name", "http")
        .set("__meta_kubernetes_endpointslice_port_protocol", "TCP")
        .set("__meta_kubernetes_endpointslice_port", "8080")
        .set("__meta_kubernetes_endpointslice_port_app_protocol", "http")
        .set("__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true")
        .set("__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true")
        .set("__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false")
        .set("__meta_kubernetes_endpointslice_address_target_kind", "Pod")
        .set("__meta_kubernetes_endpointslice_address_target_name", "web-1")
        .set("__meta_kubernetes_endpointslice_endpoint_node_name", "n1")
        .set("__meta_kubernetes_endpointslice_endpoint_zone", "eu-1a")
        .set("__meta_kubernetes_pod_container_name", "app")
        .set("__meta_kubernetes_pod_container_image", "web:1")
        .set("__meta_kubernetes_pod_container_port_name", "http")
        .set("__meta_kubernetes_pod_container_port_number", "8080")
        .set("__meta_kubernetes_pod_container_port_protocol", "TCP")
        .build();
    Labels second = Labels.of(
        "__address__", "10.1.0.9:8080",
        "__meta_kubernetes_endpointslice_port_name", "http",
        "__meta_kubernetes_endpointslice_port_protocol", "TCP",
        "__meta_kubernetes_endpointslice_port", "8080",
        "__meta_kubernetes_endpointslice_port_app_protocol", "http",
        "__meta_kubernetes_endpointslice_endpoint_hostname", "h9",
        "__meta_kubernetes_endpointslice_endpoint_topology_topology_kubernetes_io_region", "eu",
        "__meta_kubernetes_endpointslice_endpoint_topology_present_topology_kubernetes_io_region", "true");
    Labels uncovered = podLabels.build().toBuilder()
        .set("__address__", "10.1.0.5:9090")
        .set("__meta_kubernetes_pod_container_name", "app")
        .set("__meta_kubernetes_pod_container_image", "web:1")
        .set("__meta_kubernetes_pod_container_port_name", "metrics")
        .set("__meta_kubernetes_pod_container_port_number", "9090")
        .set("__meta_kubernetes_pod_container_port_protocol", "TCP")
        .build();
    assertThat(g.targets()).containsExactly(first, second, uncovered);
  }

  @Test
  void sliceWithoutKnownServiceOrPod() throws Exception {
    cluster.client.discovery().v1().endpointSlices().inNamespace("a").resource(slice("a", "s1", "missing")).create();
    cluster.discover(MockCluster.config(Role.ENDPOINTSLICE, List.of("a"), List.of()));
    TargetGroup g = cluster.awaitSources("endpointslice/a/s1").getFirst();
    assertThat(g.labels().has("__meta_kubernetes_service_name")).isFalse();
    assertThat(g.targets()).hasSize(2);
    assertThat(g.targets().getFirst().has("__meta_kubernetes_pod_name")).isFalse();
    cluster.client.discovery().v1().endpointSlices().inNamespace("a").withName("s1").delete();
    cluster.awaitSources();
  }
}
