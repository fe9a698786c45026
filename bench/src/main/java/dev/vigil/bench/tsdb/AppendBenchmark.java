package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Storage;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Storage-level append throughput (no HTTP, no protobuf): {@value #SERIES} existing series, each
 * operation is one sample; one invocation appends one sample to every series in batches of
 * {@code batch} samples (one appender + commit per batch), 15 s after the previous round.
 * {@code store=head} is the in-memory head alone, {@code store=tsdb} adds the WAL (in a
 * temporary directory) with the fsync policy {@code fsync}: {@code interval} (background fsync
 * every second) or {@code per_commit} (the server's default: every commit waits for its fsync,
 * shared by concurrent committers; one thread here, so each batch pays a whole fsync). {@code refs=true} passes the series ref the previous append
 * returned (the remote-write path caches them), {@code refs=false} looks each series up by its
 * 10 labels. {@code strings=distinct}: each series' label set is built with string objects of
 * its own, so a lookup compares the strings' characters with the head's interned ones;
 * {@code strings=shared}: equal strings are one instance, as labels decoded through the server's
 * shared {@code StringCache} are, so the head interned those very instances and a lookup
 * compares them by identity. Score = samples/s on one thread.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar AppendBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms6g"})
@OperationsPerInvocation(AppendBenchmark.SERIES)
public class AppendBenchmark {
  static final int SERIES = 100_000;
  static final long SCRAPE = 15_000;

  @Param({"head", "tsdb"})
  public String store;

  @Param({"true", "false"})
  public boolean refs;

  /** WAL fsync policy for {@code store=tsdb}: {@code interval} or {@code per_commit}. */
  @Param({"interval"})
  public String fsync;

  /** How label strings repeat across series: {@code distinct} or {@code shared} (see above). */
  @Param({"distinct", "shared"})
  public String strings;

  /** Samples per appender commit: 2000 is a typical remote-write request; 100000 = one round. */
  @Param({"2000", "100000"})
  public int batch;

  private Storage storage;
  private Tsdb tsdb;
  private Path dir;
  private Labels[] labels;
  private long[] seriesRefs;
  private long t;
  private double v;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    if (store.equals("head")) {
      storage = new Head(HeadOptions.defaults(), CommitLog.NONE);
    } else {
      dir = Files.createTempDirectory("vigil-append-bench");
      TsdbOptions o = TsdbOptions.defaults();
      FsyncPolicy policy = switch (fsync) {
        case "interval" -> FsyncPolicy.INTERVAL;
        case "per_commit" -> FsyncPolicy.PER_COMMIT;
        default -> throw new IllegalArgumentException(
            "fsync=" + fsync + ": expected interval or per_commit");
      };
      tsdb = Tsdb.open(dir, o.withWal(o.wal().withFsync(policy)));
      storage = tsdb;
    }
    labels = switch (strings) {
      case "distinct" -> seriesLabels();
      case "shared" -> withSharedStrings(seriesLabels());
      default -> throw new IllegalArgumentException(
          "strings=" + strings + ": expected distinct or shared");
    };
    seriesRefs = new long[SERIES];
    round(); // creates the series and fills the refs
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (tsdb != null) {
      tsdb.close();
      FileTrees.delete(dir);
    }
  }

  @Benchmark
  public long round() {
    t += SCRAPE;
    v += 1;
    appendRound(storage, labels, seriesRefs, refs, t, v, batch);
    return t;
  }

  /**
   * One sample per series at {@code t} (series {@code i} gets {@code v + i}), in commits of
   * {@code batch} samples; {@code seriesRefs} is passed in when {@code useRefs} and takes the
   * refs returned. Shared with {@link AppendCpuReport}, so both measure the same work.
   */
  static void appendRound(Storage storage, Labels[] labels, long[] seriesRefs, boolean useRefs,
      long t, double v, int batch) {
    Appender app = storage.appender();
    int inBatch = 0;
    for (int i = 0; i < labels.length; i++) {
      seriesRefs[i] = app.append(useRefs ? seriesRefs[i] : 0, labels[i], t, v + i);
      if (++inBatch == batch) {
        app.commit();
        app = storage.appender();
        inBatch = 0;
      }
    }
    app.commit();
  }

  /** The same label sets with every distinct string one instance. */
  static Labels[] withSharedStrings(Labels[] in) {
    HashMap<String, String> pool = new HashMap<>();
    Labels[] out = new Labels[in.length];
    for (int i = 0; i < in.length; i++) {
      Labels l = in[i];
      String[] nameValues = new String[2 * l.size()];
      for (int k = 0; k < l.size(); k++) {
        nameValues[2 * k] = pool.computeIfAbsent(l.name(k), x -> x);
        nameValues[2 * k + 1] = pool.computeIfAbsent(l.value(k), x -> x);
      }
      out[i] = Labels.of(nameValues);
    }
    return out;
  }

  /** The {@value #SERIES} series' label sets. */
  static Labels[] seriesLabels() {
    return seriesLabels(SERIES);
  }

  /** The label sets of the first {@code n} series of {@link KubeSeries} (200 per node). */
  static Labels[] seriesLabels(int n) {
    Labels[] labels = new Labels[n];
    for (int i = 0; i < n; i++) {
      labels[i] = KubeSeries.labels(i, 200);
    }
    return labels;
  }
}
