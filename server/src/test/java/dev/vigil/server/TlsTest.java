package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files (Mimir's -server.http-tls-cert-path/-key-path), on loopback. */
class TlsTest {
  static void openssl(Path dir, String... args) throws Exception {
    Process p = new ProcessBuilder(args).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void servesHttpsWithPemFiles(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")),
        "openssl is needed to make a test certificate");
    openssl(dir, "/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
        "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days",
        "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withListen("127.0.0.1", 0)
        .withTls(new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem")));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
      trust.setCertificateEntry("vigil", CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        HttpClient c = HttpClient.newBuilder().sslContext(ssl)
            .connectTimeout(Duration.ofSeconds(5)).build()) {
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + server.port() + "/api/v1/status/buildinfo")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("Grafana Mimir");
      HttpResponse<String> q = c.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + server.port() + "/prometheus/api/v1/query?query=1")).header("X-Scope-OrgID", "t")
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(q.body()).contains("\"resultType\":\"scalar\"");
    }
  }

  @Test
  void aKeyThatIsNotPkcs8IsRefusedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("cert.pem"), "x");
    Files.writeString(dir.resolve("key.pem"), "-----BEGIN RSA PRIVATE KEY-----\n");
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withListen("127.0.0.1", 0)
        .withTls(new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem")));
    assertThatThrownBy(() -> VigilServer.start(config, TestServer.BUILD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.resolve("cert.pem").toString());
  }
}
