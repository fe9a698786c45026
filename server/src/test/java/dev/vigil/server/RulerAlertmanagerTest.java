package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.server.ruler.RulerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts from a rule group posted through the config API reach a real Alertmanager (Debian's
 * {@code prometheus-alertmanager}, loopback, ephemeral ports, clustering off): its v2 API lists
 * the alert with the rule's labels and expanded annotations. Skipped, saying why, when the
 * binary is absent (it is not needed by anything else in this module).
 */
class RulerAlertmanagerTest {
  private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

  @Test
  void firingAlertsReachAlertmanager(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(BINARY),
        "Debian's prometheus-alertmanager is not installed at " + BINARY);
    int amPort = PrometheusPeerTest.freePort();
    Path amConfig = dir.resolve("am.yml");
    Files.writeString(amConfig, """
        route:
          receiver: discard
          group_wait: 0s
        receivers:
          - name: discard
        """);
    Path log = dir.resolve("am.log");
    Process am = new ProcessBuilder(BINARY.toString(), "--config.file=" + amConfig,
        "--storage.path=" + dir.resolve("am-data"),
        "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerConfig config = ServerConfig.defaults(dir.resolve("vigil")).withListen("127.0.0.1", 0)
        .withRuler(new RulerOptions(true, List.of(URI.create("http://127.0.0.1:" + amPort)),
            URI.create("http://vigil.example"), Duration.ofSeconds(1), Duration.ofMinutes(1)));
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        HttpClient c = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.port();
      WriteRequest.Builder w = WriteRequest.newBuilder();
      w.addTimeseries(ServerEndToEndTest.series("__name__", "up", "instance", "a:1", "job", "j")
          .addSamples(ServerEndToEndTest.sample(System.currentTimeMillis() - 1000, 1)));
      HttpResponse<String> push = c.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/push"))
          .header("X-Scope-OrgID", "team")
          .header("Content-Type", RemoteWriteVersion.V1.contentType())
          .header("Content-Encoding", "snappy")
          .POST(HttpRequest.BodyPublishers.ofByteArray(org.xerial.snappy.Snappy.compress(
              w.build().toByteArray()))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(push.statusCode()).isEqualTo(200);
      HttpResponse<String> posted = c.send(HttpRequest.newBuilder(
          URI.create(base + "/prometheus/config/v1/rules/ns")).header("X-Scope-OrgID", "team")
          .POST(HttpRequest.BodyPublishers.ofString("""
              name: g
              interval: 1s
              rules:
                - alert: VigilUp
                  expr: up == 1
                  labels:
                    severity: info
                  annotations:
                    summary: "{{ $labels.instance }} is up"
              """)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String alerts = "";
      while (System.nanoTime() < deadline) {
        if (!am.isAlive()) {
          fail("alertmanager exited: " + Files.readString(log));
        }
        try {
          alerts = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + amPort
              + "/api/v2/alerts")).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException notUpYet) {
          alerts = "";
        }
        if (alerts.contains("VigilUp")) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(alerts).as("alertmanager's alerts; its log: %s", Files.readString(log))
          .contains("\"alertname\":\"VigilUp\"", "\"severity\":\"info\"",
              "\"summary\":\"a:1 is up\"", "http://vigil.example/graph?g0.expr=");
    } finally {
      am.destroy();
      if (!am.waitFor(10, TimeUnit.SECONDS)) {
        am.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
