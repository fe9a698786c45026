package dev.vigil.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.HttpClientConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OAuth2TokenSourceTest {
  @TempDir Path dir;
  private TokenEndpoint endpoint;
  private Instant now = Instant.ofEpochSecond(1_700_000_000L);
  private final InstantSource clock = () -> now;

  @BeforeEach
  void start() throws IOException {
    endpoint = new TokenEndpoint();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private OAuth2TokenSource source(String secret, String secretFile, List<String> scopes, Map<String, String> params) {
    var cfg = new HttpClientConfig.OAuth2("vigil", secret, secretFile, scopes, endpoint.url(), params,
        HttpClientConfig.TlsConfig.DEFAULT, "");
    return new OAuth2TokenSource(cfg, HttpClient.newHttpClient(), clock);
  }

  @Test
  void theTokenIsCachedUntilTenSecondsBeforeItExpires() throws Exception {
    try (OAuth2TokenSource s = source("s3cret", "", List.of("metrics.read", "openid"), Map.of("audience", "mimir"))) {
      assertThat(s.authorization()).isEqualTo("Bearer token-1");
      assertThat(endpoint.requests).singleElement().satisfies(r -> {
        assertThat(r.form()).containsEntry("grant_type", "client_credentials")
            .containsEntry("scope", "metrics.read openid").containsEntry("audience", "mimir")
            .doesNotContainKey("client_secret");
        assertThat(r.authorization()).startsWith("Basic ");
      });
      now = now.plusSeconds(3589);
      assertThat(s.authorization()).isEqualTo("Bearer token-1");
      assertThat(s.fetches()).isEqualTo(1);
      now = now.plusSeconds(1);
      assertThat(s.authorization()).isEqualTo("Bearer token-2");
      assertThat(s.fetches()).isEqualTo(2);
    }
  }

  @Test
  void aRefusedTokenIsReplacedOnlyOnce() throws Exception {
    try (OAuth2TokenSource s = source("s3cret", "", List.of(), Map.of())) {
      String first = s.authorization();
      s.invalidate(first);
      String second = s.authorization();
      assertThat(second).isEqualTo("Bearer token-2");
      // A late 401 for the old token does not throw away the new one.
      s.invalidate(first);
      assertThat(s.authorization()).isEqualTo(second);
      assertThat(endpoint.issued()).isEqualTo(2);
    }
  }

  @Test
  void withoutExpiresInATokenLastsAndFormAnswersAreRead() throws Exception {
    endpoint.expiresIn = 0;
    endpoint.contentType = "application/x-www-form-urlencoded";
    try (OAuth2TokenSource s = source("s3cret", "", List.of(), Map.of())) {
      assertThat(s.authorization()).isEqualTo("Bearer token-1");
      now = now.plusSeconds(365L * 86400);
      assertThat(s.authorization()).isEqualTo("Bearer token-1");
    }
  }

  @Test
  void anEndpointThatWantsCredentialsInTheBodyGetsThemThereFromThenOn() throws Exception {
    endpoint.paramsOnly = true;
    try (OAuth2TokenSource s = source("s3cret", "", List.of(), Map.of())) {
      assertThat(s.authorization()).isEqualTo("Bearer token-1");
      assertThat(endpoint.requests).hasSize(2);
      assertThat(endpoint.requests.get(1).form()).containsEntry("client_id", "vigil").containsEntry("client_secret", "s3cret");
      s.invalidate("Bearer token-1");
      s.authorization();
      // Remembered: no more Basic attempt.
      assertThat(endpoint.requests).hasSize(3);
      assertThat(endpoint.requests.get(2).authorization()).isNull();
    }
  }

  @Test
  void theSecretFileIsReadForEachToken() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "old\n");
    endpoint.clientSecret = "old";
    try (OAuth2TokenSource s = source("", secret.toString(), List.of(), Map.of())) {
      String t = s.authorization();
      Files.writeString(secret, "new\n");
      endpoint.clientSecret = "new";
      s.invalidate(t);
      assertThat(s.authorization()).isEqualTo("Bearer token-2");
      Files.delete(secret);
      s.invalidate("Bearer token-2");
      assertThatThrownBy(s::authorization).isInstanceOf(IOException.class)
          .hasMessageContaining("unable to read oauth2 client_secret_file " + secret);
    }
  }

  @Test
  void refusalsAndBadAnswersSayWhat() throws Exception {
    try (OAuth2TokenSource s = source("wrong", "", List.of(), Map.of())) {
      assertThatThrownBy(s::authorization).isInstanceOf(IOException.class)
          .hasMessageStartingWith("oauth2: cannot fetch token: 401\nResponse: {\"error\":\"invalid_client\"}");
    }
    endpoint.contentType = "text/plain";
    endpoint.status = 200;
    endpoint.clientSecret = "s3cret";
    try (OAuth2TokenSource s = source("s3cret", "", List.of(), Map.of())) {
      assertThat(s.authorization()).startsWith("Bearer token-");
    }
    endpoint.close();
    try (OAuth2TokenSource s = source("s3cret", "", List.of(), Map.of())) {
      assertThatThrownBy(s::authorization).isInstanceOf(IOException.class)
          .hasMessageStartingWith("oauth2: cannot fetch token: Post \"" + endpoint.url() + "\"");
    }
  }
}
