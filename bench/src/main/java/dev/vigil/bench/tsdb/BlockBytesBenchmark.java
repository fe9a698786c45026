package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockMeta;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bytes per sample in a compacted block on realistic data: {@code series} Kubernetes-like
 * series (a third each counters, noisy gauges with 3 decimals, constants; see
 * {@link KubeSeries.Values}) scraped every 15 s for 8 h, appended to a {@link Tsdb} with 2 h
 * blocks, cut into blocks and compacted, so {@code [0, 6 h)} ends up in one level-2 block.
 * Reports (index + chunk files) / samples of that block as {@code bytesPerSample}, and the
 * chunk files alone as {@code chunkBytesPerSample}, with packed block chunks and with XOR
 * chunks only ({@code packed}). {@link BlockBytesReport} measures a 24 h block on the kube mix
 * data set ({@link KubeMixValues}).
 *
 * <p>The same samples as OpenMetrics text (for {@code promtool tsdb create-blocks-from
 * openmetrics}, the Prometheus comparison in {@code bench/README.md}):
 * {@code java -cp bench/target/benchmarks.jar dev.vigil.bench.tsdb.BlockBytesBenchmark OUT.txt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class BlockBytesBenchmark {
  static final long SCRAPE = 15_000;
  static final long HOURS = 8;
  static final int METRICS_PER_POD = 200;

  @Param({"3000"})
  public int series;

  /** Samples per packed block chunk; 0 writes XOR chunks only (as Prometheus). */
  @Param({"2880", "0"})
  public int packed;

  /** The measured figures, reported by JMH as extra result columns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Figures {
    public double bytesPerSample;
    public double chunkBytesPerSample;
    public double samples;

    @Setup(Level.Iteration)
    public void clear() {
      bytesPerSample = 0;
      chunkBytesPerSample = 0;
      samples = 0;
    }
  }

  @Benchmark
  public long buildAndCompact(Figures f) throws IOException {
    Path dir = Files.createTempDirectory("vigil-block-bench");
    try {
      TsdbOptions o = TsdbOptions.defaults().withPackedSamplesPerChunk(packed);
      try (Tsdb db = Tsdb.open(dir, o.withWal(o.wal().withFsync(FsyncPolicy.INTERVAL)))) {
        Labels[] labels = new Labels[series];
        KubeSeries.Values[] values = new KubeSeries.Values[series];
        long[] refs = new long[series];
        for (int i = 0; i < series; i++) {
          labels[i] = KubeSeries.labels(i, METRICS_PER_POD);
          values[i] = new KubeSeries.Values(i);
        }
        for (long t = 0; t < HOURS * 3_600_000; t += SCRAPE) {
          Appender app = db.appender();
          for (int i = 0; i < series; i++) {
            refs[i] = app.append(refs[i], labels[i], t, values[i].next());
          }
          app.commit();
        }
        db.cutBlocks();
        db.compact();
        BlockMeta best = null;
        for (Block b : db.blocks()) {
          BlockMeta m = b.meta();
          if (best == null || m.maxTime() - m.minTime() > best.maxTime() - best.minTime()) {
            best = m;
          }
        }
        long chunkBytes = 0;
        for (long l : best.chunkSegmentLengths()) {
          chunkBytes += l;
        }
        f.samples = best.numSamples();
        f.bytesPerSample = (double) (best.indexLength() + chunkBytes) / best.numSamples();
        f.chunkBytesPerSample = (double) chunkBytes / best.numSamples();
        return best.numSamples();
      }
    } finally {
      FileTrees.delete(dir);
    }
  }

  /**
   * Writes the first 6 h of the benchmark's samples (the range of its compacted block) as
   * OpenMetrics text to {@code args[0]}; {@code args[1]} optionally overrides the series count.
   */
  public static void main(String[] args) throws IOException {
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    KubeSeries.Values[] values = new KubeSeries.Values[n];
    String[] names = new String[n];
    String[] selectors = new String[n];
    for (int i = 0; i < n; i++) {
      values[i] = new KubeSeries.Values(i);
      Labels l = KubeSeries.labels(i, METRICS_PER_POD);
      names[i] = l.metricName();
      StringBuilder sb = new StringBuilder().append(l.metricName()).append('{');
      for (int j = 0; j < l.size(); j++) {
        if (!l.name(j).equals(Labels.METRIC_NAME)) {
          sb.append(l.name(j)).append("=\"").append(l.value(j)).append("\",");
        }
      }
      sb.setCharAt(sb.length() - 1, '}');
      selectors[i] = sb.toString();
    }
    // OpenMetrics wants all samples of a metric family together, in time order within a series.
    double[][] v = new double[n][];
    int perSeries = (int) (6 * 3_600_000 / SCRAPE);
    for (int i = 0; i < n; i++) {
      v[i] = new double[perSeries];
      for (int k = 0; k < perSeries; k++) {
        v[i][k] = values[i].next();
      }
    }
    try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
      for (int m = 0; m < METRICS_PER_POD; m++) {
        boolean typed = false;
        for (int i = m; i < n; i += METRICS_PER_POD) {
          if (!typed) {
            w.write("# TYPE " + names[i] + " unknown\n");
            typed = true;
          }
          for (int k = 0; k < perSeries; k++) {
            w.write(selectors[i]);
            w.write(' ');
            w.write(Double.toString(v[i][k]));
            w.write(' ');
            w.write(Long.toString(k * SCRAPE / 1000));
            w.write('\n');
          }
        }
      }
      w.write("# EOF\n");
    }
  }
}
