package dev.vigil.collector.peer;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves each route a body fixed once, so that Prometheus and Vigil parse byte-identical scrapes
 * (exporters' values move between two requests). A route is either a given body or an upstream
 * URL fetched on the route's first request with the route's {@code Accept}, then replayed.
 */
public final class ReplayProxy implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A fixed answer. */
  public record Body(String contentType, byte[] bytes) {}

  private record Upstream(URI uri, String accept) {}

  private final HttpServer server;
  private final Map<String, Body> bodies = new ConcurrentHashMap<>();
  private final Map<String, Upstream> upstreams = new ConcurrentHashMap<>();
  private final Map<String, String> lastAccept = new ConcurrentHashMap<>();

  public ReplayProxy() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", ex -> {
      try (ex) {
        String path = ex.getRequestURI().getPath();
        String accept = ex.getRequestHeaders().getFirst("Accept");
        lastAccept.put(path, accept == null ? "" : accept);
        Body b = body(path);
        if (b == null) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        ex.getResponseHeaders().set("Content-Type", b.contentType());
        ex.sendResponseHeaders(200, b.bytes().length == 0 ? -1 : b.bytes().length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(b.bytes());
        }
      } catch (IOException | RuntimeException e) {
        // The scraper gave up; it will retry at its next interval.
      }
    });
    server.start();
  }

  /** Serves {@code bytes} at {@code path}. */
  public ReplayProxy serve(String path, String contentType, byte[] bytes) {
    bodies.put(path, new Body(contentType, bytes));
    return this;
  }

  /** Serves, at {@code path}, what {@code upstream} answered to its first request via this route. */
  public ReplayProxy replay(String path, String upstream, String accept) {
    upstreams.put(path, new Upstream(URI.create(upstream), accept));
    return this;
  }

  /** The body served at {@code path} (fetching it now if nobody asked yet). */
  public Body body(String path) {
    Upstream u = upstreams.get(path);
    if (u == null) {
      return bodies.get(path);
    }
    return bodies.computeIfAbsent(path, p -> fetch(u));
  }

  /** The {@code Accept} header of the latest request for {@code path}, or null. */
  public String lastAccept(String path) {
    return lastAccept.get(path);
  }

  private static Body fetch(Upstream u) {
    try {
      HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(u.uri()).header("Accept", u.accept())
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(u.uri() + " answered " + r.statusCode());
      }
      return new Body(r.headers().firstValue("Content-Type").orElse(""), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
