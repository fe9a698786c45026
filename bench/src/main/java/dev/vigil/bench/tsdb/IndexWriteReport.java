package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.index.IndexWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What writing a block's index costs the writing thread: the bytes it allocates and the time it
 * takes for {@code SERIES} Kubernetes-like series ({@link KubeSeries}) with one chunk each,
 * best of {@value #ROUNDS} (the allocation figure is the same every round). The label sets and
 * symbols are built before the measurement: a block cut has them already. Not a JMH benchmark:
 * the figure that matters is the allocation, which bounds the heap a cut or a compaction needs
 * on top of the head.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.IndexWriteReport SERIES
 * </pre>
 */
public final class IndexWriteReport {
  private static final int ROUNDS = 3;

  private IndexWriteReport() {}

  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    Labels[] labels = AppendBenchmark.seriesLabels(n);
    Arrays.sort(labels);
    TreeSet<String> symbolSet = new TreeSet<>();
    for (Labels l : labels) {
      for (int i = 0; i < l.size(); i++) {
        symbolSet.add(l.name(i));
        symbolSet.add(l.value(i));
      }
    }
    List<String> symbols = new ArrayList<>(symbolSet);
    long[] minT = {0};
    long[] maxT = {7_199_999};
    long[] ref = new long[1];
    long[] gap = {15_000};
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Path dir = Files.createTempDirectory("vigil-index-write");
    long best = Long.MAX_VALUE;
    long allocated = 0;
    long bytes = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        Path file = dir.resolve("index-" + round);
        System.gc();
        long a0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        IndexWriter w = new IndexWriter(file);
        w.addSymbols(symbols);
        for (int i = 0; i < labels.length; i++) {
          ref[0] = 8L * i; // any increasing reference: the index stores it, never follows it
          w.addSeries(labels[i], minT, maxT, ref, gap, 1);
        }
        w.finish();
        best = Math.min(best, System.nanoTime() - t0);
        allocated = threads.getCurrentThreadAllocatedBytes() - a0;
        bytes = Files.size(file);
        Files.delete(file);
      }
    } finally {
      Files.deleteIfExists(dir);
    }
    System.out.printf("index of %d series: %d bytes (%.1f B/series); writing allocated %d bytes"
        + " (%.1f B/series, %.2fx the file), best of %d: %.3f s%n", n, bytes,
        bytes / (double) n, allocated, allocated / (double) n, allocated / (double) bytes,
        ROUNDS, best / 1e9);
  }
}
