package dev.vigil.collector.discovery.kubernetes;

import static dev.vigil.collector.discovery.kubernetes.MetaLabels.PREFIX;

import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Role {@code endpoints}: one target per address and port of each subset (ready addresses, then
 * not-ready ones), with the service's labels on the group and the pod's labels on targets whose
 * address points at a known pod; container ports of those pods that no endpoint port covers
 * become extra targets at the pod IP.
 */
final class EndpointsRole {
  private EndpointsRole() {}

  static String source(String namespace, String name) {
    return "endpoints/" + namespace + "/" + name;
  }

  static TargetGroup build(Endpoints eps, ObjectCache cache) {
    String ns = eps.getMetadata().getNamespace();
    Labels.Builder g = Labels.builder().set(MetaLabels.NAMESPACE, ns);
    Service svc = cache.service(ns, eps.getMetadata().getName());
    if (svc != null) {
      ServiceRole.addServiceLabels(g, svc);
    }
    MetaLabels.addObjectMeta(g, eps.getMetadata(), "endpoints");

    List<Labels> targets = new ArrayList<>();
    Map<String, SeenPod> seen = new LinkedHashMap<>();
    if (eps.getSubsets() != null) {
      for (EndpointSubset ss : eps.getSubsets()) {
        for (EndpointPort port : ss.getPorts()) {
          for (EndpointAddress a : ss.getAddresses()) {
            targets.add(target(a, port, "true", cache, seen));
          }
          for (EndpointAddress a : ss.getNotReadyAddresses()) {
            targets.add(target(a, port, "false", cache, seen));
          }
        }
      }
    }
    addUncoveredPorts(targets, seen);
    return new TargetGroup(source(ns, eps.getMetadata().getName()), targets, g.build());
  }

  /** Targets at the pod IP for container ports of seen pods that no endpoint port covered. */
  static void addUncoveredPorts(List<Labels> targets, Map<String, SeenPod> seen) {
    for (SeenPod sp : seen.values()) {
      String ip = sp.pod.getStatus() == null ? null : sp.pod.getStatus().getPodIP();
      if (ip == null || ip.isEmpty() || sp.pod.getSpec() == null) {
        continue;
      }
      for (Container c : sp.pod.getSpec().getContainers()) {
        for (ContainerPort cp : c.getPorts()) {
          if (sp.ports.contains(cp.getContainerPort())) {
            continue;
          }
          Labels.Builder t = Labels.builder()
              .set(MetaLabels.ADDRESS, MetaLabels.joinHostPort(ip, cp.getContainerPort()))
              .set(PREFIX + "pod_container_name", c.getName())
              .set(PREFIX + "pod_container_image", c.getImage())
              .set(PREFIX + "pod_container_port_name", cp.getName())
              .set(PREFIX + "pod_container_port_number", Integer.toString(cp.getContainerPort()))
              .set(PREFIX + "pod_container_port_protocol", cp.getProtocol());
          PodRole.addPodLabels(t, sp.pod);
          targets.add(t.build());
        }
      }
    }
  }

  private static Labels target(EndpointAddress a, EndpointPort port, String ready, ObjectCache cache,
      Map<String, SeenPod> seen) {
    int portNumber = port.getPort() == null ? 0 : port.getPort();
    Labels.Builder t = Labels.builder()
        .set(MetaLabels.ADDRESS, MetaLabels.joinHostPort(a.getIp(), portNumber))
        .set(PREFIX + "endpoint_port_name", port.getName())
        .set(PREFIX + "endpoint_port_protocol", port.getProtocol())
        .set(PREFIX + "endpoint_ready", ready);
    if (a.getTargetRef() != null) {
      t.set(PREFIX + "endpoint_address_target_kind", a.getTargetRef().getKind());
      t.set(PREFIX + "endpoint_address_target_name", a.getTargetRef().getName());
    }
    t.set(PREFIX + "endpoint_node_name", a.getNodeName());
    t.set(PREFIX + "endpoint_hostname", a.getHostname());

    Pod pod = a.getTargetRef() == null || !"Pod".equals(a.getTargetRef().getKind()) ? null
        : cache.pod(a.getTargetRef().getNamespace(), a.getTargetRef().getName());
    if (pod == null) {
      return t.build();
    }
    SeenPod sp = seen.computeIfAbsent(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
        k -> new SeenPod(pod, new ArrayList<>()));
    PodRole.addPodLabels(t, pod);
    addMatchingContainer(t, pod, portNumber, port.getProtocol());
    sp.ports.add(portNumber);
    return t.build();
  }

  /** Container labels of the first container port equal to the endpoint port (its protocol stays the endpoint's). */
  static void addMatchingContainer(Labels.Builder t, Pod pod, int portNumber, String protocol) {
    if (pod.getSpec() == null) {
      return;
    }
    for (Container c : pod.getSpec().getContainers()) {
      for (ContainerPort cp : c.getPorts()) {
        if (Objects.equals(cp.getContainerPort(), portNumber)) {
          t.set(PREFIX + "pod_container_name", c.getName())
              .set(PREFIX + "pod_container_image", c.getImage())
              .set(PREFIX + "pod_container_port_name", cp.getName())
              .set(PREFIX + "pod_container_port_number", Integer.toString(portNumber))
              .set(PREFIX + "pod_container_port_protocol", protocol);
          break;
        }
      }
    }
  }

  /** A pod some endpoint address pointed at, and the endpoint ports seen for it. */
  record SeenPod(Pod pod, List<Integer> ports) {}
}
