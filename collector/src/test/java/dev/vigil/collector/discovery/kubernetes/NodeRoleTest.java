package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeRoleTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  static Node node(String name, String... typeAddress) {
    NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
        .addToLabels("kubernetes.io/hostname", name).addToAnnotations("node.alpha/ttl", "0").endMetadata()
        .withNewSpec().withProviderID("aws:///eu-west-1a/i-1").endSpec()
        .withNewStatus().withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250).endKubeletEndpoint()
        .endDaemonEndpoints().endStatus();
    Node n = b.build();
    for (int i = 0; i < typeAddress.length; i += 2) {
      n.getStatus().getAddresses().add(new io.fabric8.kubernetes.api.model.NodeAddress(typeAddress[i + 1], typeAddress[i]));
    }
    return n;
  }

  @Test
  void nodeTargetWithMetaLabels() throws Exception {
    cluster.client.nodes().resource(node("n1", "Hostname", "n1", "ExternalIP", "3.3.3.3", "InternalIP", "10.0.0.1",
        "InternalIP", "10.0.0.9")).create();
    cluster.discover(MockCluster.config(Role.NODE, List.of(), List.of()));
    List<TargetGroup> gs = cluster.awaitSources("node/n1");
    TargetGroup g = gs.getFirst();
    assertThat(g.labels()).isEqualTo(Labels.of(
        "__meta_kubernetes_node_name", "n1",
        "__meta_kubernetes_node_provider_id", "aws:///eu-west-1a/i-1",
        "__meta_kubernetes_node_label_kubernetes_io_hostname", "n1",
        "__meta_kubernetes_node_labelpresent_kubernetes_io_hostname", "true",
        "__meta_kubernetes_node_annotation_node_alpha_ttl", "0",
        "__meta_kubernetes_node_annotationpresent_node_alpha_ttl", "true"));
    assertThat(g.targets()).containsExactly(Labels.of(
        "__address__", "10.0.0.1:10250",
        "instance", "n1",
        "__meta_kubernetes_node_address_InternalIP", "10.0.0.1",
        "__meta_kubernetes_node_address_ExternalIP", "3.3.3.3",
        "__meta_kubernetes_node_address_Hostname", "n1"));
  }

  @Test
  void addressPreferenceAndIpv6() throws Exception {
    cluster.client.nodes().resource(node("a", "Hostname", "a.local", "ExternalDNS", "a.example.com")).create();
    cluster.client.nodes().resource(node("b", "Hostname", "b.local")).create();
    cluster.client.nodes().resource(node("c", "ExternalIP", "2001:db8::1")).create();
    cluster.discover(MockCluster.config(Role.NODE, List.of(), List.of()));
    List<TargetGroup> gs = cluster.awaitSources("node/a", "node/b", "node/c");
    assertThat(gs.stream().map(g -> g.targets().getFirst().get("__address__")))
        .containsExactly("a.example.com:10250", "b.local:10250", "[2001:db8::1]:10250");
  }

  @Test
  void nodeWithoutAddressIsSkipped() throws Exception {
    cluster.client.nodes().resource(node("bare")).create();
    cluster.client.nodes().resource(node("ok", "InternalIP", "10.0.0.2")).create();
    cluster.discover(MockCluster.config(Role.NODE, List.of(), List.of()));
    cluster.awaitSources("node/ok");
  }

  @Test
  void updatesAndDeletesProduceNewSnapshots() throws Exception {
    cluster.client.nodes().resource(node("n1", "InternalIP", "10.0.0.1")).create();
    cluster.discover(MockCluster.config(Role.NODE, List.of(), List.of()));
    cluster.awaitSources("node/n1");
    cluster.client.nodes().resource(node("n2", "InternalIP", "10.0.0.2")).create();
    cluster.awaitSources("node/n1", "node/n2");
    Node changed = node("n1", "InternalIP", "10.0.0.7");
    cluster.client.nodes().resource(changed).update();
    cluster.await(gs -> gs.size() == 2 && "10.0.0.7:10250".equals(gs.getFirst().targets().getFirst().get("__address__")));
    cluster.client.nodes().withName("n2").delete();
    cluster.awaitSources("node/n1");
  }

  @Test
  void labelSelector() throws Exception {
    Node worker = node("w", "InternalIP", "10.0.0.3");
    worker.getMetadata().getLabels().put("role", "worker");
    cluster.client.nodes().resource(worker).create();
    cluster.client.nodes().resource(node("m", "InternalIP", "10.0.0.4")).create();
    cluster.discover(MockCluster.config(Role.NODE, List.of(),
        List.of(new dev.vigil.collector.config.KubernetesSdConfig.Selector(Role.NODE, "role=worker", ""))));
    cluster.awaitSources("node/w");
  }
}
