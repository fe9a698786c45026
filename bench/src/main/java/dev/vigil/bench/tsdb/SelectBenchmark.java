package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Query speed at storage level: {@code {job="x"}} over one hour selects {@value #MATCHING} of
 * {@value #SERIES} Kubernetes-like series (every fifth has job "x") and reads all their samples
 * (15 s apart: 240 per series, 2.4M in all). {@code store=head} reads the in-memory head (full
 * chunks memory-mapped); {@code store=block} reads the same hour from a block cut from the head
 * (packed chunk encoding). One operation = one select plus iterating every sample; divide
 * 2.4M samples by the time per operation for samples/s.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SelectBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms6g"})
public class SelectBenchmark {
  static final int SERIES = 50_000;
  static final int MATCHING = 10_000;
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 15_000L;

  @Param({"head", "block"})
  public String store;

  /** Whether the select asks for label order; the PromQL engine does not (as Prometheus's). */
  @Param({"true"})
  public boolean sorted;

  private Path dir;
  private Tsdb db;
  private long from;
  private final List<Matcher> matchers = List.of(Matcher.equal("job", "x"));

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-select-bench");
    db = Tsdb.open(dir, TsdbOptions.defaults().withBlockRangeMs(HOUR));
    Labels[] labels = new Labels[SERIES];
    for (int i = 0; i < SERIES; i++) {
      Labels l = KubeSeries.labels(i, 50);
      labels[i] = i % 5 == 0 ? l.toBuilder().set("job", "x").build() : l;
    }
    long[] refs = new long[SERIES];
    // "block": three hours, so that the first hour is cut into a block (the head keeps 1.5 h).
    long end = store.equals("block") ? 3 * HOUR : HOUR;
    for (long t = 0; t < end; t += STEP) {
      Appender a = db.appender();
      for (int i = 0; i < SERIES; i++) {
        refs[i] = a.append(refs[i], labels[i], t, i + t / 1000.0);
      }
      a.commit();
    }
    if (store.equals("block")) {
      db.cutBlocks();
      if (db.blocks().isEmpty() || db.blocks().getFirst().meta().maxTime() < HOUR) {
        throw new IllegalStateException("no block covers the first hour: " + db.blocks());
      }
    }
    from = 0;
    long n = run();
    if (n != (long) MATCHING * (HOUR / STEP)) {
      throw new IllegalStateException("selected " + n + " samples, expected "
          + (long) MATCHING * (HOUR / STEP));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    FileTrees.delete(dir);
  }

  @Benchmark
  public long selectJobX() {
    return run();
  }

  private long run() {
    long samples = 0;
    try (Querier q = db.querier(from, from + HOUR - 1)) {
      SeriesSet set = q.select(sorted, SelectHints.range(from, from + HOUR - 1), matchers);
      SampleIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          if (it.atT() >= from + HOUR) {
            break;
          }
          samples++;
        }
      }
    }
    return samples;
  }
}
