package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.KubernetesSdConfig;
import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KubernetesDiscoveryTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void apiServerFromConfig() throws Exception {
    cluster.client.nodes().resource(NodeRoleTest.node("n1", "InternalIP", "10.0.0.1")).create();
    String url = cluster.server.url("/");
    KubernetesSdConfig sd = new KubernetesSdConfig(Role.NODE, url, "", false, List.of(), List.of(), false, false,
        null);
    // Closed by the cluster after its server: closing watches first can stall the mock server.
    KubernetesClient client = cluster.closeLater(KubernetesClients.create(sd));
    assertThat(client.getMasterUrl().toString()).isEqualTo(url);
    KubernetesDiscovery d = cluster.discover(sd, client);
    List<TargetGroup> gs = cluster.awaitSources("node/n1");
    assertThat(d.current()).isEqualTo(gs);
  }

  @Test
  void unchangedTargetsSendNoSnapshotAndStartOnlyOnce() throws Exception {
    cluster.client.nodes().resource(NodeRoleTest.node("n1", "InternalIP", "10.0.0.1")).create();
    KubernetesDiscovery d = cluster.discover(MockCluster.config(Role.NODE, List.of(), List.of()));
    cluster.awaitSources("node/n1");
    int before = cluster.snapshotCount();
    // A status change that no label reflects, then one that does.
    Node n = NodeRoleTest.node("n1", "InternalIP", "10.0.0.1");
    n.getStatus().setPhase("Running");
    cluster.client.nodes().resource(n).update();
    cluster.client.nodes().resource(NodeRoleTest.node("n2", "InternalIP", "10.0.0.2")).create();
    cluster.awaitSources("node/n1", "node/n2");
    assertThat(cluster.snapshotCount()).isEqualTo(before + 1);
    assertThatThrownBy(d::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyClusterGivesEmptySnapshot() throws Exception {
    cluster.discover(MockCluster.config(Role.POD, List.of("none"), List.of()));
    assertThat(cluster.await(List::isEmpty)).isEmpty();
  }
}
