package dev.vigil.collector.discovery.kubernetes;

import static dev.vigil.collector.discovery.kubernetes.MetaLabels.PREFIX;

import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.collector.discovery.kubernetes.EndpointsRole.SeenPod;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Role {@code endpointslice} (discovery.k8s.io/v1): one target per endpoint address and slice
 * port; the service is the one named by the slice's {@code kubernetes.io/service-name} label.
 * Pod joins and uncovered container ports work as in the endpoints role.
 */
final class EndpointSliceRole {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private EndpointSliceRole() {}

  static String source(String namespace, String name) {
    return "endpointslice/" + namespace + "/" + name;
  }

  static TargetGroup build(EndpointSlice eps, ObjectCache cache) {
    String ns = eps.getMetadata().getNamespace();
    Labels.Builder g = Labels.builder()
        .set(MetaLabels.NAMESPACE, ns)
        .set(PREFIX + "endpointslice_address_type", eps.getAddressType());
    MetaLabels.addObjectMeta(g, eps.getMetadata(), "endpointslice");
    Map<String, String> labels = eps.getMetadata().getLabels();
    String svcName = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    Service svc = svcName == null ? null : cache.service(ns, svcName);
    if (svc != null) {
      ServiceRole.addServiceLabels(g, svc);
    }

    List<Labels> targets = new ArrayList<>();
    Map<String, SeenPod> seen = new LinkedHashMap<>();
    List<EndpointPort> ports = eps.getPorts() == null ? List.of() : eps.getPorts();
    for (Endpoint ep : eps.getEndpoints()) {
      for (EndpointPort port : ports) {
        for (String addr : ep.getAddresses()) {
          targets.add(target(addr, ep, port, cache, seen));
        }
      }
    }
    EndpointsRole.addUncoveredPorts(targets, seen);
    return new TargetGroup(source(ns, eps.getMetadata().getName()), targets, g.build());
  }

  private static Labels target(String addr, Endpoint ep, EndpointPort port, ObjectCache cache,
      Map<String, SeenPod> seen) {
    Integer portNumber = port.getPort();
    Labels.Builder t = Labels.builder()
        .set(MetaLabels.ADDRESS, portNumber == null ? addr : MetaLabels.joinHostPort(addr, portNumber))
        .set(PREFIX + "endpointslice_port_name", port.getName())
        .set(PREFIX + "endpointslice_port_protocol", port.getProtocol())
        .set(PREFIX + "endpointslice_port", portNumber == null ? null : portNumber.toString())
        .set(PREFIX + "endpointslice_port_app_protocol", port.getAppProtocol());
    EndpointConditions c = ep.getConditions();
    if (c != null) {
      t.set(PREFIX + "endpointslice_endpoint_conditions_ready", bool(c.getReady()));
      t.set(PREFIX + "endpointslice_endpoint_conditions_serving", bool(c.getServing()));
      t.set(PREFIX + "endpointslice_endpoint_conditions_terminating", bool(c.getTerminating()));
    }
    t.set(PREFIX + "endpointslice_endpoint_hostname", ep.getHostname());
    if (ep.getTargetRef() != null) {
      t.set(PREFIX + "endpointslice_address_target_kind", ep.getTargetRef().getKind());
      t.set(PREFIX + "endpointslice_address_target_name", ep.getTargetRef().getName());
    }
    t.set(PREFIX + "endpointslice_endpoint_node_name", ep.getNodeName());
    t.set(PREFIX + "endpointslice_endpoint_zone", ep.getZone());
    if (ep.getDeprecatedTopology() != null) {
      for (Map.Entry<String, String> e : ep.getDeprecatedTopology().entrySet()) {
        String ln = MetaLabels.sanitize(e.getKey());
        t.set(PREFIX + "endpointslice_endpoint_topology_" + ln, e.getValue());
        t.set(PREFIX + "endpointslice_endpoint_topology_present_" + ln, MetaLabels.PRESENT);
      }
    }

    Pod pod = ep.getTargetRef() == null || !"Pod".equals(ep.getTargetRef().getKind()) ? null
        : cache.pod(ep.getTargetRef().getNamespace(), ep.getTargetRef().getName());
    if (pod == null) {
      return t.build();
    }
    SeenPod sp = seen.computeIfAbsent(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
        k -> new SeenPod(pod, new ArrayList<>()));
    PodRole.addPodLabels(t, pod);
    if (portNumber != null && pod.getSpec() != null) {
      matching:
      for (Container ct : pod.getSpec().getContainers()) {
        for (ContainerPort cp : ct.getPorts()) {
          if (Objects.equals(cp.getContainerPort(), portNumber)) {
            // Unlike the endpoints role, the container port's own protocol.
            t.set(PREFIX + "pod_container_name", ct.getName())
                .set(PREFIX + "pod_container_image", ct.getImage())
                .set(PREFIX + "pod_container_port_name", cp.getName())
                .set(PREFIX + "pod_container_port_number", portNumber.toString())
                .set(PREFIX + "pod_container_port_protocol", cp.getProtocol());
            break matching;
          }
        }
      }
      sp.ports().add(portNumber);
    }
    return t.build();
  }

  private static String bool(Boolean b) {
    return b == null ? null : b.toString();
  }
}
