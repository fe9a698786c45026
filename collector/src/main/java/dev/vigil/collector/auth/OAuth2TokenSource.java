package dev.vigil.collector.auth;

import dev.vigil.collector.config.HttpClientConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access tokens for one {@code oauth2} block, as Prometheus gets them through
 * golang.org/x/oauth2's {@code clientcredentials}: a form POST to {@code token_url} with
 * {@code grant_type=client_credentials}, the space-joined {@code scopes} and the
 * {@code endpoint_params}; the client authenticates with HTTP Basic (id and secret URL-encoded,
 * RFC 6749 section 2.3.1) and, if the endpoint refuses that, with {@code client_id} and
 * {@code client_secret} in the body (x/oauth2's auto-detection; what works is remembered).
 *
 * <p>A token is reused until 10 seconds before its {@code expires_in} (x/oauth2's expiry delta;
 * without {@code expires_in} it never expires), or until a request it authorised is answered 401
 * ({@link #invalidate}). {@code client_secret_file} is read for each token request, so a rotated
 * secret is used for the next token. Thread-safe: concurrent callers wait for one fetch.
 */
public final class OAuth2TokenSource implements AutoCloseable {
  /** x/oauth2 treats a token as expired this long before its stated expiry. */
  static final Duration EXPIRY_DELTA = Duration.ofSeconds(10);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private enum AuthStyle { UNKNOWN, HEADER, PARAMS }

  private record Token(String header, long expiresAtMillis) {}

  private final Object lock = new Object();
  private final HttpClientConfig.OAuth2 config;
  private final HttpClient http;
  private final InstantSource clock;
  private final URI tokenUrl;

  // Guarded by lock.
  private Token token;
  private AuthStyle style = AuthStyle.UNKNOWN;
  private long fetches;

  /**
   * @param http the client for the token endpoint (built from the block's own TLS and proxy
   *     settings); closed with this source
   */
  public OAuth2TokenSource(HttpClientConfig.OAuth2 config, HttpClient http, InstantSource clock) {
    this.config = config;
    this.http = http;
    this.clock = clock;
    this.tokenUrl = URI.create(config.tokenUrl());
  }

  /**
   * The {@code Authorization} header value to send, fetching a token when none is valid.
   *
   * @throws IOException with x/oauth2's wording ({@code oauth2: cannot fetch token: ...}) when
   *     the token endpoint cannot be reached or refuses
   */
  public String authorization() throws IOException, InterruptedException {
    synchronized (lock) {
      long now = clock.millis();
      if (token != null && (token.expiresAtMillis() == Long.MAX_VALUE
          || now < token.expiresAtMillis() - EXPIRY_DELTA.toMillis())) {
        return token.header();
      }
      token = fetch();
      return token.header();
    }
  }

  /**
   * Forgets the token behind {@code header} (a request it authorised was answered 401), so the
   * next {@link #authorization()} fetches a new one. A header of an older token changes nothing.
   */
  public void invalidate(String header) {
    synchronized (lock) {
      if (token != null && token.header().equals(header)) {
        token = null;
      }
    }
  }

  /** Token requests made so far (tests check caching). */
  public long fetches() {
    synchronized (lock) {
      return fetches;
    }
  }

  // Caller holds lock.
  private Token fetch() throws IOException, InterruptedException {
    String secret = config.clientSecretFile().isEmpty() ? config.clientSecret() : readSecret(config.clientSecretFile());
    if (style != AuthStyle.PARAMS) {
      HttpResponse<byte[]> r = post(secret, AuthStyle.HEADER);
      if (r.statusCode() / 100 == 2 || style == AuthStyle.HEADER) {
        return remember(r, AuthStyle.HEADER);
      }
    }
    return remember(post(secret, AuthStyle.PARAMS), AuthStyle.PARAMS);
  }

  private Token remember(HttpResponse<byte[]> r, AuthStyle used) throws IOException {
    Token t = parse(r);
    style = used;
    return t;
  }

  private HttpResponse<byte[]> post(String secret, AuthStyle how) throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "client_credentials");
    if (!config.scopes().isEmpty()) {
      form.put("scope", String.join(" ", config.scopes()));
    }
    form.putAll(config.endpointParams());
    HttpRequest.Builder rb = HttpRequest.newBuilder(tokenUrl)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (how == AuthStyle.HEADER) {
      String pair = enc(config.clientId()) + ":" + enc(secret);
      rb.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      form.put("client_id", config.clientId());
      if (!secret.isEmpty()) {
        form.put("client_secret", secret);
      }
    }
    StringBuilder body = new StringBuilder();
    for (Map.Entry<String, String> e : form.entrySet()) {
      body.append(body.isEmpty() ? "" : "&").append(enc(e.getKey())).append('=').append(enc(e.getValue()));
    }
    fetches++;
    try {
      return http.send(rb.POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IOException("oauth2: cannot fetch token: Post \"" + tokenUrl + "\": "
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    }
  }

  /** x/oauth2's token response handling: JSON, or a form for text/plain and form content types. */
  private Token parse(HttpResponse<byte[]> r) throws IOException {
    String body = new String(r.body(), StandardCharsets.UTF_8);
    if (r.statusCode() / 100 != 2) {
      throw new IOException("oauth2: cannot fetch token: " + r.statusCode() + "\nResponse: " + excerpt(body));
    }
    String contentType = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    String accessToken;
    String type;
    String expiresIn;
    if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("text/plain")) {
      Map<String, String> values = new LinkedHashMap<>();
      for (String pair : body.strip().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      accessToken = values.getOrDefault("access_token", "");
      type = values.getOrDefault("token_type", "");
      expiresIn = values.getOrDefault("expires_in", "");
    } else {
      JsonNode n;
      try {
        n = JSON.readTree(body);
      } catch (JacksonException e) {
        throw new IOException("oauth2: cannot parse json: " + e.getOriginalMessage(), e);
      }
      accessToken = n.path("access_token").asString("");
      type = n.path("token_type").asString("");
      JsonNode exp = n.path("expires_in");
      expiresIn = exp.isMissingNode() || exp.isNull() ? "" : exp.asString("");
    }
    if (accessToken.isEmpty()) {
      throw new IOException("oauth2: server response missing access_token");
    }
    long expiresAt = Long.MAX_VALUE;
    if (!expiresIn.isEmpty()) {
      long seconds;
      try {
        seconds = (long) Double.parseDouble(expiresIn);
      } catch (NumberFormatException e) {
        throw new IOException("oauth2: cannot parse expires_in " + expiresIn, e);
      }
      if (seconds > 0) {
        expiresAt = clock.millis() + seconds * 1000;
      }
    }
    return new Token(tokenType(type) + " " + accessToken, expiresAt);
  }

  /** x/oauth2's {@code Token.Type}: Bearer by default, the usual spellings normalised. */
  private static String tokenType(String type) {
    return switch (type.toLowerCase(Locale.ROOT)) {
      case "", "bearer" -> "Bearer";
      case "mac" -> "MAC";
      case "basic" -> "Basic";
      default -> type;
    };
  }

  private static String readSecret(String file) throws IOException {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new IOException("unable to read oauth2 client_secret_file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String excerpt(String s) {
    String t = s.strip();
    return t.length() > 256 ? t.substring(0, 256) + "..." : t;
  }

  @Override
  public void close() {
    http.close();
  }
}
