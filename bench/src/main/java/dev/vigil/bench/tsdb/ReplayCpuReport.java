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
 * With {@code snapshot} last, every close writes a head snapshot and every open restores it (a
 * clean restart) instead of replaying the WAL (a restart after a crash); the close is timed too.
 * With {@code periodic:K}, the data is written with a head snapshot taken after round K (as
 * the server's periodic snapshot), and every open is a restart after a crash: the snapshot
 * restored, then the WAL written after it replayed; {@code crash} (the default) replays the
 * whole WAL. With {@code cut}, the head is cut into blocks once written (as the server does
 * when it spans more than 1.5 block ranges, e.g. with 800 samples, 3 h 20 min), which
 * checkpoints the WAL, and every open replays the checkpoint: a restart after a crash of a
 * server past its first cut. {@code SERIES} (default {@value WalReplayBenchmark#SERIES}) sets how many series
 * are written, e.g. 1000000 for a large cluster's head, where every replayed sample goes to a
 * series whose state is out of the CPU caches.
 *
 * <pre>
 * java -Xmx6g -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.ReplayCpuReport \
 *     [opens [DIR [ROUNDS [crash|cut|snapshot|periodic:K [SERIES]]]]]
 * </pre>
 */
public final class ReplayCpuReport {
  private ReplayCpuReport() {}

  public static void main(String[] args) throws IOException {
    int opens = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    boolean keep = args.length > 1;
    Path dir = keep ? Path.of(args[1]) : Files.createTempDirectory("vigil-replay-cpu");
    TsdbOptions o = TsdbOptions.defaults();
    String mode = args.length > 3 ? args[3] : "crash";
    boolean snapshot = mode.equals("snapshot");
    int snapshotAfter = mode.startsWith("periodic:")
        ? Integer.parseInt(mode.substring("periodic:".length())) : -1;
    boolean cut = mode.equals("cut");
    if (!snapshot && snapshotAfter < 0 && !cut && !mode.equals("crash")) {
      throw new IllegalArgumentException(
          "mode must be crash, cut, snapshot or periodic:K, got " + mode);
    }
    int series = args.length > 4 ? Integer.parseInt(args[4]) : WalReplayBenchmark.SERIES;
    TsdbOptions options = o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL))
        .withSnapshotOnShutdown(snapshot);
    StringBuilder out = new StringBuilder();
    // A server has logged before it opens a tenant's database ("opening storage of tenant
    // ..."), so java.util.logging is set up by then; set it up here too, before the timed open,
    // rather than count its one-time start (20-30 ms on the 2-core machine) as the replay's.
    System.getLogger(ReplayCpuReport.class.getName())
        .log(System.Logger.Level.INFO, "opening {0} ({1})", dir, mode);
    try {
      if (!keep || !Files.exists(dir)) {
        WalReplayBenchmark.writeWal(dir, options,
            args.length > 2 ? Integer.parseInt(args[2]) : WalReplayBenchmark.ROUNDS,
            snapshotAfter, series, cut);
      }
      for (int i = 0; i < opens; i++) {
        if (i > 0) {
          // The previous open's head is garbage: not this open's cost. Not before the first
          // open: a full collection in a fresh JVM shrinks the heap to a few tens of MB (G1),
          // which the open then grows back collection by collection, unlike a server's start.
          System.gc();
        }
        long cpu0 = os.getProcessCpuTime();
        long allocated0 = threads.getTotalThreadAllocatedBytes();
        long wall0 = System.nanoTime();
        Tsdb db = Tsdb.open(dir, options);
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        // What the open allocated decides how many young collections fall inside it.
        double allocatedMb = (threads.getTotalThreadAllocatedBytes() - allocated0) / 1e6;
        Tsdb.ReplayStats st = db.replayStats();
        long close0 = System.nanoTime();
        db.close();
        long close = System.nanoTime() - close0;
        if (st.snapshotSeries() > 0) {
          out.append(String.format("open %d: %d series from the snapshot and %d samples of the"
              + " WAL after it, %.3f s wall, %.3f s CPU; close %.3f s; load %.2f;"
              + " allocated %.0f MB%n", i,
              st.snapshotSeries(), st.samples(), wall / 1e9, cpu / 1e9, close / 1e9,
              os.getSystemLoadAverage(), allocatedMb));
        } else {
          long samples = st.samples();
          out.append(String.format("open %d: %d samples, %.3f s wall (%.1fM/s), %.3f s CPU"
              + " (%.1fM samples/CPU-s); close %.3f s; load %.2f; allocated %.0f MB%n", i,
              samples, wall / 1e9, samples / (wall / 1e3), cpu / 1e9, samples / (cpu / 1e3),
              close / 1e9, os.getSystemLoadAverage(), allocatedMb));
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
