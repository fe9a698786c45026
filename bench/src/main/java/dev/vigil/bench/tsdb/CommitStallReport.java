package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long commits wait while the database does its periodic work: fills a head with 4 h of
 * one-minute samples of {@code SERIES} series, then keeps one thread committing batches of
 * 2000 samples while another runs a block cut (which writes a block and checkpoints the WAL) or
 * takes a head snapshot, and prints the longest commit seen meanwhile. Not a JMH benchmark:
 * the figure is a worst case, measured once per run.
 *
 * <pre>
 * java -Xmx8g -XX:+UseZGC -cp bench/target/benchmarks.jar \
 *     dev.vigil.bench.tsdb.CommitStallReport SERIES cut|snapshot
 * </pre>
 */
public final class CommitStallReport {
  private static final long HOUR = 3_600_000;
  private static final long STEP = 60_000;
  private static final int BATCH = 2000;

  private CommitStallReport() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    boolean cut = args.length < 2 || args[1].equals("cut");
    Path dir = Files.createTempDirectory("vigil-commit-stall");
    TsdbOptions o = TsdbOptions.defaults();
    try (Tsdb db = Tsdb.open(dir, o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL)))) {
      Labels[] labels = new Labels[n];
      for (int i = 0; i < n; i++) {
        labels[i] = KubeSeries.labels(i, BlockBytesReport.METRICS_PER_POD);
      }
      long[] refs = new long[n];
      long t = 0;
      for (; t < 4 * HOUR; t += STEP) {
        round(db, labels, refs, t);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong longest = new AtomicLong();
      long from = t;
      // One millisecond further per round: the head's span stays under what makes a second cut.
      Thread writer = Thread.ofPlatform().start(() -> {
        for (long ts = from; !stop.get(); ts++) {
          long worst = round(db, labels, refs, ts);
          longest.accumulateAndGet(worst, Math::max);
        }
      });
      Thread.sleep(500);
      longest.set(0);
      long t0 = System.nanoTime();
      if (cut) {
        db.cutBlocks();
      } else {
        db.writeHeadSnapshot();
      }
      long took = System.nanoTime() - t0;
      stop.set(true);
      writer.join();
      System.out.printf(Locale.ROOT, "%d series, %s: %.2f s; longest commit of %d samples"
          + " meanwhile: %.0f ms%n", n, cut ? "block cut" : "head snapshot", took / 1e9, BATCH,
          longest.get() / 1e6);
    } finally {
      FileTrees.delete(dir);
    }
  }

  /** One sample per series at {@code t} in commits of {@value #BATCH}; the longest commit. */
  private static long round(Tsdb db, Labels[] labels, long[] refs, long t) {
    long worst = 0;
    Appender app = db.appender();
    for (int i = 0; i < labels.length; i++) {
      refs[i] = app.append(refs[i], labels[i], t, i + t / 1000.0);
      if ((i + 1) % BATCH == 0) {
        long s = System.nanoTime();
        app.commit();
        worst = Math.max(worst, System.nanoTime() - s);
        app = db.appender();
      }
    }
    app.commit();
    return worst;
  }
}
