package dev.vigil.collector.manager;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * An exporter on loopback and an ephemeral port serving the text the test sets. Public (in the
 * collector's test jar) for the server's and the app's scrape tests.
 */
public final class Exporter implements AutoCloseable {
  private final HttpServer server;
  volatile String body;
  volatile String lastTimeoutHeader;
  volatile String lastAuthorization;

  public Exporter(String body) throws IOException {
    this(body, "text/plain; version=0.0.4; charset=utf-8");
  }

  /** Serving {@code body} as {@code contentType} (e.g. OpenMetrics text). */
  public Exporter(String body, String contentType) throws IOException {
    this.body = body;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/metrics", ex -> {
      lastTimeoutHeader = ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds");
      lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
      byte[] out = this.body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", contentType);
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
      ex.close();
    });
    server.start();
  }

  public String address() {
    return "127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
