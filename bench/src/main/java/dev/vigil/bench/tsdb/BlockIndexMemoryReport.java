package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an opened block costs the process per series: Java heap retained by the open block
 * (settled by repeated GCs), the resident bytes of its index file mapping after a query touched
 * every series, the time to open it, and the fastest of {@value #SELECT_ROUNDS} reads of every series'
 * labels through a query. Not
 * a JMH benchmark: the figures are sizes, and the opens are cold by design.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.BlockIndexMemoryReport SERIES DIR [BLOCKS]
 * </pre>
 *
 * With DIR missing, writes {@code SERIES} Kubernetes-like series ({@link KubeSeries}) with one
 * sample every 15 min into a TSDB there and cuts {@code BLOCKS} (default 1) 2 h blocks; then opens
 * every block of DIR and reports.
 */
public final class BlockIndexMemoryReport {
  private static final long HOUR = 3_600_000;
  private static final int SELECT_ROUNDS = 5;

  private BlockIndexMemoryReport() {}

  public static void main(String[] args) throws IOException {
    int series = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    if (!Files.exists(dir)) {
      write(dir, series, blocks);
    }
    List<Path> blockDirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("blocks"))) {
      ds.forEach(blockDirs::add);
    }
    long indexBytes = 0;
    for (Path b : blockDirs) {
      indexBytes += Files.size(b.resolve("index"));
    }
    long before = ProcessMemory.settledHeap();
    long t0 = System.nanoTime();
    List<Block> open = new ArrayList<>();
    for (Path b : blockDirs) {
      open.add(Block.open(b));
    }
    long openNanos = System.nanoTime() - t0;
    long after = ProcessMemory.settledHeap();
    long selectNanos = Long.MAX_VALUE;
    long labelChars = 0;
    long selected = 0;
    for (int round = 0; round < SELECT_ROUNDS; round++) {
      long t1 = System.nanoTime();
      labelChars = 0;
      selected = 0;
      for (Block b : open) {
        try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          SeriesSet set = q.select(false, null, List.of(Matcher.of(MatchType.REGEX, "job", ".+")));
          while (set.next()) {
            Labels l = set.at().labels();
            labelChars += l.get("pod").length();
            selected++;
          }
        }
      }
      selectNanos = Math.min(selectNanos, System.nanoTime() - t1);
    }
    long heldAfterSelect = ProcessMemory.settledHeap();
    long resident = ProcessMemory.residentBytesOf("/index");
    double perSeries = (double) series * blockDirs.size();
    System.out.printf(Locale.ROOT, "%d blocks of %d series; index files %.1f B/series%n",
        blockDirs.size(), series, indexBytes / perSeries);
    System.out.printf(Locale.ROOT, "open: %.3f s; heap retained by the open blocks: %.1f B/series"
        + " (%.1f B/series after a query read every series)%n", openNanos / 1e9,
        (after - before) / perSeries, (heldAfterSelect - before) / perSeries);
    System.out.printf(Locale.ROOT, "select {job=~\".+\"} reading every series' labels: %.3f s"
        + " (fastest of %d; %d series, %d chars); index mapping resident: %.1f B/series%n",
        selectNanos / 1e9, SELECT_ROUNDS,
        selected, labelChars, resident / perSeries);
    for (Block b : open) {
      b.close();
    }
  }

  private static void write(Path dir, int series, int blocks) throws IOException {
    TsdbOptions o = TsdbOptions.defaults();
    try (Tsdb db = Tsdb.open(dir, o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL)))) {
      Labels[] labels = new Labels[series];
      long[] refs = new long[series];
      for (int i = 0; i < series; i++) {
        labels[i] = KubeSeries.labels(i, BlockBytesReport.METRICS_PER_POD);
      }
      // Data until 2 h past the last block's end, so that the head's cut leaves every block whole.
      for (long t = 0; t < (blocks + 1) * 2 * HOUR; t += HOUR / 4) {
        Appender app = db.appender();
        for (int i = 0; i < series; i++) {
          refs[i] = app.append(refs[i], labels[i], t, i + t / 1000.0);
        }
        app.commit();
      }
      db.cutBlocks();
    }
  }
}
