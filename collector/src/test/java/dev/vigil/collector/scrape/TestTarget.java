package dev.vigil.collector.scrape;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** A local exporter on 127.0.0.1 and an ephemeral port whose answer the test sets. */
final class TestTarget implements AutoCloseable {
  private final HttpServer server;
  volatile String body = "";
  /** When set, served instead of {@link #body} (protobuf bodies). */
  volatile byte[] bytes;
  volatile String contentType = "text/plain; version=0.0.4; charset=utf-8";
  volatile int status = 200;
  volatile long delayMillis;
  volatile String lastAccept;
  volatile String lastAcceptEncoding;
  volatile String lastAuthorization;
  volatile String lastTimeoutHeader;
  volatile String lastQuery;
  final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();

  TestTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      requests.incrementAndGet();
      lastAccept = ex.getRequestHeaders().getFirst("Accept");
      lastAcceptEncoding = ex.getRequestHeaders().getFirst("Accept-Encoding");
      lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
      lastTimeoutHeader = ex.getRequestHeaders().getFirst("X-Prometheus-Scrape-Timeout-Seconds");
      lastQuery = ex.getRequestURI().getRawQuery();
      try {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        byte[] out = bytes != null ? bytes : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
          ex.getResponseHeaders().set("Content-Type", contentType);
        }
        if ("gzip".equals(lastAcceptEncoding) && status == 200) {
          ByteArrayOutputStream bos = new ByteArrayOutputStream();
          try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(out);
          }
          out = bos.toByteArray();
          ex.getResponseHeaders().set("Content-Encoding", "gzip");
        }
        ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
          try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
          }
        }
      } catch (InterruptedException | IOException e) {
        // The client gave up (timeout test); nothing to do.
      } finally {
        ex.close();
      }
    });
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
