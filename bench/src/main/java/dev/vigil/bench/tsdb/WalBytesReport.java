package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/**
 * Bytes per sample in the WAL: the same data sets as {@link BlockBytesReport} ({@code kube} or
 * {@code noisy3}), appended the way the remote-write path appends them (one commit per scrape of
 * all series), for {@code HOURS} hours with no block cut, so the WAL holds every series record
 * and every sample; its segment bytes divided by the samples. Not a JMH benchmark: a size,
 * measured once (deterministic data).
 *
 * <p>{@code SCRAPES} (optional): {@code shared} (default) commits one scrape of all series
 * with one timestamp; {@code targets} commits each pod ({@value BlockBytesReport#METRICS_PER_POD}
 * series, one scrape target) on its own, as Prometheus's scrape loops do, at its own offset
 * in the interval plus a few milliseconds of jitter per scrape. The bytes are also split by
 * record type (framing included).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.WalBytesReport SERIES DATA HOURS [SCRAPES]
 * </pre>
 */
public final class WalBytesReport {
  private WalBytesReport() {}

  public static void main(String[] args) throws IOException {
    int series = Integer.parseInt(args[0]);
    String data = args[1];
    int hours = Integer.parseInt(args[2]);
    boolean perTargets = args.length > 3 && args[3].equals("targets");
    if (args.length > 3 && !perTargets && !args[3].equals("shared")) {
      throw new IllegalArgumentException("SCRAPES " + args[3] + ": shared or targets");
    }
    PrintStream out = System.out;
    Path dir = Files.createTempDirectory("vigil-wal-bytes");
    long samples = 0;
    try {
      Labels[] labels = new Labels[series];
      DoubleSupplier[] values = new DoubleSupplier[series];
      for (int i = 0; i < series; i++) {
        labels[i] = KubeSeries.labels(i, BlockBytesReport.METRICS_PER_POD);
        values[i] = BlockBytesReport.values(data, i);
      }
      long[] refs = new long[series];
      // A block range longer than the data: nothing is cut, checkpointed or truncated.
      try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults()
          .withBlockRangeMs(4 * hours * BlockBytesReport.HOUR))) {
        SplittableRandom jitter = new SplittableRandom(1);
        int perTarget = perTargets ? BlockBytesReport.METRICS_PER_POD : series;
        for (long t = 0; t < hours * BlockBytesReport.HOUR; t += BlockBytesReport.SCRAPE) {
          for (int from = 0; from < series; from += perTarget) {
            long ts = perTargets
                ? t + (from / perTarget * 7919L) % BlockBytesReport.SCRAPE + jitter.nextInt(-3, 4)
                : t;
            Appender a = db.appender();
            for (int i = from; i < Math.min(series, from + perTarget); i++) {
              refs[i] = a.append(refs[i], labels[i], ts, values[i].getAsDouble());
            }
            a.commit();
          }
          samples += series;
        }
      }
      long walBytes = size(dir.resolve("wal"));
      out.printf(Locale.ROOT, "data %s, %d series, %d h at 15 s, %s scrapes: %d samples, WAL %d"
          + " bytes, %.3f B/sample%n", data, series, hours, perTargets ? "per-target" : "shared",
          samples, walBytes, (double) walBytes / samples);
      long[] byType = new long[256];
      WalReader.read(dir.resolve("wal"), (buf, len, segment, offset) ->
          byType[len > 0 ? buf[0] & 0xFF : 0] += len + WalFormat.RECORD_HEADER_SIZE);
      for (int type = 0; type < byType.length; type++) {
        if (byType[type] > 0) {
          out.printf(Locale.ROOT, "  record type %d: %d bytes, %.3f B/sample%n", type,
              byType[type], (double) byType[type] / samples);
        }
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    }
  }
}
