package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Restart speed: {@link Tsdb#open} replaying a WAL of {@value #SERIES} Kubernetes-like series
 * × {@value #ROUNDS} samples (the same shape as {@code promtool tsdb bench write --metrics=100000
 * --scrapes=300}, whose directory Prometheus replays for the comparison in
 * {@code bench/README.md}). Score = samples replayed per second (op = one sample).
 * {@code headChunks=true} opens the directory as the writer left it (2 full chunks per series in
 * {@code chunks_head/}, whose samples replay skips, as Prometheus does with its m-mapped
 * chunks); {@code false} deletes {@code chunks_head/} before every open, so every WAL sample is
 * decoded into the head.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar WalReplayBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
@OperationsPerInvocation(WalReplayBenchmark.SERIES * WalReplayBenchmark.ROUNDS)
public class WalReplayBenchmark {
  static final int SERIES = AppendBenchmark.SERIES; // the series of AppendBenchmark.appendRound
  static final int ROUNDS = 300;

  @Param({"true", "false"})
  public boolean headChunks;

  private Path dir;
  private TsdbOptions options;

  /** Without head chunks: removes what the previous open wrote there too. */
  @Setup(Level.Invocation)
  public void dropHeadChunks() throws IOException {
    if (!headChunks) {
      Path ch = dir.resolve("chunks_head");
      if (Files.exists(ch)) {
        FileTrees.delete(ch);
      }
    }
  }

  @Setup(Level.Trial)
  public void write() throws IOException {
    dir = Files.createTempDirectory("vigil-replay-bench");
    TsdbOptions o = TsdbOptions.defaults();
    options = o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL));
    writeWal(dir, options);
  }

  /** Writes the benchmark's data into a new database at {@code dir} and closes it. */
  static void writeWal(Path dir, TsdbOptions options) throws IOException {
    writeWal(dir, options, ROUNDS);
  }

  /** As {@link #writeWal(Path, TsdbOptions)} with {@code rounds} samples per series. */
  static void writeWal(Path dir, TsdbOptions options, int rounds) throws IOException {
    writeWal(dir, options, rounds, -1);
  }

  /**
   * As {@link #writeWal(Path, TsdbOptions, int)}, writing a head snapshot (as the server does
   * periodically) after round {@code snapshotAfter} (-1: none).
   */
  static void writeWal(Path dir, TsdbOptions options, int rounds, int snapshotAfter)
      throws IOException {
    writeWal(dir, options, rounds, snapshotAfter, SERIES);
  }

  /** As {@link #writeWal(Path, TsdbOptions, int, int)} for the first {@code series} series. */
  static void writeWal(Path dir, TsdbOptions options, int rounds, int snapshotAfter, int series)
      throws IOException {
    writeWal(dir, options, rounds, snapshotAfter, series, false);
  }

  /**
   * As {@link #writeWal(Path, TsdbOptions, int, int, int)}; with {@code cut}, the head is cut
   * into blocks at the end as the server does once it spans 1.5 block ranges, which checkpoints
   * the WAL: the data of a restart after the server's first cut.
   */
  static void writeWal(Path dir, TsdbOptions options, int rounds, int snapshotAfter, int series,
      boolean cut) throws IOException {
    Labels[] labels = AppendBenchmark.seriesLabels(series);
    long[] refs = new long[labels.length];
    try (Tsdb db = Tsdb.open(dir, options)) {
      for (int k = 0; k < rounds; k++) {
        AppendBenchmark.appendRound(db, labels, refs, true, k * 15_000L, k * 10.0, 2000);
        if (k == snapshotAfter) {
          db.writeHeadSnapshot();
        }
      }
      if (cut) {
        db.cutBlocks();
      }
    }
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    FileTrees.delete(dir);
  }

  @Benchmark
  public long replay() {
    try (Tsdb db = Tsdb.open(dir, options)) {
      return db.replayStats().samples();
    }
  }
}
