package dev.vigil.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * TLS for the HTTP server from PEM files, as Mimir takes them ({@code -server.http-tls-cert-path},
 * {@code -server.http-tls-key-path}): a certificate chain and an unencrypted PKCS#8 private key
 * ({@code BEGIN PRIVATE KEY}; RSA or EC).
 */
public record TlsFiles(Path certFile, Path keyFile) {
  public TlsFiles {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  /**
   * Jetty's server-side TLS context over the two files.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or parsed
   */
  SslContextFactory.Server sslContextFactory() {
    char[] password = "vigil".toCharArray(); // of an in-memory key store only
    KeyStore ks;
    try {
      Certificate[] chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certFile)))
          .toArray(new Certificate[0]);
      if (chain.length == 0) {
        throw new IllegalArgumentException("no certificate in " + certFile);
      }
      ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("vigil", privateKey(chain[0].getPublicKey().getAlgorithm()), password,
          chain);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TLS files " + certFile + ", " + keyFile
          + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid TLS certificate " + certFile + " or key "
          + keyFile + ": " + e.getMessage(), e);
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(ks);
    ssl.setKeyStorePassword(new String(password));
    return ssl;
  }

  private PrivateKey privateKey(String algorithm) throws IOException, GeneralSecurityException {
    String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("TLS key " + keyFile + " is not an unencrypted PKCS#8 "
          + "PEM key (BEGIN PRIVATE KEY); convert it with: openssl pkcs8 -topk8 -nocrypt");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}
