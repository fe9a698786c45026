package dev.vigil.collector.discovery.kubernetes;

import static dev.vigil.collector.discovery.kubernetes.MetaLabels.PREFIX;

import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Role {@code node}: one target per node at its preferred address and kubelet port. */
final class NodeRole {
  /** Address types in order of preference (Kubernetes's own node address priority). */
  static final List<String> ADDRESS_PREFERENCE =
      List.of("InternalIP", "InternalDNS", "ExternalIP", "ExternalDNS", "LegacyHostIP", "Hostname");

  private NodeRole() {}

  static String source(String name) {
    return "node/" + name;
  }

  /** The node's group, or null when it has no usable address (Prometheus skips it too). */
  static TargetGroup build(Node node) {
    Map<String, String> firstByType = new LinkedHashMap<>();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        firstByType.putIfAbsent(MetaLabels.nullToEmpty(a.getType()), MetaLabels.nullToEmpty(a.getAddress()));
      }
    }
    String host = null;
    for (String type : ADDRESS_PREFERENCE) {
      host = firstByType.get(type);
      if (host != null) {
        break;
      }
    }
    if (host == null) {
      return null;
    }
    Labels.Builder g = Labels.builder();
    g.set(PREFIX + "node_provider_id", node.getSpec() == null ? "" : node.getSpec().getProviderID());
    MetaLabels.addObjectMeta(g, node.getMetadata(), "node");

    Labels.Builder t = Labels.builder();
    t.set(MetaLabels.ADDRESS, MetaLabels.joinHostPort(host, kubeletPort(node)));
    t.set("instance", node.getMetadata().getName());
    firstByType.forEach((type, addr) -> t.set(MetaLabels.sanitize(PREFIX + "node_address_" + type), addr));
    return new TargetGroup(source(node.getMetadata().getName()), List.of(t.build()), g.build());
  }

  private static long kubeletPort(Node node) {
    var st = node.getStatus();
    if (st == null || st.getDaemonEndpoints() == null || st.getDaemonEndpoints().getKubeletEndpoint() == null
        || st.getDaemonEndpoints().getKubeletEndpoint().getPort() == null) {
      return 0;
    }
    return st.getDaemonEndpoints().getKubeletEndpoint().getPort();
  }
}
