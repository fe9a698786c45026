package dev.vigil.bench.peer;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.engine.QueryResult;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.Vector;
import dev.vigil.tsdb.Backfill;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import dev.vigil.tsdb.fs.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The old-data query of {@code HOURS=24 run.sh} in one process, without HTTP: the peer data set
 * ({@link PeerData}, {@code series} counters, 24 h of 15 s samples) backfilled into one 24 h
 * block, as {@code vigil tsdb import --block-duration=24h} writes it, then
 * {@code sum by (job) (rate(x[5m]))} evaluated 12 h back by the PromQL engine on the reopened
 * database: {@link #instant} one step (each series seeks into the middle of its chunk and reads
 * 5 minutes), {@link #range} the middle hour with a 1 m step.
 *
 * <pre>
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar OldDataQueryBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseZGC"})
public class OldDataQueryBenchmark {
  private static final int HOURS = 24;

  @Param({"3000"})
  public int series;

  private Path dir;
  private Tsdb db;
  private Engine engine;
  private Expr expr;
  private long middle;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("vigil-old-data-bench");
    PeerData data = new PeerData(series, HOURS);
    Labels[] labels = new Labels[series];
    for (int s = 0; s < series; s++) {
      String[] pairs = PeerData.labels(s);
      String[] all = new String[pairs.length + 2];
      all[0] = "__name__";
      all[1] = "x";
      System.arraycopy(pairs, 0, all, 2, pairs.length);
      labels[s] = Labels.of(all);
    }
    // Day-aligned, as the peer script's data lands in one 24 h block window.
    long t0 = 20_000 * 24 * PeerData.HOUR_MILLIS;
    long maxT = t0 + (data.samples - 1) * PeerData.SCRAPE_MILLIS;
    try (Tsdb w = Tsdb.open(dir, TsdbOptions.defaults())) {
      Backfill.run(w, sink -> {
        for (int s = 0; s < series; s++) {
          for (int i = 0; i < data.samples; i++) {
            sink.accept(labels[s], t0 + i * PeerData.SCRAPE_MILLIS, data.value(s, i));
          }
        }
      }, t0, maxT, HOURS * PeerData.HOUR_MILLIS);
    }
    db = Tsdb.open(dir, TsdbOptions.defaults());
    engine = new Engine(EngineOptions.defaults());
    expr = Parser.parseExpr("sum by (job) (rate(x[5m]))");
    middle = t0 + HOURS / 2 * PeerData.HOUR_MILLIS;
    if (((Vector) instant().value()).samples().size() != 10
        || ((Matrix) range().value()).series().size() != 10) {
      throw new IllegalStateException("expected 10 jobs in both answers");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    FileTrees.delete(dir);
  }

  @Benchmark
  public QueryResult instant() {
    return engine.instantQuery(db, expr, middle);
  }

  @Benchmark
  public QueryResult range() {
    return engine.rangeQuery(db, expr, middle, middle + PeerData.HOUR_MILLIS, 60_000);
  }
}
