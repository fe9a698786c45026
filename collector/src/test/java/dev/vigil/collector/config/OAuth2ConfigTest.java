package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code oauth2} block of scrape jobs and remote_write, strict as Prometheus common's. */
class OAuth2ConfigTest {
  @Test
  void everyFieldIsRead() {
    PrometheusConfig c = ConfigLoader.load("""
        scrape_configs:
          - job_name: a
            oauth2:
              client_id: vigil
              client_secret_file: /run/secret
              token_url: https://auth.example/token
              scopes: [metrics.read, openid]
              endpoint_params: {audience: mimir}
              tls_config: {ca_file: /ca.pem, server_name: auth}
              proxy_url: http://proxy:3128
        remote_write:
          - url: https://mimir.example/api/v1/push
            oauth2: {client_id: w, client_secret: s, token_url: 'http://auth/token'}
        """);
    HttpClientConfig.OAuth2 o = c.scrapeConfigs().getFirst().httpClient().oauth2();
    assertThat(o).isEqualTo(new HttpClientConfig.OAuth2("vigil", "", "/run/secret", List.of("metrics.read", "openid"),
        "https://auth.example/token", Map.of("audience", "mimir"),
        new HttpClientConfig.TlsConfig("/ca.pem", "", "", "auth", false, ""), "http://proxy:3128"));
    assertThat(c.remoteWrite().getFirst().httpClient().oauth2().clientSecret()).isEqualTo("s");
    assertThat(c.remoteWrite().getFirst().httpClient().oauth2().scopes()).isEmpty();
    assertThat(ConfigLoader.load("scrape_configs: [{job_name: a}]").scrapeConfigs().getFirst().httpClient().oauth2())
        .isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "`oauth2: {client_id: a, token_url: 'http://t', client_secrt: x}`|3:51: field client_secrt not found in type config.OAuth2",
    "`oauth2: {token_url: 'http://t'}`|3:13: oauth2 client_id must be configured",
    "`oauth2: {client_id: a}`|3:13: oauth2 token_url must be configured",
    "`oauth2: {client_id: a, token_url: 'http://t', client_secret: s, client_secret_file: f}`|at most one of oauth2 client_secret, client_secret_file & client_secret_ref must be configured",
    "`oauth2: {client_id: a, token_url: 'ftp://t'}`|oauth2 token_url \"ftp://t\" must be an absolute http(s) URL",
    "`oauth2: {client_id: a, token_url: 'http://t', scopes: [x], endpoint_params: {scope: y}}`|cannot overwrite parameter \"scope\"",
    "`oauth2: {client_id: a, token_url: 'http://t', client_secret_ref: vault}`|client_secret_ref is not supported",
    "`oauth2: {client_id: a, token_url: 'http://t', tls_config: {ca_fil: x}}`|field ca_fil not found in type config.TLSConfig",
    "`oauth2: {client_id: a, token_url: 'http://t'}\n    basic_auth: {username: u}`|at most one of basic_auth, oauth2 & authorization must be configured",
    "`oauth2: {client_id: a, token_url: 'http://t'}\n    authorization: {credentials: c}`|at most one of basic_auth, oauth2 & authorization must be configured",
    "`oauth2: {client_id: a, token_url: 'http://t'}\n    bearer_token: t`|at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured",
    "`oauth2: [a]`|3:13: cannot unmarshal !!seq into config.OAuth2",
  })
  void mistakesNameTheField(String block, String expected) {
    assertThatThrownBy(() -> ConfigLoader.load("scrape_configs:\n  - job_name: a\n    " + block + "\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
  }

  @Test
  void kubernetesDiscoveryRefusesOAuth2ByName() {
    assertThatThrownBy(() -> ConfigLoader.load("""
        scrape_configs:
          - job_name: a
            kubernetes_sd_configs:
              - role: pod
                oauth2: {client_id: a, token_url: 'http://t'}
        """)).hasMessageContaining("5:9: oauth2 is not supported in kubernetes_sd_configs yet");
  }
}
