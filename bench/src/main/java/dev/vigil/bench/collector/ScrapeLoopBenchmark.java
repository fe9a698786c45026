package dev.vigil.bench.collector;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.scrape.HttpScraper;
import dev.vigil.collector.scrape.ScrapeLoop;
import dev.vigil.collector.scrape.ScrapeResult;
import dev.vigil.collector.scrape.ScrapeTarget;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole scrape of a steady target ({@link ScrapeLoop#scrapeOnce}: parse, scrape cache,
 * metadata and exemplar handling, append, staleness, report series) of the node-exporter body
 * ({@link Payload}, ~300 families with {@code # HELP}/{@code # TYPE}: the metadata-heaviest
 * common target), into a store that accepts and drops everything. The HTTP client answers from
 * memory ({@link CannedHttpClient}), because over loopback the JDK's client and server spend tens
 * of milliseconds per request on delayed ACKs, which would drown the parse+append loop this
 * measures. Uses only API that older collectors have too, so the same benchmark measures an
 * older {@code ScrapeLoop} put first on the classpath (see {@code bench/README.md}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ScrapeLoopBenchmark {
  @Param({"PROMETHEUS_TEXT", "OPENMETRICS_TEXT"})
  public ExpositionFormat format;

  private ScrapeLoop loop;
  private final MovingClock clock = new MovingClock();

  /** Advances 7.5 s per reading (two per scrape), so every scrape is a new timestamp. */
  static final class MovingClock implements InstantSource {
    private long millis = 1_700_000_000_000L;

    @Override
    public Instant instant() {
      millis += 7_500;
      return Instant.ofEpochMilli(millis);
    }
  }

  /** Accepts every sample (and, by the interface's defaults, exemplars and metadata) and keeps none. */
  static final class NullStorage implements Appendable {
    @Override
    public Appender appender() {
      return new Appender() {
        @Override
        public long append(long ref, Labels labels, long t, double v) {
          return ref;
        }

        @Override
        public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
          return ref;
        }

        @Override
        public void commit() {}

        @Override
        public void rollback() {}
      };
    }
  }

  @Setup
  public void setUp() {
    byte[] text = Payload.text();
    byte[] body = format == ExpositionFormat.OPENMETRICS_TEXT ? Payload.openMetrics(text) : text;
    String contentType = format == ExpositionFormat.OPENMETRICS_TEXT
        ? "application/openmetrics-text; version=1.0.0; charset=utf-8" : "text/plain; version=0.0.4; charset=utf-8";
    ScrapeConfig cfg = ConfigLoader.load("scrape_configs:\n  - job_name: node\n").scrapeConfigs().get(0);
    ScrapeTarget t = ScrapeTarget.populate(Labels.of("__address__", "node.example:9100"), cfg);
    loop = new ScrapeLoop(t, cfg, new HttpScraper(new CannedHttpClient(body, contentType), t, cfg),
        new NullStorage(), clock);
  }

  @Benchmark
  public ScrapeResult scrape() throws InterruptedException {
    ScrapeResult r = loop.scrapeOnce();
    if (!r.error().isEmpty()) {
      throw new IllegalStateException(r.error());
    }
    return r;
  }
}
