package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.manager.Exporter;
import dev.vigil.server.VigilServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil server}: POST /-/reload and SIGHUP re-read the scrape sections and the runtime config. */
class ServerReloadCommandTest {
  @TempDir Path dir;

  private static String config(String job, int port) {
    return """
        multitenancy_enabled: false
        scrape_configs:
          - job_name: %s
            scrape_interval: 200ms
            scrape_timeout: 200ms
            static_configs: [{targets: ['127.0.0.1:%d']}]
        """.formatted(job, port);
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no SIGHUP on Windows")
  void reloadEndpointAndSighupApplyTheEditedFile() throws Exception {
    Exporter exporter = new Exporter("m 1\n");
    int port = exporter.port();
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, config("first", port));
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--config.file", file.toString(),
        "--listen", "127.0.0.1:0", "--data-dir", dir.resolve("data").toString(), "--storage.engine", "memory");
    VigilServer server = cmd.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.port();
      waitFor(() -> get(http, base + "/api/v1/targets").contains("\"scrapePool\":\"first\""));

      Files.writeString(file, config("second", port));
      HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/-/reload"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(get(http, base + "/api/v1/targets")).contains("\"scrapePool\":\"second\"")
          .doesNotContain("\"scrapePool\":\"first\"");

      Files.writeString(file, config("third", port).replace("scrape_timeout: 200ms", "scrape_timeout: 1s"));
      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/-/reload"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(bad.statusCode()).isEqualTo(500);
      assertThat(bad.body()).contains("config file " + file + ":").contains("scrape timeout greater than scrape interval");
      assertThat(get(http, base + "/metrics")).contains("prometheus_config_last_reload_successful 0.0");

      Files.writeString(file, config("fourth", port));
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor()).isZero();
      waitFor(() -> get(http, base + "/api/v1/targets").contains("\"scrapePool\":\"fourth\""));
      waitFor(() -> get(http, base + "/metrics").contains("prometheus_config_last_reload_successful 1.0"));
    } finally {
      server.close();
      exporter.close();
    }
  }

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no SIGHUP on Windows")
  void sighupReloadsTheRuntimeConfigIntoTheOpenTenantDatabase() throws Exception {
    Path rc = dir.resolve("runtime.yaml");
    Files.writeString(rc, "");
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(
        "--runtime-config.file", rc.toString(),
        "--auth.multitenancy-enabled=false", "--listen", "127.0.0.1:0",
        "--data-dir", dir.resolve("data").toString());
    VigilServer server = cmd.start();
    try {
      server.storages().forWrite("anonymous");
      dev.vigil.tsdb.Tsdb db =
          (dev.vigil.tsdb.Tsdb) server.storages().openStores().get("anonymous");
      assertThat(db.options().head().outOfOrderWindowMs()).isZero();
      Files.writeString(rc, """
          overrides:
            anonymous:
              out_of_order_time_window: 10m
              max_global_exemplars_per_user: 5
          """);
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid())).start();
      assertThat(kill.waitFor()).isZero();
      waitFor(() -> db.options().head().outOfOrderWindowMs() == 600_000);
      assertThat(db.head().exemplars().capacity()).isEqualTo(5);
      assertThat(server.storages().openStores().get("anonymous")).isSameAs(db);
    } finally {
      server.close();
    }
  }

  private static String get(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s");
      }
      Thread.sleep(50);
    }
  }
}
