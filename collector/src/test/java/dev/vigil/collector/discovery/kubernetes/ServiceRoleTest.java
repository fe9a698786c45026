package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceRoleTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  static Service service(String ns, String name, String type) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).addToLabels("app", name)
        .addToAnnotations("prometheus.io/port", "9100").endMetadata()
        .withNewSpec().withType(type).withClusterIP("10.96.0.10").withExternalName("db.example.com")
        .withLoadBalancerIP("1.2.3.4")
        .addNewPort().withName("metrics").withPort(9100).withProtocol("TCP").endPort()
        .addNewPort().withName("dns").withPort(53).withProtocol("UDP").endPort()
        .endSpec().build();
  }

  @Test
  void oneTargetPerPort() throws Exception {
    cluster.client.services().inNamespace("kube-system").resource(service("kube-system", "kube-dns", "ClusterIP")).create();
    cluster.discover(MockCluster.config(Role.SERVICE, List.of(), List.of()));
    TargetGroup g = cluster.awaitSources("svc/kube-system/kube-dns").getFirst();
    assertThat(g.labels()).isEqualTo(Labels.of(
        "__meta_kubernetes_namespace", "kube-system",
        "__meta_kubernetes_service_name", "kube-dns",
        "__meta_kubernetes_service_label_app", "kube-dns",
        "__meta_kubernetes_service_labelpresent_app", "true",
        "__meta_kubernetes_service_annotation_prometheus_io_port", "9100",
        "__meta_kubernetes_service_annotationpresent_prometheus_io_port", "true"));
    assertThat(g.targets()).containsExactly(
        Labels.of("__address__", "kube-dns.kube-system.svc:9100",
            "__meta_kubernetes_service_port_name", "metrics",
            "__meta_kubernetes_service_port_number", "9100",
            "__meta_kubernetes_service_port_protocol", "TCP",
            "__meta_kubernetes_service_type", "ClusterIP",
            "__meta_kubernetes_service_cluster_ip", "10.96.0.10"),
        Labels.of("__address__", "kube-dns.kube-system.svc:53",
            "__meta_kubernetes_service_port_name", "dns",
            "__meta_kubernetes_service_port_number", "53",
            "__meta_kubernetes_service_port_protocol", "UDP",
            "__meta_kubernetes_service_type", "ClusterIP",
            "__meta_kubernetes_service_cluster_ip", "10.96.0.10"));
  }

  @Test
  void externalNameAndLoadBalancer() throws Exception {
    cluster.client.services().inNamespace("a").resource(service("a", "ext", "ExternalName")).create();
    cluster.client.services().inNamespace("a").resource(service("a", "lb", "LoadBalancer")).create();
    cluster.discover(MockCluster.config(Role.SERVICE, List.of("a"), List.of()));
    List<TargetGroup> gs = cluster.awaitSources("svc/a/ext", "svc/a/lb");
    Labels ext = gs.get(0).targets().getFirst();
    assertThat(ext.get("__meta_kubernetes_service_external_name")).isEqualTo("db.example.com");
    assertThat(ext.has("__meta_kubernetes_service_cluster_ip")).isFalse();
    assertThat(ext.has("__meta_kubernetes_service_loadbalancer_ip")).isFalse();
    Labels lb = gs.get(1).targets().getFirst();
    assertThat(lb.get("__meta_kubernetes_service_cluster_ip")).isEqualTo("10.96.0.10");
    assertThat(lb.get("__meta_kubernetes_service_loadbalancer_ip")).isEqualTo("1.2.3.4");
    assertThat(lb.has("__meta_kubernetes_service_external_name")).isFalse();
  }
}
