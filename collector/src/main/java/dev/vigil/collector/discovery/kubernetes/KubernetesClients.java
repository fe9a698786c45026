package dev.vigil.collector.discovery.kubernetes;

import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.KubernetesSdConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the fabric8 client a {@code kubernetes_sd_configs} entry asks for: a kubeconfig file,
 * an explicit {@code api_server} with the entry's HTTP settings (basic auth, bearer token, TLS
 * files, proxy), or, with neither, the in-cluster service account.
 */
public final class KubernetesClients {
  private KubernetesClients() {}

  public static KubernetesClient create(KubernetesSdConfig sd) {
    return new KubernetesClientBuilder().withConfig(config(sd)).build();
  }

  static Config config(KubernetesSdConfig sd) {
    if (!sd.kubeconfigFile().isEmpty()) {
      return Config.fromKubeconfig(read(sd.kubeconfigFile()));
    }
    if (sd.apiServer().isEmpty()) {
      return Config.autoConfigure(null);
    }
    ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(sd.apiServer());
    HttpClientConfig h = sd.httpClient();
    if (h != null) {
      if (h.basicAuth() != null) {
        b.withUsername(h.basicAuth().username());
        String pw = h.basicAuth().passwordFile().isEmpty() ? h.basicAuth().password() : read(h.basicAuth().passwordFile());
        b.withPassword(pw.strip());
      }
      if (h.authorization() != null) {
        String token = h.authorization().credentialsFile().isEmpty() ? h.authorization().credentials()
            : read(h.authorization().credentialsFile());
        b.withOauthToken(token.strip());
      }
      HttpClientConfig.TlsConfig tls = h.tlsConfig();
      if (tls != null) {
        b.withTrustCerts(tls.insecureSkipVerify()).withDisableHostnameVerification(tls.insecureSkipVerify());
        if (!tls.caFile().isEmpty()) {
          b.withCaCertFile(tls.caFile());
        }
        if (!tls.certFile().isEmpty()) {
          b.withClientCertFile(tls.certFile()).withClientKeyFile(tls.keyFile());
        }
      }
      if (h.proxyUrl() != null && !h.proxyUrl().isEmpty()) {
        b.withHttpProxy(h.proxyUrl()).withHttpsProxy(h.proxyUrl());
      }
    }
    return b.build();
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }
}
