package dev.vigil.bench.promql;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.engine.QueryResult;
import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Parser;
import java.util.Random;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference query: {@code sum by (job) (rate(x[5m]))} over {@code series} counters
 * with 1 h of 15 s samples, as a range query with a 1 m step. Samples scanned per second per
 * core = (series * 240 samples) / (seconds per op); run with {@code -prof gc} for allocations.
 *
 * <pre>
 * ./mvnw -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar RateSumBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class RateSumBenchmark {
  static final long HOUR = 3_600_000;
  static final long SCRAPE = 15_000;

  @Param({"10000"})
  public int series;

  private Storage storage;
  private Engine engine;
  private Expr expr;

  @Setup(Level.Trial)
  public void load() {
    storage = new InMemoryStorage();
    Random r = new Random(1);
    Appender app = storage.appender();
    for (int s = 0; s < series; s++) {
      Labels l = Labels.of("__name__", "x", "job", "job-" + (s % 10), "instance", "i-" + s,
          "namespace", "ns-" + (s % 50), "pod", "pod-" + s);
      double v = 0;
      for (long t = 0; t <= HOUR; t += SCRAPE) {
        v += r.nextInt(100);
        app.append(0, l, t, v);
      }
    }
    app.commit();
    engine = new Engine(EngineOptions.defaults());
    expr = Parser.parseExpr("sum by (job) (rate(x[5m]))");
  }

  @Benchmark
  public QueryResult rangeQuery() {
    return engine.rangeQuery(storage, expr, 0, HOUR, 60_000);
  }
}
