package dev.vigil.collector.discovery.kubernetes;

import static dev.vigil.collector.discovery.kubernetes.MetaLabels.PREFIX;

import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Role {@code pod}: one target per declared container port, or one per container (at the pod
 * IP, no port) when it declares none; init containers too, flagged by
 * {@code __meta_kubernetes_pod_container_init}.
 */
final class PodRole {
  private PodRole() {}

  static String source(String namespace, String name) {
    return "pod/" + namespace + "/" + name;
  }

  /** The pod-level labels (also used by the endpoints roles). */
  static void addPodLabels(Labels.Builder b, Pod pod) {
    PodStatus st = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    b.set(PREFIX + "pod_ip", st.getPodIP());
    b.set(PREFIX + "pod_ready", ready(st));
    b.set(PREFIX + "pod_phase", st.getPhase());
    b.set(PREFIX + "pod_node_name", pod.getSpec() == null ? "" : pod.getSpec().getNodeName());
    b.set(PREFIX + "pod_host_ip", st.getHostIP());
    b.set(PREFIX + "pod_uid", pod.getMetadata().getUid());
    MetaLabels.addObjectMeta(b, pod.getMetadata(), "pod");
    OwnerReference c = MetaLabels.controllerOf(pod.getMetadata());
    if (c != null) {
      b.set(PREFIX + "pod_controller_kind", c.getKind());
      b.set(PREFIX + "pod_controller_name", c.getName());
    }
  }

  static TargetGroup build(Pod pod) {
    String source = source(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      // Starting or evicted: Prometheus sends the group without labels or targets.
      return new TargetGroup(source, List.of(), Labels.EMPTY);
    }
    Labels.Builder g = Labels.builder();
    addPodLabels(g, pod);
    g.set(MetaLabels.NAMESPACE, pod.getMetadata().getNamespace());

    List<Labels> targets = new ArrayList<>();
    List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
    List<Container> inits = pod.getSpec() == null ? List.of() : pod.getSpec().getInitContainers();
    addContainers(targets, ip, containers, pod.getStatus().getContainerStatuses(), false);
    addContainers(targets, ip, inits, pod.getStatus().getInitContainerStatuses(), true);
    return new TargetGroup(source, targets, g.build());
  }

  private static void addContainers(List<Labels> out, String ip, List<Container> containers,
      List<ContainerStatus> statuses, boolean init) {
    if (containers == null) {
      return;
    }
    for (Container c : containers) {
      Labels.Builder base = Labels.builder()
          .set(PREFIX + "pod_container_name", c.getName())
          .set(PREFIX + "pod_container_id", containerId(statuses, c.getName()))
          .set(PREFIX + "pod_container_image", c.getImage())
          .set(PREFIX + "pod_container_init", Boolean.toString(init));
      if (c.getPorts() == null || c.getPorts().isEmpty()) {
        out.add(base.set(MetaLabels.ADDRESS, ip).build());
        continue;
      }
      Labels common = base.build();
      for (ContainerPort p : c.getPorts()) {
        long port = p.getContainerPort() == null ? 0 : p.getContainerPort();
        out.add(common.toBuilder()
            .set(MetaLabels.ADDRESS, MetaLabels.joinHostPort(ip, port))
            .set(PREFIX + "pod_container_port_number", Long.toString(port))
            .set(PREFIX + "pod_container_port_name", p.getName())
            .set(PREFIX + "pod_container_port_protocol", p.getProtocol())
            .build());
      }
    }
  }

  private static String containerId(List<ContainerStatus> statuses, String name) {
    if (statuses != null) {
      for (ContainerStatus s : statuses) {
        if (name.equals(s.getName())) {
          return s.getContainerID();
        }
      }
    }
    return "";
  }

  /** The Ready condition's status lower-cased, {@code unknown} without one. */
  static String ready(PodStatus st) {
    if (st.getConditions() != null) {
      for (PodCondition c : st.getConditions()) {
        if ("Ready".equals(c.getType())) {
          return MetaLabels.nullToEmpty(c.getStatus()).toLowerCase(Locale.ROOT);
        }
      }
    }
    return "unknown";
  }
}
