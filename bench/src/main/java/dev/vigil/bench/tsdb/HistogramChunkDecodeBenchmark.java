package dev.vigil.bench.tsdb;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.XorHistogramChunk;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding native histogram chunks (the head's and blocks' {@code FLOAT_HISTOGRAM_V3}): 100
 * chunks of 120 samples, each a request-latency histogram of 16 positive buckets (schema 3)
 * whose counts grow by a few a scrape. Reported per histogram sample; {@code encodeAll} appends
 * the same histograms into new chunks (what the head does per histogram sample).
 *
 * <pre>
 * java -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar HistogramChunkDecodeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistogramChunkDecodeBenchmark {
  private static final int CHUNKS = 100;
  private static final int SAMPLES = 120;
  private static final int BUCKETS = 16;

  private final XorHistogramChunk[] chunks = new XorHistogramChunk[CHUNKS];
  private final FloatHistogram[] histograms = new FloatHistogram[CHUNKS * SAMPLES];
  private SampleIterator reuse;

  @Setup(Level.Trial)
  public void build() {
    SplittableRandom r = new SplittableRandom(3);
    for (int c = 0; c < CHUNKS; c++) {
      XorHistogramChunk chunk = new XorHistogramChunk();
      double[] buckets = new double[BUCKETS];
      double count = 0;
      double sum = 0;
      for (int i = 0; i < SAMPLES; i++) {
        for (int b = 0; b < BUCKETS; b++) {
          double add = r.nextInt(1 + 8 * (BUCKETS - Math.abs(b - BUCKETS / 2)));
          buckets[b] += add;
          count += add;
          sum += add * (1 + b) * 0.013;
        }
        FloatHistogram h = new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 3, 1e-9, 0,
            count, sum, List.of(new Span(-4, BUCKETS)), buckets.clone(), List.of(),
            new double[0], null);
        histograms[c * SAMPLES + i] = h;
        chunk.append(1_700_000_000_000L + i * 15_000L, h);
      }
      chunks[c] = chunk;
    }
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public double decodeAll() {
    double acc = 0;
    for (XorHistogramChunk c : chunks) {
      SampleIterator it = c.iterator(reuse);
      reuse = it;
      while (it.next() == ValueKind.HISTOGRAM) {
        acc += it.atHistogram().count();
      }
    }
    return acc;
  }

  @Benchmark
  @OperationsPerInvocation(CHUNKS * SAMPLES)
  public long encodeAll() {
    long bytes = 0;
    for (int c = 0; c < CHUNKS; c++) {
      XorHistogramChunk chunk = new XorHistogramChunk();
      for (int i = 0; i < SAMPLES; i++) {
        chunk.append(1_700_000_000_000L + i * 15_000L, histograms[c * SAMPLES + i]);
      }
      bytes += chunk.byteLength();
    }
    return bytes;
  }
}
