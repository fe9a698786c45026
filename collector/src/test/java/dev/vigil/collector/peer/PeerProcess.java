package dev.vigil.collector.peer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One of Debian's Prometheus binaries running on a free loopback port with its own temp dir,
 * stopped (and waited for) on {@link #close()}. Tests that need one call {@link #assumeInstalled}
 * first, so a machine without the packages skips them with a message saying which is missing;
 * CI installs them ({@code .ci/run}).
 */
public final class PeerProcess implements AutoCloseable {
  public static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
  public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  public static final Path ALERTMANAGER = Path.of("/usr/bin/prometheus-alertmanager");

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private PeerProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Skips the calling test, with a visible reason, when one of {@code binaries} is absent. */
  public static void assumeInstalled(Path... binaries) {
    for (Path b : binaries) {
      assumeTrue(Files.isExecutable(b), () -> b + " is not installed (Debian package "
          + (b.equals(NODE_EXPORTER) ? "prometheus-node-exporter" : b.getFileName()) + "); peer test skipped");
    }
  }

  public static PeerProcess nodeExporter(Path dir) {
    int port = freePort();
    return start("node-exporter", dir, port, "/metrics",
        NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port);
  }

  public static PeerProcess alertmanager(Path dir) {
    int port = freePort();
    mkdirs(dir);
    Path cfg = dir.resolve("alertmanager.yml");
    write(cfg, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
    return start("alertmanager", dir, port, "/-/ready",
        ALERTMANAGER.toString(), "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=",
        "--storage.path=" + dir.resolve("am-data"), "--config.file=" + cfg);
  }

  /** Prometheus with {@code configYaml}; {@code extraFlags} e.g. feature flags. */
  public static PeerProcess prometheus(Path dir, String configYaml, String... extraFlags) {
    return prometheus(dir, configYaml, freePort(), extraFlags);
  }

  /** Prometheus on a port chosen beforehand (so that its config can refer to itself). */
  public static PeerProcess prometheus(Path dir, String configYaml, int port, String... extraFlags) {
    mkdirs(dir);
    Path cfg = dir.resolve("prometheus.yml");
    write(cfg, configYaml);
    List<String> cmd = new ArrayList<>(List.of(PROMETHEUS.toString(), "--config.file=" + cfg,
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("prom-data")));
    cmd.addAll(List.of(extraFlags));
    return start("prometheus", dir, port, "/-/ready", cmd.toArray(String[]::new));
  }

  private static PeerProcess start(String name, Path dir, int port, String readyPath, String... cmd) {
    return start(name, dir, port, readyPath, Duration.ofSeconds(20), cmd);
  }

  /**
   * Any command serving HTTP on {@code port} (e.g. a {@code vigil server} JVM), its output in
   * {@code dir}; returns once {@code readyPath} answers 200, or throws with the output's tail.
   */
  public static PeerProcess start(String name, Path dir, int port, String readyPath,
      Duration readyWithin, String... cmd) {
    Path log = dir.resolve(name + "-" + port + ".log");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd[0], e);
    }
    PeerProcess peer = new PeerProcess(name, p, port, log);
    peer.awaitReady(readyPath, readyWithin);
    return peer;
  }

  private void awaitReady(String path, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    URI uri = URI.create(url() + path);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<Void> r = CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      sleep(100);
    }
    close();
    throw new IllegalStateException(name + " not ready on " + uri + " within " + max + ":\n" + logTail());
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public String url() {
    return "http://" + address();
  }

  /** The last lines of the process's output, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the process without warning (SIGKILL) and waits for it. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
