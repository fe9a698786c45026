package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@link AppendBenchmark}'s {@code store=tsdb refs=true} workload (100k series, one sample per
 * series per round, commits of {@code batch} samples, WAL with interval fsync) timed by the
 * appending thread's CPU time instead of the wall clock: on a machine shared with other work
 * (a build, the kernel's writeback) the wall clock measures the neighbours, CPU time much less
 * so. Prints samples per CPU-second of each measured block of rounds and their median.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.AppendCpuReport [batch] [blocks]
 * </pre>
 */
public final class AppendCpuReport {
  private static final int SERIES = AppendBenchmark.SERIES;
  private static final int ROUNDS_PER_BLOCK = 40;

  private AppendCpuReport() {}

  public static void main(String[] args) throws IOException {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 12;
    Path dir = Files.createTempDirectory("vigil-append-cpu");
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Labels[] labels = AppendBenchmark.seriesLabels();
    long[] refs = new long[SERIES];
    double[] rates = new double[blocks];
    TsdbOptions o = TsdbOptions.defaults();
    try (Tsdb db = Tsdb.open(dir, o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL)))) {
      long t = 0;
      for (int block = -3; block < blocks; block++) { // 3 blocks of warm-up
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int r = 0; r < ROUNDS_PER_BLOCK; r++) {
          t += AppendBenchmark.SCRAPE;
          // A method of its own (as JMH's round): compiled whole, not as an on-stack
          // replacement of this loop.
          AppendBenchmark.appendRound(db, labels, refs, true, t, t / AppendBenchmark.SCRAPE, batch);
        }
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        if (block >= 0) {
          rates[block] = (double) SERIES * ROUNDS_PER_BLOCK / (cpu / 1e9);
        }
      }
    } finally {
      FileTrees.delete(dir);
    }
    StringBuilder out = new StringBuilder("samples per CPU-second of the appending thread:");
    for (double r : rates) {
      out.append(String.format(" %.2fM", r / 1e6));
    }
    double[] sorted = rates.clone();
    Arrays.sort(sorted);
    out.append(String.format("%nmedian %.2fM samples/CPU-s (batch %d, %d blocks of %d rounds)",
        sorted[blocks / 2] / 1e6, batch, blocks, ROUNDS_PER_BLOCK));
    System.out.println(out);
  }
}
