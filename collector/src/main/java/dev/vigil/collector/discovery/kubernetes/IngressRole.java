package dev.vigil.collector.discovery.kubernetes;

import static dev.vigil.collector.discovery.kubernetes.MetaLabels.PREFIX;

import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.List;

/**
 * Role {@code ingress} (networking.k8s.io/v1): one target per rule and path at the rule's host;
 * {@code https} when a TLS entry's host (or {@code *.} wildcard of the same depth) covers it, a
 * rule without HTTP paths stands for {@code /}.
 */
final class IngressRole {
  private IngressRole() {}

  static String source(String namespace, String name) {
    return "ingress/" + namespace + "/" + name;
  }

  static TargetGroup build(Ingress ing) {
    String ns = ing.getMetadata().getNamespace();
    IngressSpec spec = ing.getSpec() == null ? new IngressSpec() : ing.getSpec();
    Labels.Builder g = Labels.builder()
        .set(MetaLabels.NAMESPACE, ns)
        .set(PREFIX + "ingress_class_name", spec.getIngressClassName());
    MetaLabels.addObjectMeta(g, ing.getMetadata(), "ingress");

    List<String> tlsHosts = new ArrayList<>();
    for (IngressTLS tls : spec.getTls()) {
      tlsHosts.addAll(tls.getHosts());
    }
    List<Labels> targets = new ArrayList<>();
    for (IngressRule rule : spec.getRules()) {
      String host = MetaLabels.nullToEmpty(rule.getHost());
      String scheme = "http";
      for (String pattern : tlsHosts) {
        if (matchesHostnamePattern(pattern, host)) {
          scheme = "https";
          break;
        }
      }
      for (String path : paths(rule)) {
        targets.add(Labels.builder()
            .set(MetaLabels.ADDRESS, host)
            .set(PREFIX + "ingress_scheme", scheme)
            .set(PREFIX + "ingress_host", host)
            .set(PREFIX + "ingress_path", path)
            .build());
      }
    }
    return new TargetGroup(source(ns, ing.getMetadata().getName()), targets, g.build());
  }

  private static List<String> paths(IngressRule rule) {
    if (rule.getHttp() == null) {
      return List.of("/");
    }
    List<String> out = new ArrayList<>();
    for (HTTPIngressPath p : rule.getHttp().getPaths()) {
      out.add(p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath());
    }
    return out;
  }

  /** Equal, or {@code *.rest} where the host has as many dot-separated parts and the same rest. */
  static boolean matchesHostnamePattern(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    String[] pp = pattern.split("\\.", -1);
    String[] hp = host.split("\\.", -1);
    if (!pp[0].equals("*") || pp.length != hp.length) {
      return false;
    }
    for (int i = 1; i < pp.length; i++) {
      if (!pp[i].equals(hp[i])) {
        return false;
      }
    }
    return true;
  }
}
