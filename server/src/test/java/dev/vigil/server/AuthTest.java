package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-tenant tokens: basic auth (tenant as user) or bearer, tenant header checked or filled. */
class AuthTest {
  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tokensGuardEveryEndpointButHealth(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("auth.yaml");
    Files.writeString(file, """
        tenants:
          team-a:
            tokens: [secret-a-1, secret-a-2]
          team-b:
            tokens: [secret-b-1]
        """);
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withListen("127.0.0.1", 0)
        .withAuthFile(file);
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        HttpClient c = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.port();
      byte[] push = org.xerial.snappy.Snappy.compress(WriteRequest.newBuilder()
          .addTimeseries(ServerEndToEndTest.series("__name__", "m")
              .addSamples(ServerEndToEndTest.sample(10_000, 7))).build().toByteArray());
      HttpRequest.Builder pushReq = HttpRequest.newBuilder(URI.create(base + "/api/v1/push"))
          .header("Content-Type", RemoteWriteVersion.V1.contentType())
          .header("Content-Encoding", "snappy")
          .POST(HttpRequest.BodyPublishers.ofByteArray(push));
      // No credentials: 401 with a challenge; health stays open.
      HttpResponse<String> r = c.send(pushReq.copy().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"vigil\"");
      // Refused before its body was read: the connection is not reused (no race with Jetty
      // closing it under the client's next request).
      assertThat(r.headers().firstValue("Connection")).contains("close");
      assertThat(c.send(HttpRequest.newBuilder(URI.create(base + "/-/healthy")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      // Wrong token: 401. Basic auth without the tenant header: stored for team-a.
      assertThat(c.send(pushReq.copy().header("Authorization", basic("team-a", "secret-b-1"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
      assertThat(c.send(pushReq.copy().header("Authorization", basic("team-a", "secret-a-2"))
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      // Bearer for team-a reads it back; team-b's token cannot name team-a.
      String q = base + "/prometheus/api/v1/query?query=m&time=10";
      assertThat(c.send(HttpRequest.newBuilder(URI.create(q))
          .header("Authorization", "Bearer secret-a-1").build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("\"7\"");
      HttpResponse<String> foreign = c.send(HttpRequest.newBuilder(URI.create(q))
          .header("Authorization", "Bearer secret-b-1").header("X-Scope-OrgID", "team-a|team-b")
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(foreign.statusCode()).isEqualTo(403);
      assertThat(c.send(HttpRequest.newBuilder(URI.create(q))
          .header("Authorization", "Bearer secret-b-1").build(),
          HttpResponse.BodyHandlers.ofString()).body()).contains("\"result\":[]");
    }
  }

  @Test
  void badFilesFailStartupNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("auth.yaml");
    Files.writeString(file, "tenants:\n  t:\n    tokens: [short]\n");
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withListen("127.0.0.1", 0)
        .withAuthFile(file);
    assertThatThrownBy(() -> VigilServer.start(config, TestServer.BUILD))
        .hasMessage("auth file " + file + ": a token of tenant 't' is shorter than 8 characters");
  }
}
