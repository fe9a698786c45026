package dev.vigil.collector.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.KubernetesSdConfig.Role;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngressRoleTest {
  private final MockCluster cluster = new MockCluster();

  @AfterEach
  void close() {
    cluster.close();
  }

  static Ingress ingress(String ns, String name) {
    return new IngressBuilder()
        .withNewMetadata().withNamespace(ns).withName(name).addToLabels("team", "web")
        .addToAnnotations("cert-manager.io/issuer", "le").endMetadata()
        .withNewSpec().withIngressClassName("nginx")
        .addNewTl().withHosts("*.example.com").endTl()
        .addNewRule().withHost("app.example.com").withNewHttp()
        .addNewPath().withPath("/").withPathType("Prefix").endPath()
        .addNewPath().withPath("/api").withPathType("Prefix").endPath()
        .endHttp().endRule()
        .addNewRule().withHost("a.b.example.com").endRule()
        .addNewRule().withHost("plain.test").withNewHttp().addNewPath().withPathType("Prefix").endPath().endHttp().endRule()
        .endSpec().build();
  }

  @Test
  void targetPerRuleAndPath() throws Exception {
    cluster.client.network().v1().ingresses().inNamespace("default").resource(ingress("default", "web")).create();
    cluster.discover(MockCluster.config(Role.INGRESS, List.of(), List.of()));
    TargetGroup g = cluster.awaitSources("ingress/default/web").getFirst();
    assertThat(g.labels()).isEqualTo(Labels.of(
        "__meta_kubernetes_namespace", "default",
        "__meta_kubernetes_ingress_name", "web",
        "__meta_kubernetes_ingress_class_name", "nginx",
        "__meta_kubernetes_ingress_label_team", "web",
        "__meta_kubernetes_ingress_labelpresent_team", "true",
        "__meta_kubernetes_ingress_annotation_cert_manager_io_issuer", "le",
        "__meta_kubernetes_ingress_annotationpresent_cert_manager_io_issuer", "true"));
    assertThat(g.targets()).containsExactly(
        target("app.example.com", "https", "/"),
        target("app.example.com", "https", "/api"),
        target("a.b.example.com", "http", "/"),
        target("plain.test", "http", "/"));
  }

  private static Labels target(String host, String scheme, String path) {
    return Labels.of("__address__", host, "__meta_kubernetes_ingress_scheme", scheme,
        "__meta_kubernetes_ingress_host", host, "__meta_kubernetes_ingress_path", path);
  }

  @Test
  void hostnamePatterns() {
    assertThat(IngressRole.matchesHostnamePattern("a.example.com", "a.example.com")).isTrue();
    assertThat(IngressRole.matchesHostnamePattern("*.example.com", "a.example.com")).isTrue();
    assertThat(IngressRole.matchesHostnamePattern("*.example.com", "example.com")).isFalse();
    assertThat(IngressRole.matchesHostnamePattern("*.example.com", "a.b.example.com")).isFalse();
    assertThat(IngressRole.matchesHostnamePattern("a.*.com", "a.example.com")).isFalse();
  }
}
