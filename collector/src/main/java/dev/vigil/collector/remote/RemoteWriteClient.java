package dev.vigil.collector.remote;

import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.scrape.HttpClientFactory;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;

/**
 * POSTs encoded bodies to one endpoint and classifies the answer as Prometheus does: 2xx sent;
 * 5xx, 429 (unless {@code retry_on_http_429: false}) and network errors retried; any other
 * status dropped. {@code Retry-After} (seconds or an HTTP date) is honoured for retried answers.
 * Authentication (basic, authorization/bearer, from files re-read per request) and TLS come from
 * the entry's {@code HttpClientConfig}; its {@code headers} are added to every request.
 * Thread-safe (the JDK client is).
 */
final class RemoteWriteClient implements AutoCloseable {
  static final String USER_AGENT = "Vigil/0.1 (remote write)";

  private final RemoteWriteConfig config;
  private final RemoteWriteVersion version;
  private final URI uri;
  private final HttpClient http;
  private final InstantSource clock;
  // The entry's oauth2 tokens, or null without an oauth2 block.
  private final dev.vigil.collector.auth.OAuth2TokenSource tokens;

  RemoteWriteClient(RemoteWriteConfig config, RemoteWriteVersion version, InstantSource clock) {
    this.config = config;
    this.version = version;
    this.uri = endpoint(config.url());
    this.http = HttpClientFactory.create(config.httpClient());
    this.clock = clock;
    this.tokens = HttpClientFactory.oauth2(config.httpClient(), clock);
  }

  /** @throws IllegalArgumentException naming the URL when it is not an absolute http(s) URL */
  static URI endpoint(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("remote_write url \"" + url + "\" is not a URL: " + e.getMessage(), e);
    }
    if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
        || u.getHost() == null) {
      throw new IllegalArgumentException("remote_write url \"" + url
          + "\" must be an absolute http:// or https:// URL with a host");
    }
    return u;
  }

  /**
   * With {@code oauth2}, a 401 answer drops the token it was sent with and the batch is sent once
   * more with a fresh token before the 401 counts.
   */
  SendOutcome send(byte[] body, int len) {
    SendOutcome first = attempt(body, len);
    return first.status() == 401 && tokens != null ? attempt(body, len) : first;
  }

  private SendOutcome attempt(byte[] body, int len) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(config.remoteTimeout())
        .header("Content-Encoding", "snappy")
        .header("Content-Type", version.contentType())
        .header("X-Prometheus-Remote-Write-Version", version.headerVersion())
        .header("User-Agent", USER_AGENT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body, 0, len));
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    String oauth = null;
    try {
      if (tokens != null) {
        oauth = tokens.authorization();
        rb.header("Authorization", oauth);
      }
      addAuth(rb, config.httpClient());
    } catch (IOException e) {
      return new SendOutcome(SendOutcome.Kind.RETRY, 0, -1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendOutcome(SendOutcome.Kind.RETRY, 0, -1, "interrupted");
    }
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new SendOutcome(SendOutcome.Kind.RETRY, 0, -1,
          "POST " + uri + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendOutcome(SendOutcome.Kind.RETRY, 0, -1, "interrupted");
    }
    int status = resp.statusCode();
    if (status / 100 == 2) {
      return SendOutcome.SENT;
    }
    if (status == 401 && oauth != null) {
      tokens.invalidate(oauth);
    }
    String message = "server returned HTTP status " + status + ": " + excerpt(resp.body());
    boolean retry = status / 100 == 5 || (status == 429 && config.queueConfig().retryOnHttp429());
    if (!retry) {
      return new SendOutcome(SendOutcome.Kind.DROP, status, -1, message);
    }
    long after = resp.headers().firstValue("Retry-After").map(this::retryAfterMillis).orElse(-1L);
    return new SendOutcome(SendOutcome.Kind.RETRY, status, after, message);
  }

  /** Closes idle connections (a receiver's graceful stop would otherwise wait for them). */
  @Override
  public void close() {
    http.close();
    if (tokens != null) {
      tokens.close();
    }
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date; -1 when unreadable. */
  long retryAfterMillis(String value) {
    String v = value.strip();
    try {
      long s = Long.parseLong(v);
      return s < 0 ? -1 : Math.multiplyExact(s, 1000L);
    } catch (NumberFormatException | ArithmeticException e) {
      // not delay-seconds: try an HTTP date
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      return Math.max(0, at.toInstant().toEpochMilli() - clock.millis());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }

  private static String excerpt(byte[] body) {
    int n = Math.min(body.length, 256);
    String s = new String(body, 0, n, StandardCharsets.UTF_8).strip();
    return body.length > n ? s + "..." : s;
  }

  // Secrets from files are read per request, so rotated tokens are picked up (as Prometheus).
  private static void addAuth(HttpRequest.Builder rb, HttpClientConfig http) throws IOException {
    if (http.basicAuth() != null) {
      var b = http.basicAuth();
      String user = b.usernameFile().isEmpty() ? b.username() : secret(b.usernameFile());
      String pass = b.passwordFile().isEmpty() ? b.password() : secret(b.passwordFile());
      rb.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
    } else if (http.authorization() != null) {
      var a = http.authorization();
      String cred = a.credentialsFile().isEmpty() ? a.credentials() : secret(a.credentialsFile());
      rb.header("Authorization", a.type() + " " + cred);
    }
    for (Map.Entry<String, String> h : http.httpHeaders().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
  }

  private static String secret(String file) throws IOException {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new IOException("unable to read " + file + ": " + e.getMessage(), e);
    }
  }
}
