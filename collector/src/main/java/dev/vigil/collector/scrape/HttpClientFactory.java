package dev.vigil.collector.scrape;

import dev.vigil.collector.config.HttpClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the {@link HttpClient} of a job from its {@code HttpClientConfig}: redirects, HTTP/2,
 * proxy and TLS ({@code ca_file}, {@code cert_file}/{@code key_file} in PEM with a PKCS#8 key,
 * {@code server_name}, {@code insecure_skip_verify}). One client per job, shared by its targets.
 */
public final class HttpClientFactory {
  private HttpClientFactory() {}

  /** @throws IllegalArgumentException naming the file or setting that is unusable */
  public static HttpClient create(HttpClientConfig cfg) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(cfg.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
        .version(cfg.enableHttp2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
    if (!cfg.proxyUrl().isEmpty()) {
      URI proxy = URI.create(cfg.proxyUrl());
      int port = proxy.getPort() > 0 ? proxy.getPort() : ("https".equals(proxy.getScheme()) ? 443 : 80);
      b.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), port)));
    }
    HttpClientConfig.TlsConfig tls = cfg.tlsConfig();
    if (!tls.equals(HttpClientConfig.TlsConfig.DEFAULT)) {
      b.sslContext(sslContext(tls));
      if (!tls.serverName().isEmpty()) {
        SSLParameters p = new SSLParameters();
        p.setServerNames(List.of(new SNIHostName(tls.serverName())));
        b.sslParameters(p);
      }
    }
    return b.build();
  }

  /**
   * The token source of {@code cfg}'s {@code oauth2} block, with its own client for the token
   * endpoint (the block's TLS and proxy settings), or null when there is no {@code oauth2}.
   *
   * @throws IllegalArgumentException naming the TLS file or setting that is unusable
   */
  public static dev.vigil.collector.auth.OAuth2TokenSource oauth2(HttpClientConfig cfg, java.time.InstantSource clock) {
    HttpClientConfig.OAuth2 o = cfg.oauth2();
    if (o == null) {
      return null;
    }
    HttpClient tokenClient = create(new HttpClientConfig(null, null, o.tlsConfig(), o.proxyUrl(), true, true,
        java.util.Map.of()));
    return new dev.vigil.collector.auth.OAuth2TokenSource(o, tokenClient, clock);
  }

  static SSLContext sslContext(HttpClientConfig.TlsConfig tls) {
    try {
      TrustManager[] trust = null;
      if (tls.insecureSkipVerify()) {
        trust = new TrustManager[] {new TrustAll()};
      } else if (!tls.caFile().isEmpty()) {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certificates(tls.caFile())) {
          ks.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        trust = tmf.getTrustManagers();
      }
      KeyManagerFactory kmf = null;
      if (!tls.certFile().isEmpty() || !tls.keyFile().isEmpty()) {
        if (tls.certFile().isEmpty() || tls.keyFile().isEmpty()) {
          throw new IllegalArgumentException("exactly one of key or key_file and cert or cert_file must be configured");
        }
        Collection<? extends Certificate> chain = certificates(tls.certFile());
        PrivateKey key = privateKey(tls.keyFile(), ((X509Certificate) chain.iterator().next()).getPublicKey().getAlgorithm());
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        char[] pw = new char[0];
        ks.setKeyEntry("client", key, pw, chain.toArray(new Certificate[0]));
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), trust, new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("unable to use TLS config: " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> certificates(String file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("unable to load certificates from " + file);
      }
      return certs;
    }
  }

  private static PrivateKey privateKey(String file, String algorithm) throws IOException, GeneralSecurityException {
    String pem = Files.readString(Path.of(file));
    String begin = "-----BEGIN PRIVATE KEY-----";
    int s = pem.indexOf(begin);
    int e = pem.indexOf("-----END PRIVATE KEY-----");
    if (s < 0 || e < 0) {
      throw new IllegalArgumentException("key_file " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); "
          + "convert it with: openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(s + begin.length(), e));
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /**
   * Accepts every certificate and, being an extended trust manager, also skips the host name
   * check that JSSE otherwise performs inside the trust manager: {@code insecure_skip_verify}.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
