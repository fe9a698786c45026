package dev.vigil.app;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.parser.Parser;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.tenant.TenantDirectories;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.server.VigilServer;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The training run of the server's JDK AOT cache ({@code -XX:AOTCacheOutput}, JEP 483 and 515):
 * the launcher runs it once per build, and every later {@code vigil server} starts with the
 * classes it loaded already linked and the method profiles it gathered, so the JIT compiles the
 * restart's hot loops at once instead of after a phase in the interpreter and the profiling
 * tier. It goes through what a restart runs: appends through the WAL into a head whose full
 * chunks leave for {@code chunks_head}, with metadata and exemplars as scrapes bring them; a
 * head snapshot with appends after it, restored and the WAL after it replayed (a crash after
 * the periodic snapshot); a whole WAL replayed (a crash before any snapshot), of a head with
 * full chunks and of a young one with more series; a clean close's snapshot restored; and a
 * few PromQL queries.
 *
 * <p>Its data is its own (generated Kubernetes-like series: counters, noisy gauges, constant
 * series, native histograms), in a scratch directory deleted at the end. Hidden from the help:
 * it is the launcher's, not a user's, command.
 */
@Command(name = "aot-training", hidden = true,
    description = "Training run for the server's JDK AOT cache (run by the launcher).")
public final class AotTrainingCommand implements Callable<Integer> {
  /** Float series the launcher's run writes (and a hundredth as many histogram series). */
  static final int SERIES = 20_000;
  static final long STEP_MS = 15_000;
  static final String TENANT = "training";
  /** Scrapes written before the snapshot, after it, after the restart. */
  static final int BEFORE_SNAPSHOT = 360;
  static final int AFTER_SNAPSHOT = 240;
  static final int AFTER_RESTART = 40;
  /**
   * Scrapes of the young head: a crash in a server's first half hour, before any chunk is full,
   * with 3.5 times the float series (70k in the launcher's run). The other heads' replays take
   * over full chunks from {@code chunks_head} and stay below 65,536 series, where a label's
   * postings hold one container; C2 compiled the replay's code without the branches a young or
   * larger head takes, and a cold open of 100k series hit those uncommon traps and compiled it
   * again (~0.1 s of C2 and time in the interpreter).
   */
  static final int YOUNG_SCRAPES = 10;
  /** The training's writes: no snapshot at close, so the next open replays the WAL. */
  private static final TsdbOptions CLOSED_AS_BY_A_CRASH = TsdbOptions.defaults()
      .withWal(TsdbOptions.defaults().wal().withFsync(FsyncPolicy.INTERVAL))
      .withSnapshotOnShutdown(false);

  @Parameters(index = "0", paramLabel = "DIR",
      description = "Scratch directory (created, then deleted).")
  Path dir;

  @Option(names = "--series", defaultValue = "" + SERIES,
      description = "Float series to write (default: ${DEFAULT-VALUE}).")
  int series;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    // The directory is deleted at the end: never one that holds anything.
    if (Files.exists(dir)) {
      boolean empty;
      try (var entries = Files.list(dir)) {
        empty = entries.findAny().isEmpty();
      } catch (java.nio.file.NotDirectoryException e) {
        empty = false;
      }
      if (!empty) {
        throw new CommandLine.ParameterException(spec.commandLine(), "DIR " + dir
            + " exists and is not an empty directory: the training deletes its directory");
      }
    }
    Files.createDirectories(dir);
    try {
      run(dir, series);
      runServer(dir.resolve("server"), series);
    } finally {
      FileTrees.delete(dir);
    }
    return 0;
  }

  /**
   * The whole training workload with {@code series} float series in {@code scratch}; returns the
   * float samples of {@code job="kubelet"} that the last open (a clean restore) reads back.
   */
  static long run(Path scratch, int series) throws IOException {
    TsdbOptions crash = CLOSED_AS_BY_A_CRASH;
    TsdbOptions clean = crash.withSnapshotOnShutdown(true);
    Workload w = new Workload(series);
    Path snapshotted = scratch.resolve("snapshotted");
    Path walOnly = scratch.resolve("wal-only");

    // A head with a periodic snapshot and an hour of samples after it, closed as by a crash.
    try (Tsdb db = Tsdb.open(snapshotted, crash)) {
      w.append(db, 0, BEFORE_SNAPSHOT);
      db.writeHeadSnapshot();
      w.append(db, BEFORE_SNAPSHOT, AFTER_SNAPSHOT);
    }
    // A head with no snapshot: the whole WAL is replayed.
    try (Tsdb db = Tsdb.open(walOnly, crash)) {
      w.append(db, 0, AFTER_SNAPSHOT);
    }
    try (Tsdb db = Tsdb.open(walOnly, crash)) {
      w.query(db, AFTER_SNAPSHOT);
    }
    // A young head with more series, its whole WAL replayed.
    int youngSeries = series * 7 / 2;
    Workload many = new Workload(youngSeries);
    Path young = scratch.resolve("young");
    try (Tsdb db = Tsdb.open(young, crash)) {
      many.append(db, 0, YOUNG_SCRAPES);
    }
    try (Tsdb db = Tsdb.open(young, crash)) {
      long read = many.query(db, YOUNG_SCRAPES);
      long written = (youngSeries + 2) / 3 * (long) YOUNG_SCRAPES; // job="kubelet": every third
      if (read != written) {
        throw new IOException("the young head's replay read back " + read
            + " samples of job=\"kubelet\", not the " + written + " written");
      }
    }
    // The snapshot restored and the WAL after it replayed; appends go on; a clean close.
    int end = BEFORE_SNAPSHOT + AFTER_SNAPSHOT + AFTER_RESTART;
    try (Tsdb db = Tsdb.open(snapshotted, clean)) {
      w.append(db, BEFORE_SNAPSHOT + AFTER_SNAPSHOT, AFTER_RESTART);
      w.query(db, end);
    }
    // The clean close's snapshot restored.
    try (Tsdb db = Tsdb.open(snapshotted, clean)) {
      return w.query(db, end);
    }
  }

  /**
   * Starts the server as {@code vigil server} does on {@code dataDir}, where a tenant's store
   * holds a WAL without a snapshot (a crash), and asks it what Grafana and a restart ask: ready,
   * a query that opens the tenant (its WAL replayed), a range query, label values, its metrics.
   */
  static void runServer(Path dataDir, int series) throws IOException {
    Workload w = new Workload(series);
    try (Tsdb db = Tsdb.open(TenantDirectories.tenantDir(dataDir, TENANT),
        CLOSED_AS_BY_A_CRASH)) {
      w.append(db, 0, AFTER_RESTART);
    }
    CommandLine cl = Main.commandLine();
    cl.parseArgs("server", "--data-dir", dataDir.toString(), "--listen", "127.0.0.1:0");
    ServerCommand command = cl.getSubcommands().get("server").getCommand();
    VigilServer server = command.start();
    try (HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + server.port();
      long end = AFTER_RESTART * STEP_MS / 1000;
      for (String path : List.of("/ready",
          "/prometheus/api/v1/query?query=" + encode("sum by (job) (up)") + "&time=" + end,
          "/prometheus/api/v1/query_range?query="
              + encode("rate(container_cpu_usage_seconds_total[5m])")
              + "&start=0&end=" + end + "&step=60",
          "/prometheus/api/v1/label/namespace/values",
          "/prometheus/api/v1/series?match[]=" + encode("{job=\"kubelet\"}"),
          "/metrics")) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("X-Scope-OrgID", TENANT).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IOException("training request " + path + " answered " + r.statusCode()
              + ": " + r.body());
        }
        if (path.contains("/series?") && !r.body().contains("\"job\":\"kubelet\"")) {
          throw new IOException("the server did not replay the tenant's WAL: " + r.body());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      server.close();
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static final Metadata COUNTER =
      new Metadata(MetricType.COUNTER, "Training counter.", "");
  private static final Metadata GAUGE =
      new Metadata(MetricType.GAUGE, "Training gauge.", "bytes");

  /** Generated series and their values; deterministic, so each run trains the same paths. */
  private static final class Workload {
    private final Labels[] floats;
    private final Labels[] histograms;
    private final long[] floatRefs;
    private final long[] histogramRefs;
    private final double[] counters;
    private final SplittableRandom random = new SplittableRandom(42);
    private final Engine engine = new Engine(EngineOptions.defaults());

    Workload(int series) {
      floats = new Labels[series];
      floatRefs = new long[series];
      counters = new double[series];
      histograms = new Labels[Math.max(1, series / 100)];
      histogramRefs = new long[histograms.length];
      String[] metrics = {"container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
          "kube_pod_container_status_restarts_total", "kube_pod_status_phase",
          "node_network_receive_bytes_total", "apiserver_request_total", "up",
          "kubelet_running_pods"};
      for (int i = 0; i < floats.length; i++) {
        int node = i / 400;
        int pod = i / 8;
        floats[i] = Labels.of(
            "__name__", metrics[i % metrics.length],
            "cluster", "training",
            "container", "c" + (i % 5),
            "instance", "10.0." + node + "." + (pod % 250) + ":10250",
            "job", i % 3 == 0 ? "kubelet" : "kube-state-metrics",
            "namespace", "ns-" + (pod % 37),
            "node", "node-" + node,
            "pod", "pod-" + pod + "-" + Integer.toHexString(pod * 7919));
      }
      for (int i = 0; i < histograms.length; i++) {
        histograms[i] = Labels.of("__name__", "apiserver_request_duration_seconds",
            "job", "apiserver", "verb", "v" + (i % 7), "resource", "r" + i);
      }
    }

    /** Appends {@code rounds} scrapes of every series from scrape {@code from} on. */
    void append(Tsdb db, int from, int rounds) {
      for (int k = from; k < from + rounds; k++) {
        long t = k * STEP_MS;
        Appender app = db.appender();
        for (int i = 0; i < floats.length; i++) {
          double v = switch (i % 4) {
            case 0, 2 -> counters[i] += random.nextInt(100);
            case 1 -> 1e6 + random.nextDouble() * 1000;
            default -> 1;
          };
          floatRefs[i] = app.append(floatRefs[i], floats[i], t, v);
          if (k == from) { // as a scrape sends metadata: once per series and target start
            app.updateMetadata(floatRefs[i], floats[i], i % 4 == 1 ? GAUGE : COUNTER);
          }
          if (i % 2000 == 1999) {
            app.commit();
            app = db.appender();
          }
        }
        for (int i = 0; i < histograms.length; i++) {
          histogramRefs[i] = app.appendHistogram(histogramRefs[i], histograms[i], t,
              histogram(k));
          if (k % 4 == 0) {
            app.appendExemplar(histogramRefs[i], histograms[i],
                new Exemplar(Labels.of("trace_id", Long.toHexString(random.nextLong())),
                    random.nextDouble(), t));
          }
        }
        app.commit();
      }
    }

    private static FloatHistogram histogram(int k) {
      double[] buckets = {k, 2.0 * k, 3.0 * k, k};
      return new FloatHistogram(CounterResetHint.UNKNOWN, 3, 1e-128, 0, 7.0 * k, 0.5 * k,
          List.of(new Span(0, 4)), buckets, List.of(), new double[0], null);
    }

    /** Reads what the head holds at scrape {@code at}, raw and through PromQL. */
    long query(Tsdb db, int at) {
      long t = at * STEP_MS;
      long samples = 0;
      try (Querier q = db.querier(0, t)) {
        SeriesSet set = q.select(false, SelectHints.range(0, t),
            List.of(Matcher.equal("job", "kubelet")));
        SampleIterator it = null;
        while (set.next()) {
          it = set.at().iterator(it);
          while (it.next() != ValueKind.NONE) {
            samples++;
          }
        }
        q.labelValues("namespace", List.of());
      }
      for (String expr : List.of("sum by (namespace) (rate(container_cpu_usage_seconds_total[5m]))",
          "histogram_quantile(0.9, sum(rate(apiserver_request_duration_seconds[5m])))",
          "max_over_time(kube_pod_status_phase[1h]) > 0")) {
        engine.rangeQuery(db, Parser.parseExpr(expr), t - 3_600_000, t, 60_000);
      }
      return samples;
    }
  }
}
