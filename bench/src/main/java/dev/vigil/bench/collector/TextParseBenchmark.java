package dev.vigil.bench.collector;

import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.TextParser;
import dev.vigil.model.labels.Labels;
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
 * Text exposition parse throughput on a real node-exporter body ({@link Payload}), in both
 * formats. Two depths:
 *
 * <ul>
 *   <li>{@code scan}: every entry, its value and timestamp: the parser's share of a scrape of a
 *       steady target, whose scrape cache skips label decoding. This is the work Prometheus's
 *       parser does per scrape of a steady target ({@code Next} + {@code Series}; the cache's
 *       hashing of the series text happens outside it), which {@code bench/collector/run.sh}
 *       measures in Debian's Prometheus.
 *   <li>{@code labels}: as {@code scan}, plus decoding every series' labels into {@link Labels}
 *       (a first scrape; Prometheus's {@code Metric}).
 * </ul>
 *
 * <p>The {@code bytes} and {@code samples} auxiliary counters give MB/s and samples/s directly
 * (per op: one whole body).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class TextParseBenchmark {
  @Param({"PROMETHEUS_TEXT", "OPENMETRICS_TEXT"})
  public ExpositionFormat format;

  private byte[] body;
  private int samplesPerBody;

  /** Per-iteration totals JMH turns into rates. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long bytes;
    public long samples;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      samples = 0;
    }
  }

  @Setup
  public void setUp() {
    byte[] text = Payload.text();
    body = format == ExpositionFormat.OPENMETRICS_TEXT ? Payload.openMetrics(text) : text;
    samplesPerBody = (int) scanOnce();
  }

  private long scanOnce() {
    TextParser p = TextParser.create(format, body);
    long n = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        n++;
      }
    }
    return n;
  }

  @Benchmark
  public long scan(Counters c) {
    TextParser p = TextParser.create(format, body);
    long acc = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        acc += Double.doubleToRawLongBits(p.value()) ^ (p.hasTimestamp() ? p.timestamp() : 0);
      }
    }
    c.bytes += body.length;
    c.samples += samplesPerBody;
    return acc;
  }

  @Benchmark
  public long labels(Counters c) {
    TextParser p = TextParser.create(format, body);
    long acc = 0;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        Labels l = p.labels();
        acc += l.hash() ^ Double.doubleToRawLongBits(p.value());
      }
    }
    c.bytes += body.length;
    c.samples += samplesPerBody;
    return acc;
  }
}
