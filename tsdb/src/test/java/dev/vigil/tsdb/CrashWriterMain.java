package dev.vigil.tsdb;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The victim of {@link CrashRecoveryTest}: appends batches forever and prints {@code ACK <n>}
 * after batch n's commit returned, until it is killed. Batch n holds, for each of
 * {@link #SERIES} series, the sample {@code (t = n, v = n * 1000 + series)}, for series 0
 * the exemplar {@code (t = n, v = n, trace_id = n)}, and for the series {@link #HISTOGRAMS} the
 * native histogram {@link #histogram histogram(n)}.
 */
public final class CrashWriterMain {
  static final int SERIES = 50;

  private CrashWriterMain() {}

  static final Labels HISTOGRAMS = Labels.of("__name__", "crash_test_histogram", "job", "victim");

  /** Batch n's histogram: growing buckets, one more every 100 batches (a new layout). */
  static FloatHistogram histogram(int n) {
    int buckets = 8 + n / 100;
    double[] b = new double[buckets];
    double count = 0;
    for (int i = 0; i < buckets; i++) {
      b[i] = (double) n * (i + 1) / 3 + i;
      count += b[i];
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, 3, 0.001, n % 7, count + n % 7, n * 0.25,
        List.of(new Span(-2, buckets)), b, List.of(), new double[0], null);
  }

  static Exemplar exemplar(int n) {
    return new Exemplar(Labels.of("trace_id", Integer.toString(n)), n, n);
  }

  static Labels series(int s) {
    return Labels.of("__name__", "crash_test", "series", Integer.toString(s), "job", "victim");
  }

  /** Block range when blocks are cut while writing: a cut every 60 batches or so. */
  static final long CUT_RANGE_MS = 40;

  /** The writer's options; the test reopens with the same. */
  static TsdbOptions options(FsyncPolicy policy, int samplesPerChunk, long headChunkFileSize) {
    return TsdbOptions.defaults()
        .withWal(TsdbOptions.defaults().wal().withFsync(policy).withSegmentSize(64 << 10))
        .withHead(new HeadOptions(0, samplesPerChunk)).withHeadChunkFileSize(headChunkFileSize);
  }

  /** As {@link #options}, with {@link #CUT_RANGE_MS} blocks when {@code cutting}. */
  static TsdbOptions options(FsyncPolicy policy, int samplesPerChunk, long headChunkFileSize,
      boolean cutting) {
    TsdbOptions o = options(policy, samplesPerChunk, headChunkFileSize);
    return cutting ? o.withBlockRangeMs(CUT_RANGE_MS) : o;
  }

  /**
   * Arguments: directory, fsync policy, [samples per chunk, head chunk file size, [head snapshot
   * every this many batches, [cut: blocks cut by a second thread all the while]]].
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    FsyncPolicy policy = FsyncPolicy.valueOf(args[1]);
    boolean cutting = args.length > 5 && args[5].equals("cut");
    TsdbOptions opts = options(policy, args.length > 2 ? Integer.parseInt(args[2]) : 120,
        args.length > 3 ? Long.parseLong(args[3]) : 128L << 20, cutting);
    int snapshotEvery = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    PrintStream out = System.out;
    Tsdb db = Tsdb.open(dir, opts);
    if (cutting) {
      // Cuts (each a block write and a WAL checkpoint) run beside the commits, as the server's
      // maintenance does, so the kill lands in one now and then.
      Thread.ofPlatform().daemon().start(() -> {
        while (true) {
          db.cutBlocks();
          Thread.onSpinWait();
        }
      });
    }
    long[] refs = new long[SERIES];
    long histogramRef = 0;
    for (int n = 0; ; n++) {
      Appender a = db.appender();
      for (int s = 0; s < SERIES; s++) {
        refs[s] = a.append(refs[s], series(s), n, n * 1000.0 + s);
      }
      histogramRef = a.appendHistogram(histogramRef, HISTOGRAMS, n, histogram(n));
      a.appendExemplar(refs[0], series(0), exemplar(n));
      a.commit();
      out.println("ACK " + n);
      out.flush();
      if (snapshotEvery > 0 && n % snapshotEvery == snapshotEvery - 1) {
        db.writeHeadSnapshot();
      }
    }
  }
}
