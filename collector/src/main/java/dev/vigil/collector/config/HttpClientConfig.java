package dev.vigil.collector.config;

import java.util.List;
import java.util.Map;

/**
 * The HTTP client part of a scrape job (Prometheus common's {@code HTTPClientConfig}, inlined in
 * scrape and SD configs). Secrets from files are read by the client at request time, not here.
 * Null members are absent; at most one of {@code basicAuth}, {@code authorization} and
 * {@code oauth2} is set.
 */
public record HttpClientConfig(
    BasicAuth basicAuth,
    Authorization authorization,
    TlsConfig tlsConfig,
    String proxyUrl,
    boolean followRedirects,
    boolean enableHttp2,
    Map<String, String> httpHeaders,
    OAuth2 oauth2) {

  public static final HttpClientConfig DEFAULT =
      new HttpClientConfig(null, null, TlsConfig.DEFAULT, "", true, true, Map.of());

  public HttpClientConfig {
    httpHeaders = Map.copyOf(httpHeaders);
  }

  /** Without OAuth 2.0. */
  public HttpClientConfig(BasicAuth basicAuth, Authorization authorization, TlsConfig tlsConfig, String proxyUrl,
      boolean followRedirects, boolean enableHttp2, Map<String, String> httpHeaders) {
    this(basicAuth, authorization, tlsConfig, proxyUrl, followRedirects, enableHttp2, httpHeaders, null);
  }

  /**
   * Prometheus common's {@code oauth2} block: the OAuth 2.0 client credentials grant (RFC 6749
   * section 4.4) against {@code tokenUrl}, whose own TLS and proxy settings are
   * {@code tlsConfig} and {@code proxyUrl}. {@code clientSecretFile} is read at each token
   * request.
   */
  public record OAuth2(String clientId, String clientSecret, String clientSecretFile, List<String> scopes,
      String tokenUrl, Map<String, String> endpointParams, TlsConfig tlsConfig, String proxyUrl) {
    public OAuth2 {
      scopes = List.copyOf(scopes);
      endpointParams = Map.copyOf(endpointParams);
    }
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
