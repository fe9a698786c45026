package dev.vigil.bench.ingest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test: where to push, its process, and how to read its live heap after a forced
 * collection. The two kinds differ only in the push path and the heap probe.
 */
sealed interface PushTarget {
  String name();

  ServerProcess process();

  /** Remote write URL. */
  URI pushUri();

  /** Forces a full collection and returns the live heap in bytes afterwards. */
  long heapAfterGc(HttpClient http) throws IOException, InterruptedException;

  /** Vigil (a JVM): {@code jcmd <pid> GC.run}, then the used heap of {@code GC.heap_info}. */
  record Vigil(String name, String baseUrl, ServerProcess process) implements PushTarget {
    private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

    @Override
    public URI pushUri() {
      return URI.create(baseUrl + "/api/v1/push");
    }

    @Override
    public long heapAfterGc(HttpClient http) throws IOException, InterruptedException {
      jcmd("GC.run");
      jcmd("GC.run"); // a second cycle: ZGC may keep the first cycle's floating garbage
      String info = jcmd("GC.heap_info");
      Matcher m = USED.matcher(info);
      if (!m.find()) {
        throw new IllegalStateException("no 'used' figure in jcmd GC.heap_info output:\n" + info);
      }
      long unit = switch (m.group(2)) {
        case "K" -> 1L << 10;
        case "M" -> 1L << 20;
        default -> 1L << 30;
      };
      return Long.parseLong(m.group(1)) * unit;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException(jcmd + " " + process.pid() + " " + command + " failed:\n" + out);
      }
      return out;
    }
  }

  /**
   * Prometheus (Go): {@code /debug/pprof/heap?gc=1} runs a collection, then
   * {@code go_memstats_heap_alloc_bytes} of {@code /metrics} is the live heap.
   */
  record Prometheus(String name, String baseUrl, ServerProcess process) implements PushTarget {
    private static final Pattern HEAP_ALLOC =
        Pattern.compile("(?m)^go_memstats_heap_alloc_bytes ([0-9.e+]+)$");

    @Override
    public URI pushUri() {
      return URI.create(baseUrl + "/api/v1/write");
    }

    @Override
    public long heapAfterGc(HttpClient http) throws IOException, InterruptedException {
      for (int i = 0; i < 2; i++) {
        get(http, "/debug/pprof/heap?gc=1");
      }
      String metrics = get(http, "/metrics");
      Matcher m = HEAP_ALLOC.matcher(metrics);
      if (!m.find()) {
        throw new IllegalStateException("no go_memstats_heap_alloc_bytes in " + baseUrl
            + "/metrics");
      }
      return (long) Double.parseDouble(m.group(1));
    }

    private String get(HttpClient http, String path) throws IOException, InterruptedException {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("GET " + baseUrl + path + ": " + r.statusCode());
      }
      return r.body();
    }
  }
}
