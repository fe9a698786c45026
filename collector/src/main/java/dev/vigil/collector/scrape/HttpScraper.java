package dev.vigil.collector.scrape;

import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.config.ScrapeProtocol;
import dev.vigil.collector.relabel.NameValidation;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * Fetches one target's metrics over HTTP the way Prometheus does: weighted {@code Accept} from
 * {@code scrape_protocols}, {@code Accept-Encoding: gzip} when compression is on, the
 * {@code X-Prometheus-Scrape-Timeout-Seconds} header, a deadline for the whole exchange and a
 * body size limit on the decompressed body (exceeding it fails the scrape).
 */
public final class HttpScraper {
  static final String BODY_SIZE_LIMIT_EXCEEDED = "body size limit exceeded";

  private final HttpClient client;
  private final URI url;
  private final Duration timeout;
  private final String accept;
  private final boolean compression;
  private final long bodySizeLimit;
  private final ScrapeConfig config;
  private final dev.vigil.collector.auth.OAuth2TokenSource tokens;

  /** Without an {@code oauth2} token source (a job with {@code oauth2} needs the other constructor). */
  public HttpScraper(HttpClient client, ScrapeTarget target, ScrapeConfig config) {
    this(client, target, config, null);
  }

  /**
   * @param tokens the job's OAuth 2.0 tokens (shared by its targets), or null when the job has no
   *     {@code oauth2} block
   */
  public HttpScraper(HttpClient client, ScrapeTarget target, ScrapeConfig config,
      dev.vigil.collector.auth.OAuth2TokenSource tokens) {
    if (config.httpClient().oauth2() != null && tokens == null) {
      throw new IllegalArgumentException("job " + config.jobName() + " has oauth2 but no token source");
    }
    this.tokens = tokens;
    this.client = client;
    this.url = target.url();
    this.timeout = target.timeout();
    this.accept = acceptHeader(config.scrapeProtocols(), config.metricNameValidation());
    this.compression = config.enableCompression();
    this.bodySizeLimit = config.bodySizeLimit() <= 0 ? Long.MAX_VALUE : config.bodySizeLimit();
    this.config = config;
  }

  /**
   * Prometheus's {@code acceptHeader}: protocols in order with falling q weights, then any type.
   * The 1.0.0 text formats get the escaping the job's name validation allows.
   */
  public static String acceptHeader(List<ScrapeProtocol> protocols, NameValidation validation) {
    StringBuilder sb = new StringBuilder();
    int weight = ScrapeProtocol.values().length + 1;
    for (ScrapeProtocol p : protocols) {
      sb.append(p.mediaType());
      if (p.supportsEscaping()) {
        sb.append(";escaping=").append(validation == NameValidation.UTF8 ? "allow-utf-8" : "underscores");
      }
      sb.append(";q=0.").append(weight).append(',');
      weight--;
    }
    return sb.append("*/*;q=0.").append(weight).toString();
  }

  public String acceptHeader() {
    return accept;
  }

  /**
   * With {@code oauth2}, a 401 answer drops the token it was sent with and the request is sent
   * once more with a fresh one, within the same timeout.
   *
   * @throws ScrapeException with the reason the scrape failed
   */
  public ScrapeResponse scrape() throws ScrapeException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String oauth = tokens == null ? null : oauthHeader();
    HttpResponse<byte[]> resp = exchange(oauth, timeout.toNanos());
    if (resp.statusCode() == 401 && oauth != null) {
      tokens.invalidate(oauth);
      oauth = oauthHeader();
      resp = exchange(oauth, Math.max(1, deadline - System.nanoTime()));
    }
    return response(resp);
  }

  private String oauthHeader() throws ScrapeException, InterruptedException {
    try {
      return tokens.authorization();
    } catch (IOException e) {
      throw new ScrapeException("Get \"" + url + "\": " + e.getMessage(), e);
    }
  }

  private HttpResponse<byte[]> exchange(String oauth, long timeoutNanos) throws ScrapeException, InterruptedException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(url)
        .GET()
        .timeout(Duration.ofNanos(timeoutNanos))
        .header("Accept", accept)
        .header("Accept-Encoding", compression ? "gzip" : "identity")
        .header("User-Agent", "Vigil/0.1")
        .header("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeout));
    if (oauth != null) {
      rb.header("Authorization", oauth);
    } else {
      addAuth(rb);
    }
    config.httpClient().httpHeaders().forEach(rb::header);
    CompletableFuture<HttpResponse<byte[]>> f =
        client.sendAsync(rb.build(), info -> info.statusCode() == 200
            ? new LimitedBody(bodySizeLimit)
            : HttpResponse.BodySubscribers.replacing(new byte[0]));
    HttpResponse<byte[]> resp;
    try {
      resp = f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ScrapeException("Get \"" + url + "\": context deadline exceeded");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof BodyTooLarge) {
        throw new ScrapeException(BODY_SIZE_LIMIT_EXCEEDED);
      }
      if (c instanceof java.net.http.HttpTimeoutException) {
        throw new ScrapeException("Get \"" + url + "\": context deadline exceeded", c);
      }
      throw new ScrapeException("Get \"" + url + "\": " + describe(c), c);
    }
    return resp;
  }

  private ScrapeResponse response(HttpResponse<byte[]> resp) throws ScrapeException {
    if (resp.statusCode() != 200) {
      throw new ScrapeException("server returned HTTP status " + resp.statusCode() + " " + reason(resp.statusCode()));
    }
    byte[] body = resp.body();
    String encoding = resp.headers().firstValue("Content-Encoding").orElse("");
    if (encoding.equalsIgnoreCase("gzip")) {
      body = gunzip(body);
    }
    return new ScrapeResponse(body, resp.headers().firstValue("Content-Type").orElse(""));
  }

  private byte[] gunzip(byte[] raw) throws ScrapeException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
      byte[] buf = new byte[Math.max(1024, Math.min(raw.length * 4, 1 << 20))];
      int n = 0;
      while (true) {
        if (n == buf.length) {
          if (buf.length >= bodySizeLimit) {
            if (in.read() >= 0) {
              throw new ScrapeException(BODY_SIZE_LIMIT_EXCEEDED);
            }
            break;
          }
          buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, Math.min(bodySizeLimit, Integer.MAX_VALUE - 8)));
        }
        int r = in.read(buf, n, buf.length - n);
        if (r < 0) {
          break;
        }
        n += r;
        if (n > bodySizeLimit) {
          throw new ScrapeException(BODY_SIZE_LIMIT_EXCEEDED);
        }
      }
      return Arrays.copyOf(buf, n);
    } catch (IOException e) {
      throw new ScrapeException("gzip: " + e.getMessage(), e);
    }
  }

  private void addAuth(HttpRequest.Builder rb) throws ScrapeException {
    var http = config.httpClient();
    if (http.basicAuth() != null) {
      var b = http.basicAuth();
      String user = b.usernameFile().isEmpty() ? b.username() : readSecret(b.usernameFile());
      String pass = b.passwordFile().isEmpty() ? b.password() : readSecret(b.passwordFile());
      String token = Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
      rb.header("Authorization", "Basic " + token);
    } else if (http.authorization() != null) {
      var a = http.authorization();
      String cred = a.credentialsFile().isEmpty() ? a.credentials() : readSecret(a.credentialsFile());
      rb.header("Authorization", a.type() + " " + cred);
    }
  }

  // Read on every scrape, so rotated service-account tokens are picked up (as Prometheus does).
  private static String readSecret(String file) throws ScrapeException {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new ScrapeException("unable to read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String seconds(Duration d) {
    // strconv.FormatFloat(s, 'f', -1, 64): no trailing zeros.
    return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
  }

  private static String describe(Throwable t) {
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }

  private static final class BodyTooLarge extends IOException {
    BodyTooLarge() {
      super(BODY_SIZE_LIMIT_EXCEEDED);
    }
  }

  /** Collects the body, failing as soon as it grows past the limit instead of buffering it all. */
  private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long limit;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] buf = new byte[8192];
    private int n;

    LimitedBody(long limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer bb : items) {
        int r = bb.remaining();
        if ((long) n + r > limit) {
          subscription.cancel();
          result.completeExceptionally(new BodyTooLarge());
          return;
        }
        if (n + r > buf.length) {
          buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + r));
        }
        bb.get(buf, n, r);
        n += r;
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      byte[] body = Arrays.copyOf(buf, n);
      // The JDK client keeps the finished exchange (and this subscriber) until the connection's
      // next request: without this, every target would hold its grown buffer between scrapes.
      buf = null;
      result.complete(body);
    }
  }
}
