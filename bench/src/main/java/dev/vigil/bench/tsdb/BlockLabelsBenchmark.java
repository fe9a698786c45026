package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.tsdb.block.Block;
import dev.vigil.tsdb.block.BlockWriter;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
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
 * What Grafana's variable queries cost: label values and names of {@code series}
 * Kubernetes-like series ({@link KubeSeries}, 50 metrics per pod) in one 2 h block (or in the
 * head it was written from), over a range covering it. {@code valuesAll}: {@code label_values(namespace)};
 * {@code valuesMatching}: the pods of one namespace (5000 series, 100 pods);
 * {@code valuesMatchingFew}: the jobs of one namespace; {@code names}: every label name.
 *
 * <pre>
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar BlockLabelsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class BlockLabelsBenchmark {
  private static final long BLOCK = 7_200_000L;
  private static final long STEP = 60_000L;

  @Param({"200000"})
  public int series;

  /** Where the labels are read: the block, or the head it was written from. */
  @Param({"block", "head"})
  public String store;

  private Path dir;
  private Block block;
  private Queryable source;
  private final List<Matcher> oneNamespace = List.of(Matcher.equal("namespace", "namespace-7"));

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-labels-bench");
    Head head = new Head(HeadOptions.defaults(), CommitLog.NONE);
    Labels[] labels = new Labels[series];
    for (int i = 0; i < series; i++) {
      labels[i] = KubeSeries.labels(i, 50);
    }
    long[] refs = new long[series];
    for (long t = 0; t < BLOCK; t += STEP) {
      Appender a = head.appender();
      for (int i = 0; i < series; i++) {
        refs[i] = a.append(refs[i], labels[i], t, t);
      }
      a.commit();
    }
    try (Querier q = head.querier(0, BLOCK - 1)) {
      BlockWriter.write(dir, "BLOCK", q, 0, BLOCK, 120);
    }
    block = Block.open(dir.resolve("BLOCK"));
    source = store.equals("head") ? head : block;
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    block.close();
    FileTrees.delete(dir);
  }

  private Querier querier() {
    return source.querier(0, BLOCK - 1);
  }

  @Benchmark
  public List<String> valuesAll() {
    try (Querier q = querier()) {
      return q.labelValues("namespace", List.of());
    }
  }

  @Benchmark
  public List<String> valuesMatching() {
    try (Querier q = querier()) {
      return q.labelValues("pod", oneNamespace);
    }
  }

  @Benchmark
  public List<String> valuesMatchingFew() {
    try (Querier q = querier()) {
      return q.labelValues("job", oneNamespace);
    }
  }

  @Benchmark
  public List<String> names() {
    try (Querier q = querier()) {
      return q.labelNames(List.of());
    }
  }
}
