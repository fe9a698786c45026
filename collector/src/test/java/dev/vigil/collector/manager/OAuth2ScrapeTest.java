package dev.vigil.collector.manager;

import static dev.vigil.collector.manager.StoredSamples.values;
import static dev.vigil.collector.manager.StoredSamples.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.collector.auth.TokenEndpoint;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.scrape.HttpClientFactory;
import dev.vigil.collector.scrape.HttpScraper;
import dev.vigil.collector.scrape.ScrapeException;
import dev.vigil.collector.scrape.ScrapeTarget;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scraping a target that wants OAuth 2.0 bearer tokens from a client-credentials endpoint. */
class OAuth2ScrapeTest {
  @TempDir Path dir;
  private TokenEndpoint tokens;
  private HttpServer target;
  /** Tokens numbered below this are refused with 401 (revoked). */
  private volatile int firstValid = 1;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    tokens = new TokenEndpoint();
    target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext("/metrics", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      seen.add(String.valueOf(auth));
      boolean ok = auth != null && auth.startsWith("Bearer token-")
          && Integer.parseInt(auth.substring("Bearer token-".length())) >= firstValid;
      byte[] out = (ok ? "m 1\n" : "").getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(ok ? 200 : 401, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
      ex.close();
    });
    target.start();
  }

  @AfterEach
  void stop() {
    target.stop(0);
    tokens.close();
  }

  private String address() {
    return "127.0.0.1:" + target.getAddress().getPort();
  }

  private String job() {
    return """
        scrape_configs:
          - job_name: secured
            scrape_interval: 400ms
            scrape_timeout: 400ms
            oauth2: {client_id: vigil, client_secret: s3cret, token_url: '%s', scopes: [metrics]}
            static_configs: [{targets: ['%s']}]
        """.formatted(tokens.url(), address());
  }

  @Test
  void aJobWithOAuth2ScrapesWithOneCachedTokenForAllScrapes() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (ScrapeManager m = new ScrapeManager(storage, ManagerOptions.defaults(dir))) {
      m.apply(ConfigLoader.load(job()));
      waitFor("four scrapes", () -> values(storage, "m", "job", "secured").size() >= 4);
      assertThat(values(storage, "up", "job", "secured")).containsOnly(1.0);
      assertThat(tokens.issued()).isEqualTo(1);
      assertThat(tokens.requests.getFirst().form()).containsEntry("scope", "metrics");
    }
  }

  @Test
  void aReloadWhoseTokenClientCannotBeBuiltKeepsTheRunningTokens() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (ScrapeManager m = new ScrapeManager(storage, ManagerOptions.defaults(dir))) {
      m.apply(ConfigLoader.load(job()));
      waitFor("scraped", () -> values(storage, "m", "job", "secured").size() >= 2);
      String broken = job().replace("scopes: [metrics]", "scopes: [metrics], tls_config: {ca_file: '"
          + dir.resolve("missing.pem") + "'}");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.apply(ConfigLoader.load(broken)))
          .hasMessageContaining("previous configuration kept").hasMessageContaining("missing.pem");
      // The job's token source still works: a revoked token is replaced through it.
      firstValid = 2;
      waitFor("scraped with a second token", () -> seen.contains("Bearer token-2"));
      int before = values(storage, "m", "job", "secured").size();
      waitFor("still scraping", () -> values(storage, "m", "job", "secured").size() > before + 1);
    }
  }

  @Test
  void aRevokedTokenIsReplacedWithinTheSameScrape() throws Exception {
    ScrapeConfig cfg = ConfigLoader.load(job()).scrapeConfigs().getFirst();
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", address()), cfg);
    try (HttpClient client = HttpClientFactory.create(cfg.httpClient());
        var source = HttpClientFactory.oauth2(cfg.httpClient(), InstantSource.system())) {
      HttpScraper scraper = new HttpScraper(client, t, cfg, source);
      assertThat(new String(scraper.scrape().body(), StandardCharsets.UTF_8)).isEqualTo("m 1\n");
      firstValid = 2;
      assertThat(new String(scraper.scrape().body(), StandardCharsets.UTF_8)).isEqualTo("m 1\n");
      assertThat(seen).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-2");
      assertThat(tokens.issued()).isEqualTo(2);

      // A target that refuses every token fails the scrape with the 401, after one new token.
      firstValid = 100;
      org.assertj.core.api.Assertions.assertThatThrownBy(scraper::scrape).isInstanceOf(ScrapeException.class)
          .hasMessage("server returned HTTP status 401 Unauthorized");
      assertThat(tokens.issued()).isEqualTo(3);
    }
  }

  @Test
  void anUnreachableTokenEndpointFailsTheScrapeSayingSo() throws Exception {
    ScrapeConfig cfg = ConfigLoader.load(job().replace("client_secret: s3cret", "client_secret: wrong"))
        .scrapeConfigs().getFirst();
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", address()), cfg);
    try (HttpClient client = HttpClientFactory.create(cfg.httpClient());
        var source = HttpClientFactory.oauth2(cfg.httpClient(), InstantSource.system())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(new HttpScraper(client, t, cfg, source)::scrape)
          .isInstanceOf(ScrapeException.class)
          .hasMessageStartingWith("Get \"http://" + address() + "/metrics\": oauth2: cannot fetch token: 401");
      assertThat(seen).isEmpty();
    }
  }
}
