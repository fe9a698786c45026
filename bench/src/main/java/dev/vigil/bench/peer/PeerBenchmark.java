package dev.vigil.bench.peer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Client side of the peer benchmark (see {@code bench/peer/README.md}): writes the data set as
 * OpenMetrics for {@code promtool tsdb create-blocks-from openmetrics}, pushes the same data to
 * Vigil as OTLP JSON, and times {@code query_range} requests against either server. Prints to
 * stdout because it is a command-line tool; run it through {@code bench/peer/run.sh}.
 *
 * <pre>
 * PeerBenchmark openmetrics FILE T0_MILLIS SERIES
 * PeerBenchmark push-otlp BASE_URL TENANT T0_MILLIS SERIES
 * PeerBenchmark time NAME BASE_URL TENANT|- QUERY START_S END_S STEP_S WARMUP RUNS
 * PeerBenchmark compare URL_A TENANT_A|- URL_B TENANT_B|- QUERY START_S END_S STEP_S
 * </pre>
 */
public final class PeerBenchmark {
  private PeerBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "openmetrics" -> writeOpenMetrics(Path.of(args[1]), Long.parseLong(args[2]),
          Integer.parseInt(args[3]), args.length > 4 ? Integer.parseInt(args[4]) : 1);
      case "push-otlp" -> pushOtlp(args[1], args[2], Long.parseLong(args[3]),
          Integer.parseInt(args[4]));
      case "time" -> time(args[1], args[2], args[3], args[4], args[5], args[6], args[7],
          Integer.parseInt(args[8]), Integer.parseInt(args[9]));
      case "compare" -> compare(args[1], args[2], args[3], args[4], args[5], args[6], args[7],
          args[8]);
      default -> {
        System.err.println("usage: PeerBenchmark openmetrics|push-otlp|time|compare ...");
        System.exit(2);
      }
    }
  }

  /** OpenMetrics text, series after series (promtool sorts into blocks itself). */
  static void writeOpenMetrics(Path file, long t0, int series, int hours) throws IOException {
    PeerData d = new PeerData(series, hours);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      // A gauge named x: the same name on both sides (an OpenMetrics counter would be x_total).
      w.write("# TYPE x gauge\n");
      StringBuilder sb = new StringBuilder(128);
      for (int s = 0; s < series; s++) {
        String[] l = PeerData.labels(s);
        sb.setLength(0);
        sb.append("x{");
        for (int k = 0; k < l.length; k += 2) {
          if (k > 0) {
            sb.append(',');
          }
          sb.append(l[k]).append("=\"").append(l[k + 1]).append('"');
        }
        sb.append("} ");
        String prefix = sb.toString();
        for (int i = 0; i < d.samples; i++) {
          long t = t0 + i * PeerData.SCRAPE_MILLIS;
          w.write(prefix);
          w.write(Long.toString((long) d.value(s, i)));
          w.write(' ');
          w.write(Long.toString(t / 1000));
          if (t % 1000 != 0) {
            w.write(String.format(Locale.ROOT, ".%03d", t % 1000));
          }
          w.write('\n');
        }
      }
      w.write("# EOF\n");
    }
  }

  /**
   * Pushes the data in time order (one request per minute of data, all series), so that a
   * head with an in-order window sees every sample in order.
   */
  static void pushOtlp(String base, String tenant, long t0, int series)
      throws IOException, InterruptedException {
    PeerData d = new PeerData(series, 1);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int perRequest = 4;
    long pushed = 0;
    long began = System.nanoTime();
    for (int from = 0; from < d.samples; from += perRequest) {
      int to = Math.min(d.samples, from + perRequest);
      StringBuilder sb = new StringBuilder(series * (to - from) * 160);
      sb.append("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"x\","
          + "\"gauge\":{\"dataPoints\":[");
      boolean firstPoint = true;
      for (int s = 0; s < series; s++) {
        String[] l = PeerData.labels(s);
        for (int i = from; i < to; i++) {
          if (!firstPoint) {
            sb.append(',');
          }
          firstPoint = false;
          sb.append("{\"attributes\":[");
          for (int k = 0; k < l.length; k += 2) {
            if (k > 0) {
              sb.append(',');
            }
            sb.append("{\"key\":\"").append(l[k]).append("\",\"value\":{\"stringValue\":\"")
                .append(l[k + 1]).append("\"}}");
          }
          long t = t0 + i * PeerData.SCRAPE_MILLIS;
          sb.append("],\"timeUnixNano\":\"").append(t).append("000000\",\"asDouble\":")
              .append((long) d.value(s, i)).append('}');
          pushed++;
        }
      }
      sb.append("]}}]}]}]}");
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/otlp/v1/metrics"))
          .header("Content-Type", "application/json").header("X-Scope-OrgID", tenant)
          .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() / 100 != 2) {
        throw new IOException("OTLP push failed: HTTP " + resp.statusCode() + ": " + resp.body());
      }
    }
    System.out.printf(Locale.ROOT, "pushed %d samples in %.1f s%n", pushed,
        (System.nanoTime() - began) / 1e9);
  }

  private static final Pattern SERIES_JOB = Pattern.compile("\"job\":\"([^\"]+)\"");
  private static final Pattern POINT = Pattern.compile("\\[([0-9.]+),\"([^\"]+)\"\\]");

  /**
   * Checks that both servers give the same answer: per job, the same steps and values within
   * a relative 1e-9 (summation order may differ). Exits non-zero otherwise.
   */
  static void compare(String urlA, String tenantA, String urlB, String tenantB, String query,
      String start, String end, String step) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Map<String, Double>> a = points(http, urlA, tenantA, query, start, end, step);
    Map<String, Map<String, Double>> b = points(http, urlB, tenantB, query, start, end, step);
    int compared = 0;
    double worst = 0;
    if (!a.keySet().equals(b.keySet())) {
      throw new IOException("different series: " + a.keySet() + " vs " + b.keySet());
    }
    for (String job : a.keySet()) {
      Map<String, Double> pa = a.get(job);
      Map<String, Double> pb = b.get(job);
      if (!pa.keySet().equals(pb.keySet())) {
        throw new IOException("different steps for " + job);
      }
      for (String t : pa.keySet()) {
        double x = pa.get(t);
        double y = pb.get(t);
        double rel = Math.abs(x - y) / Math.max(Math.abs(x), 1e-300);
        worst = Math.max(worst, rel);
        if (rel > 1e-9) {
          throw new IOException(job + " at " + t + ": " + x + " vs " + y);
        }
        compared++;
      }
    }
    System.out.printf(Locale.ROOT, "answers agree: %d series, %d points, largest relative "
        + "difference %.1e%n", a.size(), compared, worst);
  }

  private static Map<String, Map<String, Double>> points(HttpClient http, String base,
      String tenant, String query, String start, String end, String step)
      throws IOException, InterruptedException {
    String url = base + "/api/v1/query_range?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end
        + "&step=" + step;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (!tenant.equals("-")) {
      b.header("X-Scope-OrgID", tenant);
    }
    String body = http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    Map<String, Map<String, Double>> out = new TreeMap<>();
    String[] parts = body.split("\\{\"metric\":");
    for (int i = 1; i < parts.length; i++) {
      Matcher jm = SERIES_JOB.matcher(parts[i]);
      if (!jm.find()) {
        throw new IOException("series without job: " + parts[i]);
      }
      Map<String, Double> pts = new TreeMap<>();
      Matcher pm = POINT.matcher(parts[i]);
      while (pm.find()) {
        pts.put(pm.group(1), Double.parseDouble(pm.group(2)));
      }
      out.put(jm.group(1), pts);
    }
    return out;
  }

  /** Times {@code runs} query_range requests after {@code warmup} unmeasured ones. */
  static void time(String name, String base, String tenant, String query, String start,
      String end, String step, int warmup, int runs) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String url = base + "/api/v1/query_range?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end
        + "&step=" + step;
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET()
        .timeout(Duration.ofMinutes(2));
    if (!tenant.equals("-")) {
      b.header("X-Scope-OrgID", tenant);
    }
    HttpRequest req = b.build();
    double[] ms = new double[runs];
    String body = "";
    for (int i = 0; i < warmup + runs; i++) {
      long t = System.nanoTime();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      long elapsed = System.nanoTime() - t;
      body = resp.body();
      if (resp.statusCode() != 200 || !body.contains("\"status\":\"success\"")) {
        throw new IOException(name + ": HTTP " + resp.statusCode() + ": " + body);
      }
      if (i >= warmup) {
        ms[i - warmup] = elapsed / 1e6;
      }
    }
    Arrays.sort(ms);
    double sum = 0;
    for (double v : ms) {
      sum += v;
    }
    int seriesOut = body.split("\"metric\"", -1).length - 1;
    int points = body.split("\\[\\d", -1).length - 1;
    System.out.printf(Locale.ROOT,
        "%s: %d runs, median %.1f ms, mean %.1f ms, min %.1f ms, max %.1f ms "
            + "(%d series, %d points in the answer)%n",
        name, runs, ms[runs / 2], sum / runs, ms[0], ms[runs - 1], seriesOut, points);
    System.out.printf(Locale.ROOT, "MEDIAN %s %.3f%n", name, ms[runs / 2]);
  }
}
