package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS settings against a local HTTPS exporter with a throw-away self-signed certificate. */
class HttpClientFactoryTest {
  @TempDir static Path dir;
  static HttpsServer server;
  static Path caPem;

  @BeforeAll
  static void startHttps() throws Exception {
    Path ks = dir.resolve("server.p12");
    caPem = dir.resolve("ca.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(keytool, "-genkeypair", "-alias", "s", "-keyalg", "EC", "-keystore", ks.toString(), "-storepass", "changeit",
        "-dname", "CN=vigil-test", "-ext", "san=dns:vigil-test,ip:127.0.0.1", "-validity", "2");
    run(keytool, "-exportcert", "-rfc", "-alias", "s", "-keystore", ks.toString(), "-storepass", "changeit",
        "-file", caPem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/", ex -> {
      byte[] out = "secure_metric 1\n".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static ScrapeResult scrape(String tlsYaml) throws Exception {
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: tls\n    scheme: https\n" + tlsYaml.indent(4))
        .scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", "127.0.0.1:" + server.getAddress().getPort()), cfg);
    var client = HttpClientFactory.create(cfg.httpClient());
    return new ScrapeLoop(t, cfg, new HttpScraper(client, t, cfg), new InMemoryStorage(), InstantSource.system()).scrapeOnce();
  }

  @Test
  void untrustedCertificateFails() throws Exception {
    assertThat(scrape("").error()).isNotEmpty();
  }

  @Test
  void insecureSkipVerifyAccepts() throws Exception {
    assertThat(scrape("tls_config: {insecure_skip_verify: true}").error()).isEmpty();
  }

  @Test
  void caFileTrustsTheServer() throws Exception {
    assertThat(scrape("tls_config: {ca_file: '" + caPem + "'}").error()).isEmpty();
  }

  @Test
  void unreadableCaFileIsAConfigurationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> scrape("tls_config: {ca_file: /nonexistent/ca.pem}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unable to use TLS config");
  }
}
