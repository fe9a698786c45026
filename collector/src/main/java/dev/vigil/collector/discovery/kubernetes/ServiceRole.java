package dev.vigil.collector.discovery.kubernetes;

import static dev.vigil.collector.discovery.kubernetes.MetaLabels.PREFIX;

import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/** Role {@code service}: one target per service port at {@code <name>.<namespace>.svc:<port>}. */
final class ServiceRole {
  private ServiceRole() {}

  static String source(String namespace, String name) {
    return "svc/" + namespace + "/" + name;
  }

  /** Namespace, name, labels and annotations of the service (also used by the endpoints roles). */
  static void addServiceLabels(Labels.Builder b, Service svc) {
    b.set(MetaLabels.NAMESPACE, svc.getMetadata().getNamespace());
    MetaLabels.addObjectMeta(b, svc.getMetadata(), "service");
  }

  static TargetGroup build(Service svc) {
    String ns = svc.getMetadata().getNamespace();
    String name = svc.getMetadata().getName();
    Labels.Builder g = Labels.builder();
    addServiceLabels(g, svc);
    ServiceSpec spec = svc.getSpec() == null ? new ServiceSpec() : svc.getSpec();
    List<Labels> targets = new ArrayList<>();
    if (spec.getPorts() != null) {
      for (ServicePort p : spec.getPorts()) {
        long port = p.getPort() == null ? 0 : p.getPort();
        Labels.Builder t = Labels.builder()
            .set(MetaLabels.ADDRESS, MetaLabels.joinHostPort(name + "." + ns + ".svc", port))
            .set(PREFIX + "service_port_name", p.getName())
            .set(PREFIX + "service_port_number", Long.toString(port))
            .set(PREFIX + "service_port_protocol", p.getProtocol())
            .set(PREFIX + "service_type", spec.getType());
        if ("ExternalName".equals(spec.getType())) {
          t.set(PREFIX + "service_external_name", spec.getExternalName());
        } else {
          t.set(PREFIX + "service_cluster_ip", spec.getClusterIP());
        }
        if ("LoadBalancer".equals(spec.getType())) {
          t.set(PREFIX + "service_loadbalancer_ip", spec.getLoadBalancerIP());
        }
        targets.add(t.build());
      }
    }
    return new TargetGroup(source(ns, name), targets, g.build());
  }
}
