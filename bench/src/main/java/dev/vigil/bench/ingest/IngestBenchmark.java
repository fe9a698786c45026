package dev.vigil.bench.ingest;

import dev.vigil.server.ServerConfig;
import dev.vigil.server.StorageEngine;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ingest benchmark (issue 7): pushes the same remote write 1.0 batches (2000 series with one
 * sample each, snappy protobuf, 10 Kubernetes-like labels per series) to each server in turn
 * over several connections, and reports samples accepted per second of wall time and per
 * CPU-second of the server process, for the first scrape (every series new) and the following
 * ones (appends to known series), plus live heap and RSS per series. Prints to stdout: it is a
 * command-line tool, run through {@code bench/ingest/run.sh}.
 *
 * <pre>
 * IngestBenchmark serve HOST PORT DATA_DIR
 *     a Vigil server (TSDB storage, multi-tenancy on, no ingestion rate or series limit)
 * IngestBenchmark push SERIES SCRAPES CONCURRENCY CLK_TCK TARGET...
 *     TARGET = vigil|prometheus,NAME,PID,BASE_URL; the targets are loaded one after the other
 * </pre>
 */
public final class IngestBenchmark {
  static final int BATCH = 2000;
  static final int METRICS_PER_POD = 100;
  static final long SCRAPE_MILLIS = 15_000;
  static final String TENANT = "bench";

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "serve" -> serve(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
      case "push" -> push(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
          Integer.parseInt(args[3]), Integer.parseInt(args[4]),
          List.of(args).subList(5, args.length));
      default -> {
        System.err.println("usage: IngestBenchmark serve HOST PORT DATA_DIR | push SERIES "
            + "SCRAPES CONCURRENCY CLK_TCK vigil|prometheus,NAME,PID,BASE_URL...");
        System.exit(2);
      }
    }
  }

  static void serve(String host, int port, Path dataDir) throws InterruptedException {
    ServerConfig config = ServerConfig.defaults(dataDir).withListen(host, port)
        .withStorage(StorageEngine.TSDB)
        .withLimits(ServerConfig.defaults(dataDir).limits().withIngestion(0, 0)
            .withMaxGlobalSeriesPerUser(0));
    try (VigilServer server = VigilServer.start(config,
        new BuildInfo("bench", "unknown", "unknown", "unknown", false, false))) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      server.join();
    }
  }

  static void push(int series, int scrapes, int concurrency, int clockTicks, List<String> specs)
      throws Exception {
    if (series % BATCH != 0 || scrapes < 2 || concurrency < 1) {
      throw new IllegalArgumentException("SERIES must be a multiple of " + BATCH
          + ", SCRAPES at least 2, CONCURRENCY at least 1");
    }
    List<PushTarget> targets = new ArrayList<>();
    for (String spec : specs) {
      String[] p = spec.split(",", 4);
      ServerProcess proc = new ServerProcess(Long.parseLong(p[2]), clockTicks);
      targets.add(switch (p[0]) {
        case "vigil" -> new PushTarget.Vigil(p[1], p[3], proc);
        case "prometheus" -> new PushTarget.Prometheus(p[1], p[3], proc);
        default -> throw new IllegalArgumentException("unknown target kind: " + p[0]);
      });
    }
    // Every body is built before any push, so the generator spends no CPU while servers are
    // measured (the machine has few cores), and every server gets the same bytes.
    long buildStart = System.nanoTime();
    KubeSeriesSet set = new KubeSeriesSet(METRICS_PER_POD);
    int batches = series / BATCH;
    long last = (System.currentTimeMillis() / SCRAPE_MILLIS) * SCRAPE_MILLIS;
    long t0 = last - (scrapes - 1) * SCRAPE_MILLIS;
    byte[][][] bodies = new byte[scrapes][batches][];
    long compressedBytes = 0;
    long rawBytes = 0;
    for (int b = 0; b < batches; b++) {
      WriteRequestBatch batch = new WriteRequestBatch(set, b * BATCH, BATCH);
      rawBytes += batch.message().length;
      for (int s = 0; s < scrapes; s++) {
        bodies[s][b] = batch.compressed(s, t0 + s * SCRAPE_MILLIS);
        compressedBytes += bodies[s][b].length;
      }
    }
    System.out.printf(Locale.ROOT, "payload: %d series x %d scrapes (15 s apart, %s .. %s), "
            + "%d batches of %d samples per scrape; %.0f KiB per request before snappy, %.0f KiB "
            + "after; built in %.1f s%n", series, scrapes, java.time.Instant.ofEpochMilli(t0),
        java.time.Instant.ofEpochMilli(last), batches, BATCH, rawBytes / 1024.0 / batches,
        compressedBytes / 1024.0 / batches / scrapes, (System.nanoTime() - buildStart) / 1e9);

    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    List<Report> reports = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
      for (PushTarget target : targets) {
        reports.add(load(target, bodies, series, concurrency, http, pool));
      }
    }
    System.out.println();
    System.out.println("| server | first scrape (new series): samples/s | per server CPU-s "
        + "| later scrapes: samples/s | per server CPU-s | heap B/series | RSS B/series |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
    for (Report r : reports) {
      System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f |%n",
          r.name, r.create.perSecond(), r.create.perCpuSecond(), r.steady.perSecond(),
          r.steady.perCpuSecond(), r.heapPerSeries, r.rssPerSeries);
    }
    if (reports.size() == 2) {
      Report a = reports.get(0);
      Report b = reports.get(1);
      System.out.printf(Locale.ROOT, "ratio %s/%s per server CPU-second: first scrape %.2f, "
              + "later scrapes %.2f; wall samples/s: %.2f, %.2f; heap per series %.2f, RSS "
              + "per series %.2f%n", b.name, a.name,
          b.create.perCpuSecond() / a.create.perCpuSecond(),
          b.steady.perCpuSecond() / a.steady.perCpuSecond(),
          b.create.perSecond() / a.create.perSecond(), b.steady.perSecond() / a.steady.perSecond(),
          b.heapPerSeries / a.heapPerSeries, b.rssPerSeries / a.rssPerSeries);
    }
  }

  private record Report(String name, Phase create, Phase steady, double heapPerSeries,
      double rssPerSeries) {}

  /** What one phase (a run of scrapes) measured. */
  private record Phase(long accepted, long refused, double wallSeconds, double cpuSeconds,
      String firstError) {
    double perSecond() {
      return accepted / wallSeconds;
    }

    double perCpuSecond() {
      return accepted / cpuSeconds;
    }
  }

  private static Report load(PushTarget target, byte[][][] bodies, int series, int concurrency,
      HttpClient http, ExecutorService pool) throws Exception {
    System.out.println("== " + target.name() + " (pid " + target.process().pid() + ", "
        + target.pushUri() + ")");
    long heap0 = target.heapAfterGc(http);
    long rss0 = target.process().rssBytes();
    Phase create = phase(target, bodies, 0, 1, concurrency, http, pool);
    print("first scrape (every series new)", create);
    Phase steady = phase(target, bodies, 1, bodies.length, concurrency, http, pool);
    print("scrapes 2-" + bodies.length + " (known series)", steady);
    long heap1 = target.heapAfterGc(http);
    long rss1 = target.process().rssBytes();
    double heapPer = (double) (heap1 - heap0) / series;
    double rssPer = (double) (rss1 - rss0) / series;
    System.out.printf(Locale.ROOT, "memory: heap after GC %.1f -> %.1f MiB (%.0f B/series), RSS "
            + "%.1f -> %.1f MiB (%.0f B/series)%n", heap0 / 1048576.0, heap1 / 1048576.0,
        heapPer, rss0 / 1048576.0, rss1 / 1048576.0, rssPer);
    return new Report(target.name(), create, steady, heapPer, rssPer);
  }

  private static void print(String what, Phase p) {
    System.out.printf(Locale.ROOT, "%s: %d samples accepted, %d refused in %.2f s wall, server "
            + "CPU %.2f s: %,.0f samples/s, %,.0f samples per server CPU-second%s%n", what,
        p.accepted, p.refused, p.wallSeconds, p.cpuSeconds, p.perSecond(), p.perCpuSecond(),
        p.firstError == null ? "" : "; first refusal: " + p.firstError);
  }

  /**
   * Pushes scrapes {@code [from, to)}; each scrape's batches go out over {@code concurrency}
   * connections, and a scrape starts only when the previous one is answered, so every series'
   * samples arrive in time order (Prometheus refuses out-of-order samples).
   */
  private static Phase phase(PushTarget target, byte[][][] bodies, int from, int to,
      int concurrency, HttpClient http, ExecutorService pool) throws Exception {
    LongAdder accepted = new LongAdder();
    LongAdder refused = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    double cpu0 = target.process().cpuSeconds();
    long start = System.nanoTime();
    for (int s = from; s < to; s++) {
      byte[][] scrape = bodies[s];
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> workers = new ArrayList<>(concurrency);
      for (int w = 0; w < concurrency; w++) {
        workers.add(pool.submit(() -> {
          for (int b = next.getAndIncrement(); b < scrape.length; b = next.getAndIncrement()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(target.pushUri())
                    .header("Content-Type", "application/x-protobuf")
                    .header("Content-Encoding", "snappy")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .header("X-Scope-OrgID", TENANT)
                    .header("User-Agent", "vigil-ingest-bench")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(scrape[b])).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
              accepted.add(BATCH);
            } else {
              refused.add(BATCH);
              firstError.compareAndSet(null, r.statusCode() + " " + r.body().strip());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    }
    double wall = (System.nanoTime() - start) / 1e9;
    double cpu = target.process().cpuSeconds() - cpu0;
    return new Phase(accepted.sum(), refused.sum(), wall, cpu, firstError.get());
  }
}
