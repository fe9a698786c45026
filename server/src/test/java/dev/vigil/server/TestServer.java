package dev.vigil.server;

import dev.vigil.server.api.BuildInfo;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.xerial.snappy.Snappy;

/** A real server on a loopback ephemeral port and a client for it. */
final class TestServer implements AutoCloseable {
  static final BuildInfo BUILD = new BuildInfo("0.1.0-test", "abc", "main", "2026-11-25", false,
      false);
  /** Queries without a time parameter run at 100 s after the epoch. */
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(100), ZoneOffset.UTC);

  final VigilServer server;
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  TestServer(ServerConfig config) {
    server = VigilServer.start(config.withListen("127.0.0.1", 0).withClock(CLOCK), BUILD);
  }

  static ServerConfig config(Path dir) {
    return ServerConfig.defaults(dir);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
  }

  HttpResponse<String> get(String tenant, String pathAndQuery)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10));
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postForm(String tenant, String path, String form)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded");
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return client.send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs a protobuf body snappy-compressed, as a remote-write sender does. */
  HttpResponse<String> push(String tenant, String contentType, byte[] protobuf)
      throws IOException, InterruptedException {
    return pushRaw(tenant, contentType, "snappy", Snappy.compress(protobuf));
  }

  /** POSTs an OTLP/HTTP protobuf metrics request, uncompressed. */
  HttpResponse<String> pushOtlp(String tenant, byte[] protobuf)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri("/otlp/v1/metrics"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-protobuf").header("X-Scope-OrgID", tenant)
        .POST(HttpRequest.BodyPublishers.ofByteArray(protobuf)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  HttpResponse<String> pushRaw(String tenant, String contentType, String encoding, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/push"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType)
        .header("X-Prometheus-Remote-Write-Version",
            contentType.contains("v2") ? "2.0.0" : "0.1.0");
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    if (tenant != null) {
      b.header("X-Scope-OrgID", tenant);
    }
    return client.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    client.close(); // first: idle keep-alive connections would hold up Jetty's graceful stop
    server.close();
  }
}
