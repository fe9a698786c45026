package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/**
 * Bytes per sample in the WAL: the same data sets as {@link BlockBytesReport} ({@code kube} or
 * {@code noisy3}), appended the way the remote-write path appends them (one commit per scrape of
 * all series), for {@code HOURS} hours with no block cut, so the WAL holds every series record
 * and every sample; its segment bytes divided by the samples. Not a JMH benchmark: a size,
 * measured once (deterministic data).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.WalBytesReport SERIES DATA HOURS
 * </pre>
 */
public final class WalBytesReport {
  private WalBytesReport() {}

  public static void main(String[] args) throws IOException {
    int series = Integer.parseInt(args[0]);
    String data = args[1];
    int hours = Integer.parseInt(args[2]);
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
        for (long t = 0; t < hours * BlockBytesReport.HOUR; t += BlockBytesReport.SCRAPE) {
          Appender a = db.appender();
          for (int i = 0; i < series; i++) {
            refs[i] = a.append(refs[i], labels[i], t, values[i].getAsDouble());
          }
          a.commit();
          samples += series;
        }
      }
      long walBytes = size(dir.resolve("wal"));
      out.printf(Locale.ROOT, "data %s, %d series, %d h at 15 s: %d samples, WAL %d bytes, "
          + "%.3f B/sample%n", data, series, hours, samples, walBytes, (double) walBytes / samples);
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
