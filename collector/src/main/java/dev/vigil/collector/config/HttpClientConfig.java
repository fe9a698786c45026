package dev.vigil.collector.config;

import java.util.Map;

/**
 * The HTTP client part of a scrape job (Prometheus common's {@code HTTPClientConfig}, inlined in
 * scrape and SD configs). Secrets from files are read by the client at request time, not here.
 * Null members are absent.
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    TlsConfig tlsConfig,
    String proxyUrl,
    boolean followRedirects,
    boolean enableHttp2,
    Map<String, String> httpHeaders) {

  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, TlsConfig.DEFAULT, "", true, true, Map.of());

  public HttpClientConfig {
    httpHeaders = Map.copyOf(httpHeaders);
  }

  public record BasicAuth(String username, String usernameFile, String password, String passwordFile) {}

  /** {@code type} defaults to Bearer; {@code bearer_token_file} maps to a Bearer credentials file. */
  public record Authorization(String type, String credentials, String credentialsFile) {}

  public record TlsConfig(
      String caFile, String certFile, String keyFile, String serverName, boolean insecureSkipVerify,
      String minVersion) {
    public static final TlsConfig DEFAULT = new TlsConfig("", "", "", "", false, "");
  }
}
