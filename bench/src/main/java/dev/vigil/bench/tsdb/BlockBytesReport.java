package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.block.EncodingUsage;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Bytes per sample of a compacted 24 h block, Vigil with packed chunks of several sizes and with
 * XOR chunks (packing off, as Prometheus), on one data set; optionally writes the same samples
 * as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}. Not a JMH
 * benchmark: the figure is a size, measured once (deterministic data).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.BlockBytesReport \
 *     SERIES DATA PACKED_SIZES [OPENMETRICS_FILE]
 *   SERIES        number of series (Kubernetes-like label sets of {@link KubeSeries})
 *   DATA          kube (KubeMixValues) or noisy3 (KubeSeries.Values, the earlier data set),
 *                 optionally :J for scrape timestamps jittered by 0..2J ms (kube:5)
 *   PACKED_SIZES  comma-separated samples per packed chunk; 0 = XOR chunks only
 * </pre>
 *
 * Samples every 15 s for 26 h into a {@link Tsdb} with 2 h blocks, cut every 2 h of data, then
 * compacted; the level-3 block {@code [0, 24 h)} is measured. The OpenMetrics file holds the
 * samples of {@code [0, 24 h)}.
 */
public final class BlockBytesReport {
  static final long SCRAPE = 15_000;
  static final long HOUR = 3_600_000;
  static final int METRICS_PER_POD = 200;

  private BlockBytesReport() {}

  public static void main(String[] args) throws IOException {
    int series = Integer.parseInt(args[0]);
    String data = args[1];
    int jitter = 0;
    if (data.contains(":")) {
      jitter = Integer.parseInt(data.substring(data.indexOf(':') + 1));
      data = data.substring(0, data.indexOf(':'));
    }
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "data %s, %d series, 15 s scrapes (+0..%d ms jitter), block [0, 24h)%n",
        data, series, 2 * jitter);
    out.printf(Locale.ROOT, "%-10s %12s %10s %10s %10s %8s  %s%n", "packed", "samples",
        "B/sample", "chunks B/s", "index B/s", "build s", "per encoding (chunks, B/sample)");
    for (String p : args[2].split(",")) {
      report(out, series, data, jitter, Integer.parseInt(p));
    }
    if (args.length > 3) {
      writeOpenMetrics(Path.of(args[3]), series, data, jitter);
      out.println("wrote " + args[3]);
    }
  }

  static DoubleSupplier values(String data, int i) {
    return switch (data) {
      case "kube" -> new KubeMixValues(i)::next;
      case "noisy3" -> new KubeSeries.Values(i)::next;
      default -> throw new IllegalArgumentException("data set " + data + ": kube or noisy3");
    };
  }

  /** Scrape jitter of series {@code i}: deterministic, 0..2j ms. */
  static SplittableRandom jitter(int i) {
    return new SplittableRandom(i * 104_729L + 3);
  }

  private static void report(PrintStream out, int series, String data, int jitter, int packed)
      throws IOException {
    Path dir = Files.createTempDirectory("vigil-block-bytes");
    long start = System.nanoTime();
    try {
      TsdbOptions o = TsdbOptions.defaults().withPackedSamplesPerChunk(packed);
      try (Tsdb db = Tsdb.open(dir, o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL)))) {
        Labels[] labels = new Labels[series];
        DoubleSupplier[] values = new DoubleSupplier[series];
        long[] refs = new long[series];
        SplittableRandom[] jitters = new SplittableRandom[series];
        for (int i = 0; i < series; i++) {
          labels[i] = KubeSeries.labels(i, METRICS_PER_POD);
          values[i] = values(data, i);
          jitters[i] = jitter(i);
        }
        for (long t = 0; t < 26 * HOUR; t += SCRAPE) {
          Appender app = db.appender();
          for (int i = 0; i < series; i++) {
            long ts = jitter == 0 ? t : t + jitters[i].nextInt(2 * jitter + 1);
            refs[i] = app.append(refs[i], labels[i], ts, values[i].getAsDouble());
          }
          app.commit();
          if (t % (2 * HOUR) == 0) {
            db.cutBlocks();
          }
        }
        db.cutBlocks();
        db.compact();
        for (Block b : db.blocks()) {
          BlockMeta m = b.meta();
          if (m.minTime() != 0 || m.maxTime() != 24 * HOUR) {
            continue;
          }
          long chunkBytes = 0;
          for (long l : m.chunkSegmentLengths()) {
            chunkBytes += l;
          }
          double n = m.numSamples();
          StringBuilder enc = new StringBuilder();
          for (EncodingUsage u : b.encodingUsage()) {
            enc.append(String.format(Locale.ROOT, "%s %d %.3f; ", u.encoding(), u.chunks(),
                u.bytesPerSample()));
          }
          out.printf(Locale.ROOT, "%-10s %12d %10.3f %10.3f %10.3f %8.1f  %s%n",
              packed == 0 ? "xor" : Integer.toString(packed), m.numSamples(),
              (m.indexLength() + chunkBytes) / n, chunkBytes / n, m.indexLength() / n,
              (System.nanoTime() - start) / 1e9, enc);
          return;
        }
        throw new IllegalStateException("no [0, 24h) block after compaction: " + db.blocks());
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  /** The samples of {@code [0, 24 h)}, grouped by metric family as OpenMetrics requires. */
  static void writeOpenMetrics(Path file, int series, String data, int jitter)
      throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int m = 0; m < METRICS_PER_POD; m++) {
        boolean typed = false;
        for (int i = m; i < series; i += METRICS_PER_POD) {
          Labels l = KubeSeries.labels(i, METRICS_PER_POD);
          if (!typed) {
            w.write("# TYPE " + l.metricName() + " unknown\n");
            typed = true;
          }
          StringBuilder sb = new StringBuilder().append(l.metricName()).append('{');
          for (int j = 0; j < l.size(); j++) {
            if (!l.name(j).equals(Labels.METRIC_NAME)) {
              sb.append(l.name(j)).append("=\"").append(l.value(j)).append("\",");
            }
          }
          sb.setCharAt(sb.length() - 1, '}');
          String selector = sb.toString();
          DoubleSupplier v = values(data, i);
          SplittableRandom j = jitter(i);
          for (long t = 0; t < 24 * HOUR; t += SCRAPE) {
            long ts = jitter == 0 ? t : t + j.nextInt(2 * jitter + 1);
            w.write(selector);
            w.write(' ');
            w.write(Double.toString(v.getAsDouble()));
            w.write(' ');
            w.write(String.format(Locale.ROOT, "%d.%03d", ts / 1000, ts % 1000));
            w.write('\n');
          }
        }
      }
      w.write("# EOF\n");
    }
  }
}
