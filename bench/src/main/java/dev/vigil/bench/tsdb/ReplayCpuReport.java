package dev.vigil.bench.tsdb;

import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link WalReplayBenchmark}'s restart (100k series × 300 samples, head chunks kept) timed by
 * wall clock and by the whole process's CPU time (every replay thread and the GC): replay
 * spreads over threads, so on a shared machine samples per CPU-second is the steadier figure,
 * comparable with Prometheus's process CPU time for its replay of the same data (see
 * {@code bench/README.md}). Prints one line per open.
 *
 * <p>With {@code DIR}, the data is written there once (if DIR does not exist yet) and kept: a
 * run with {@code opens = 1} in a fresh JVM is a restart as a user sees it, JIT compiler cold,
 * heap small (run it with the server's JVM options, {@code .mvn/scripts/java-opts.sh}).
 * {@code ROUNDS} (default {@value WalReplayBenchmark#ROUNDS}) sets the samples per series
 * written, e.g. 600 for 2.5 hours of 15 s scrapes, the most a head holds before its first cut.
 *
 * <pre>
 * java -Xmx6g -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.ReplayCpuReport [opens [DIR [ROUNDS]]]
 * </pre>
 */
public final class ReplayCpuReport {
  private ReplayCpuReport() {}

  public static void main(String[] args) throws IOException {
    int opens = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    boolean keep = args.length > 1;
    Path dir = keep ? Path.of(args[1]) : Files.createTempDirectory("vigil-replay-cpu");
    TsdbOptions o = TsdbOptions.defaults();
    TsdbOptions options = o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL));
    StringBuilder out = new StringBuilder();
    try {
      if (!keep || !Files.exists(dir)) {
        WalReplayBenchmark.writeWal(dir, options,
            args.length > 2 ? Integer.parseInt(args[2]) : WalReplayBenchmark.ROUNDS);
      }
      for (int i = 0; i < opens; i++) {
        System.gc(); // the previous open's head is garbage: not this open's cost
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        long samples;
        try (Tsdb db = Tsdb.open(dir, options)) {
          samples = db.replayStats().samples();
          long wall = System.nanoTime() - wall0;
          long cpu = os.getProcessCpuTime() - cpu0;
          out.append(String.format("open %d: %d samples, %.3f s wall (%.1fM/s), %.3f s CPU"
              + " (%.1fM samples/CPU-s), load %.2f%n", i, samples, wall / 1e9,
              samples / (wall / 1e3), cpu / 1e9, samples / (cpu / 1e3),
              os.getSystemLoadAverage()));
        }
      }
    } finally {
      if (!keep) {
        FileTrees.delete(dir);
      }
    }
    System.out.print(out);
  }
}
