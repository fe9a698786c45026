package dev.vigil.bench.collector;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Measures the text parser of Debian's Prometheus on the benchmark payload: Prometheus scrapes a
 * local server that answers every request with the same body (many targets, short interval, so
 * the parser has work), a CPU profile of the steady state is taken from its
 * {@code /debug/pprof/profile}, and the CPU time of every stack sample with a frame in
 * {@code model/textparse} (Prometheus's parsers: lexer, {@code Next}, {@code Series},
 * {@code Metric}, float parsing) is divided into the bytes it scraped in that window. Prints to
 * stdout: a command-line tool run by {@code bench/collector/run.sh}.
 *
 * <pre>
 * PrometheusParserProfile FORMAT TARGETS INTERVAL_MS SECONDS [PROMETHEUS_BINARY]
 *     FORMAT = text|openmetrics (the body is {@link Payload}, served with that content type)
 * </pre>
 */
public final class PrometheusParserProfile {
  static final String TEXTPARSE = "github.com/prometheus/prometheus/model/textparse.";

  private PrometheusParserProfile() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    if (args.length < 4) {
      out.println("usage: PrometheusParserProfile text|openmetrics TARGETS INTERVAL_MS SECONDS [PROMETHEUS]");
      System.exit(2);
    }
    boolean om = args[0].equals("openmetrics");
    int targets = Integer.parseInt(args[1]);
    int intervalMs = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String binary = args.length > 4 ? args[4] : "/usr/bin/prometheus";
    byte[] text = Payload.text();
    byte[] body = om ? Payload.openMetrics(text) : text;
    String contentType = om ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
        : "text/plain; version=0.0.4; charset=utf-8";
    long samplesPerBody = countSamples(body);

    AtomicLong served = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", ex -> {
      try (ex) {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
        served.incrementAndGet();
      } catch (IOException e) {
        // Prometheus gave up on this scrape (timeout); not counted.
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();

    Path dir = Files.createTempDirectory("vigil-parser-profile");
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StringBuilder cfg = new StringBuilder("global:\n  scrape_interval: " + intervalMs + "ms\n  scrape_timeout: "
        + intervalMs + "ms\nscrape_configs:\n  - job_name: payload\n    static_configs:\n");
    for (int i = 0; i < targets; i++) {
      cfg.append("      - targets: ['127.0.0.1:").append(server.getAddress().getPort())
          .append("']\n        labels: {replica: '").append(i).append("'}\n");
    }
    Files.writeString(dir.resolve("prometheus.yml"), cfg);
    Process prom = new ProcessBuilder(binary, "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    HttpClient client = HttpClient.newHttpClient();
    try {
      String base = "http://127.0.0.1:" + port;
      awaitReady(client, base);
      // Steady state: every target scraped a few times, so the scrape cache holds every series.
      Thread.sleep(Math.max(5000, 5L * intervalMs));
      long before = served.get();
      long t0 = System.nanoTime();
      HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/debug/pprof/profile?seconds=" + seconds))
          .timeout(Duration.ofSeconds(seconds + 30)).build(), HttpResponse.BodyHandlers.ofByteArray());
      long wallNanos = System.nanoTime() - t0;
      long scrapes = served.get() - before;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("pprof answered " + r.statusCode());
      }
      PprofProfile p = PprofProfile.parse(r.body());
      Predicate<String> parser = f -> f.startsWith(TEXTPARSE);
      long parserNanos = p.cpuNanosUnder(parser);
      long appendNanos = p.cpuNanosUnder(f -> f.contains("scrape.(*scrapeLoop).append"));
      long total = p.totalCpuNanos();
      double mb = scrapes * (double) body.length / 1e6;
      double parserSec = parserNanos / 1e9;
      out.printf(Locale.ROOT, "prometheus %s parser, %s payload: %d bytes, %d samples per body%n",
          version(binary), om ? "OpenMetrics" : "text 0.0.4", body.length, samplesPerBody);
      out.printf(Locale.ROOT, "window %.1f s: %d scrapes (%d targets every %d ms), %.1f MB, %d stack samples%n",
          wallNanos / 1e9, scrapes, targets, intervalMs, mb, p.samples.size());
      out.printf(Locale.ROOT, "CPU in window: prometheus total %.2f s, scrapeLoop.append %.2f s, textparse %.2f s%n",
          total / 1e9, appendNanos / 1e9, parserSec);
      out.printf(Locale.ROOT, "prometheus parser throughput: %.1f MB/s per core, %.2fM samples/s per core%n",
          mb / parserSec, scrapes * samplesPerBody / parserSec / 1e6);
      out.println("top leaf functions under textparse (flat CPU):");
      List<Map.Entry<String, Long>> leaves = new ArrayList<>(p.leafNanosUnder(parser).entrySet());
      leaves.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
      for (Map.Entry<String, Long> e : leaves.subList(0, Math.min(10, leaves.size()))) {
        out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / parserNanos, e.getKey());
      }
    } finally {
      prom.destroy();
      prom.waitFor();
      server.stop(0);
      deleteTree(dir);
      System.exit(0);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static long countSamples(byte[] body) {
    long n = 0;
    for (String l : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank() && !l.startsWith("#")) {
        n++;
      }
    }
    return n;
  }

  private static String version(String binary) throws IOException, InterruptedException {
    Process v = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
    String first = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
    v.waitFor();
    String[] parts = first.split(" ");
    return parts.length > 2 ? parts[2].replace(",", "") : first;
  }

  private static void awaitReady(HttpClient client, String base) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try {
        if (client.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not up yet.
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("prometheus not ready at " + base);
  }
}
