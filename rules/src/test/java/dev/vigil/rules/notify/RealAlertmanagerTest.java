package dev.vigil.rules.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.model.labels.Labels;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end against Debian's {@code prometheus-alertmanager} (installed by {@code .ci/run}):
 * starts it on a loopback port with a temporary config and checks that an alert sent by the
 * notifier is listed by its v2 API. Skipped, saying why, when the binary is not installed.
 */
class RealAlertmanagerTest {
  @TempDir Path dir;

  private static Optional<Path> binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .flatMap(d -> Stream.of(Path.of(d, "prometheus-alertmanager"), Path.of(d, "alertmanager")))
        .filter(Files::isExecutable).findFirst();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void alertArrivesInARealAlertmanager() throws Exception {
    Optional<Path> bin = binary();
    assumeTrue(bin.isPresent(), "prometheus-alertmanager is not installed "
        + "(apt-get install -y prometheus-alertmanager); skipping the end-to-end test");
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(config, """
        route:
          receiver: blackhole
        receivers:
          - name: blackhole
        """);
    int port = freePort();
    Process am = new ProcessBuilder(bin.get().toString(),
        "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
        .redirectErrorStream(true).redirectOutput(dir.resolve("am.log").toFile()).start();
    URI base = URI.create("http://127.0.0.1:" + port);
    try (HttpClient http = HttpClient.newHttpClient()) {
      assertThat(waitFor(http, base.resolve("/-/ready"), b -> true))
          .as("alertmanager did not become ready; log:\n%s", log()).isNotNull();

      Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      try (AlertmanagerNotifier n = new AlertmanagerNotifier(AlertmanagerNotifierOptions
          .defaults(List.of(base), Labels.of("cluster", "e2e")))) {
        n.start();
        n.send(List.of(new NotifierAlert(Labels.of("alertname", "VigilE2E", "severity", "page"),
            Labels.of("summary", "from vigil"), now, now.plus(Duration.ofMinutes(4)),
            "http://vigil/graph?g0.expr=up&g0.tab=1")));
      }
      String alerts = waitFor(http, base.resolve("/api/v2/alerts"),
          b -> b.contains("VigilE2E"));
      assertThat(alerts).as("alert not listed; log:\n%s", log())
          .contains("\"alertname\":\"VigilE2E\"", "\"cluster\":\"e2e\"",
              "\"summary\":\"from vigil\"", "\"generatorURL\":\"http://vigil/graph?g0.expr=up");
    } finally {
      am.destroy();
      if (!am.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        am.destroyForcibly();
      }
    }
  }

  /** GETs {@code uri} until it answers 200 with a body accepted by {@code ok}; null after 10s. */
  private static String waitFor(HttpClient http, URI uri,
      java.util.function.Predicate<String> ok) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && ok.test(r.body())) {
          return r.body();
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    return null;
  }

  private String log() throws IOException {
    Path p = dir.resolve("am.log");
    return Files.exists(p) ? Files.readString(p) : "";
  }
}
