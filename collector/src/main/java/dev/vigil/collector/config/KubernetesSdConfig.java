package dev.vigil.collector.config;

import java.util.List;

/**
 * {@code kubernetes_sd_configs}: the role to discover, where the API server is (in-cluster when
 * both {@code apiServer} and {@code kubeconfigFile} are empty), which namespaces and selectors.
 */
public record KubernetesSdConfig(
    Role role,
    String apiServer,
    String kubeconfigFile,
    boolean ownNamespace,
    List<String> namespaces,
    List<Selector> selectors,
    boolean attachNodeMetadata,
    boolean attachNamespaceMetadata,
    HttpClientConfig httpClient) {

  public KubernetesSdConfig {
    namespaces = List.copyOf(namespaces);
    selectors = List.copyOf(selectors);
  }

  public enum Role {
    NODE("node"),
    POD("pod"),
    SERVICE("service"),
    ENDPOINTS("endpoints"),
    ENDPOINTSLICE("endpointslice"),
    INGRESS("ingress");

    private final String configName;

    Role(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }

    static Role parse(String s) {
      for (Role r : values()) {
        if (r.configName.equals(s)) {
          return r;
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return configName;
    }
  }

  public record Selector(Role role, String label, String field) {}
}
