package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ruler through HTTP as mimirtool and Grafana use it: Mimir's config API (POST one group of
 * YAML to a URL-encoded namespace with a slash, GET it back as YAML, 404 texts, DELETE), then
 * evaluation on the real clock: the recording rule's output becomes queryable and the alert
 * shows as firing in {@code /api/v1/rules} and {@code /api/v1/alerts}.
 */
class RulerEndToEndTest {
  private static final String GROUP = """
      name: vigil-test
      interval: 1s
      rules:
        - record: job:up:sum
          expr: sum by (job) (up)
        - alert: AlwaysUp
          expr: up == 1
          labels:
            severity: info
          annotations:
            summary: "{{ $labels.instance }} is up"
      """;

  static HttpResponse<String> send(HttpClient c, HttpRequest.Builder b) throws Exception {
    return c.send(b.header("X-Scope-OrgID", "team").timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void configApiThenEvaluation(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.defaults(dir).withListen("127.0.0.1", 0)
        .withRuler(new RulerOptions(true, java.util.List.of(), null, Duration.ofSeconds(1),
            Duration.ofMinutes(1)));
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        HttpClient c = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.port();
      String rules = base + "/prometheus/config/v1/rules";
      assertThat(send(c, HttpRequest.newBuilder(URI.create(rules))).statusCode()).isEqualTo(404);

      // A sample to evaluate against, pushed with a recent timestamp so lookback finds it.
      long now = System.currentTimeMillis();
      WriteRequest.Builder w = WriteRequest.newBuilder();
      w.addTimeseries(ServerEndToEndTest.series("__name__", "up", "instance", "a:1", "job", "j")
          .addSamples(ServerEndToEndTest.sample(now - 1000, 1)));
      HttpResponse<String> push = send(c, HttpRequest.newBuilder(URI.create(base
          + "/api/v1/push")).header("Content-Type", RemoteWriteVersion.V1.contentType())
          .header("Content-Encoding", "snappy")
          .POST(HttpRequest.BodyPublishers.ofByteArray(org.xerial.snappy.Snappy.compress(
              w.build().toByteArray()))));
      assertThat(push.statusCode()).as(push.body()).isEqualTo(200);

      HttpResponse<String> bad = send(c, HttpRequest.newBuilder(URI.create(rules + "/ns"))
          .POST(HttpRequest.BodyPublishers.ofString("name: x\nrules:\n  - record: a\n"
              + "    expr: sum(\n")));
      assertThat(bad.statusCode()).isEqualTo(400);

      HttpResponse<String> posted = send(c, HttpRequest.newBuilder(
          URI.create(rules + "/team%2Fk8s")).POST(HttpRequest.BodyPublishers.ofString(GROUP)));
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
      assertThat(posted.body())
          .isEqualTo("{\"status\":\"success\",\"data\":null,\"errorType\":\"\",\"error\":\"\"}");

      HttpResponse<String> all = send(c, HttpRequest.newBuilder(URI.create(rules)));
      assertThat(all.statusCode()).isEqualTo(200);
      assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("application/yaml"));
      assertThat(all.body()).contains("\"team/k8s\":", "name: vigil-test", "job:up:sum");
      HttpResponse<String> one = send(c, HttpRequest.newBuilder(
          URI.create(rules + "/team%2Fk8s/vigil-test")));
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(one.body()).contains("AlwaysUp");
      HttpResponse<String> missing = send(c, HttpRequest.newBuilder(
          URI.create(rules + "/team%2Fk8s/nope")));
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(missing.body().strip()).isEqualTo("group does not exist");

      // Evaluation (1 s interval): recording rule output and a firing alert (no `for`).
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      JsonObject alerts = null;
      String recorded = "";
      while (System.nanoTime() < deadline) {
        recorded = send(c, HttpRequest.newBuilder(URI.create(base
            + "/prometheus/api/v1/query?query=job%3Aup%3Asum"))).body();
        alerts = JsonParser.parseString(send(c, HttpRequest.newBuilder(URI.create(base
            + "/prometheus/api/v1/alerts"))).body()).getAsJsonObject();
        if (recorded.contains("\"job\":\"j\"")
            && !alerts.getAsJsonObject("data").getAsJsonArray("alerts").isEmpty()) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(recorded).contains("\"__name__\":\"job:up:sum\"", "\"job\":\"j\"");
      JsonArray list = alerts.getAsJsonObject("data").getAsJsonArray("alerts");
      assertThat(list).hasSize(1);
      JsonObject alert = list.get(0).getAsJsonObject();
      assertThat(alert.get("state").getAsString()).isEqualTo("firing");
      assertThat(alert.get("value").getAsString()).isEqualTo("1e+00");
      assertThat(alert.getAsJsonObject("annotations").get("summary").getAsString())
          .isEqualTo("a:1 is up");

      JsonObject groups = JsonParser.parseString(send(c, HttpRequest.newBuilder(URI.create(base
          + "/prometheus/api/v1/rules"))).body()).getAsJsonObject();
      JsonObject g = groups.getAsJsonObject("data").getAsJsonArray("groups").get(0)
          .getAsJsonObject();
      assertThat(g.get("name").getAsString()).isEqualTo("vigil-test");
      assertThat(g.get("file").getAsString()).isEqualTo("team/k8s");
      assertThat(g.get("interval").getAsDouble()).isEqualTo(1.0);
      JsonArray rs = g.getAsJsonArray("rules");
      assertThat(rs.get(0).getAsJsonObject().get("type").getAsString()).isEqualTo("recording");
      assertThat(rs.get(0).getAsJsonObject().get("health").getAsString()).isEqualTo("ok");
      assertThat(rs.get(1).getAsJsonObject().get("state").getAsString()).isEqualTo("firing");
      for (var r : rs) {
        // Each rule's own time, within the group's.
        assertThat(r.getAsJsonObject().get("evaluationTime").getAsDouble()).isPositive()
            .isLessThanOrEqualTo(g.get("evaluationTime").getAsDouble());
      }
      String onlyAlerts = send(c, HttpRequest.newBuilder(URI.create(base
          + "/prometheus/api/v1/rules?type=alert"))).body();
      assertThat(onlyAlerts).contains("AlwaysUp").doesNotContain("job:up:sum");

      String metrics = send(c, HttpRequest.newBuilder(URI.create(base + "/metrics"))).body();
      assertThat(metrics).contains("prometheus_rule_evaluations_total{", "user=\"team\"");

      // Stored on disk, deleted through the API.
      assertThat(Files.isDirectory(dir.resolve("rules"))).isTrue();
      assertThat(send(c, HttpRequest.newBuilder(URI.create(rules + "/team%2Fk8s/vigil-test"))
          .DELETE()).statusCode()).isEqualTo(202);
      HttpResponse<String> gone = send(c, HttpRequest.newBuilder(URI.create(rules
          + "/team%2Fk8s")).DELETE());
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.body().strip()).isEqualTo("group namespace does not exist");
      assertThat(send(c, HttpRequest.newBuilder(URI.create(base + "/prometheus/api/v1/rules")))
          .body()).contains("\"groups\":[]");
    }
  }

  @Test
  void mimirsRulerLimitsFromTheRuntimeOverrides(@TempDir Path dir) throws Exception {
    Path rc = dir.resolve("runtime.yaml");
    Files.writeString(rc, """
        overrides:
          team:
            ruler_max_rules_per_rule_group: 1
            ruler_max_rule_groups_per_tenant: 1
        """);
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withListen("127.0.0.1", 0)
        .withRuntimeConfigFile(rc);
    try (VigilServer server = VigilServer.start(config, TestServer.BUILD);
        HttpClient c = HttpClient.newHttpClient()) {
      String rules = "http://127.0.0.1:" + server.port() + "/prometheus/config/v1/rules";
      HttpResponse<String> r = send(c, HttpRequest.newBuilder(URI.create(rules + "/ns"))
          .POST(HttpRequest.BodyPublishers.ofString(GROUP)));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body().strip())
          .isEqualTo("per-user rules per rule group limit (limit: 1 actual: 2) exceeded");
      String one = "name: a\nrules:\n  - record: x:y\n    expr: up\n";
      assertThat(send(c, HttpRequest.newBuilder(URI.create(rules + "/ns"))
          .POST(HttpRequest.BodyPublishers.ofString(one))).statusCode()).isEqualTo(202);
      // Replacing the group is fine; a second group is not.
      assertThat(send(c, HttpRequest.newBuilder(URI.create(rules + "/ns"))
          .POST(HttpRequest.BodyPublishers.ofString(one))).statusCode()).isEqualTo(202);
      r = send(c, HttpRequest.newBuilder(URI.create(rules + "/ns"))
          .POST(HttpRequest.BodyPublishers.ofString(one.replace("name: a", "name: b"))));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body().strip())
          .isEqualTo("per-user rule groups limit (limit: 1 actual: 2) exceeded");
    }
  }

  @Test
  void groupsSurviveARestartAndShutdownStaysQuick(@TempDir Path dir) throws Exception {
    ServerConfig config = ServerConfig.defaults(dir).withListen("127.0.0.1", 0)
        .withRuler(new RulerOptions(true, java.util.List.of(), null, Duration.ofSeconds(1),
            Duration.ofMinutes(1)));
    VigilServer server = VigilServer.start(config, TestServer.BUILD);
    try (HttpClient c = HttpClient.newHttpClient()) {
      String rules = "http://127.0.0.1:" + server.port() + "/prometheus/config/v1/rules";
      assertThat(send(c, HttpRequest.newBuilder(URI.create(rules + "/ns"))
          .POST(HttpRequest.BodyPublishers.ofString(GROUP))).statusCode()).isEqualTo(202);
    }
    long began = System.nanoTime();
    server.close();
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(3));
    try (VigilServer again = VigilServer.start(config, TestServer.BUILD);
        HttpClient c = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + again.port();
      assertThat(send(c, HttpRequest.newBuilder(URI.create(base
          + "/prometheus/config/v1/rules/ns/vigil-test"))).body()).contains("AlwaysUp");
      assertThat(send(c, HttpRequest.newBuilder(URI.create(base + "/prometheus/api/v1/rules")))
          .body()).contains("\"name\":\"vigil-test\"");
    }
  }
}
