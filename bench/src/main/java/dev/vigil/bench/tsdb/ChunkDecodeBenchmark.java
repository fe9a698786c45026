package dev.vigil.bench.tsdb;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.InflaterPool;
import dev.vigil.tsdb.chunkenc.PackedFloatChunk;
import dev.vigil.tsdb.chunkenc.PackedFloatEncoder;
import dev.vigil.tsdb.chunkenc.XorChunk;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.zip.Deflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding throughput of block chunks, samples per second: {@value #SERIES} series of
 * {@value #SAMPLES} samples (12 h at 15 s) as XOR chunks of 120 samples (what the head and
 * Prometheus write) or as packed chunks of {@link #packedSamples} samples (Vigil's block
 * encoding; 2880 by default, as blocks write them), iterated start to end reading every
 * timestamp and value ({@link #decodeAll}), or, per series, a seek to one sample in the second
 * half of the 12 h, a different one per series ({@link #seekOne}): what an instant query over
 * an old block does with each series;
 * {@link #firstSample} reads only the first sample of the same chunks, the floor of any access
 * to a chunk (for packed chunks, inflating and parsing its headers). Packed decoding includes
 * inflating the chunk (inflaters from a pool, as blocks lend them).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkDecodeBenchmark {
  static final int SERIES = 200;
  static final int SAMPLES = 2880;

  /** kube: {@link KubeMixValues}; noisy3: {@link KubeSeries.Values}. */
  @Param({"kube", "noisy3"})
  public String data;

  /** xor: 120-sample XOR chunks; packed: packed v2 (what blocks hold); packedV1: DEFLATE v1. */
  @Param({"xor", "packed", "packedV1"})
  public String encoding;

  /** Samples per packed chunk (a divisor of {@value #SAMPLES}; the XOR chunks hold 120). */
  @Param({"2880"})
  public int packedSamples;

  /** Groups of 32 samples per packed v2 segment (a seek decodes at most one segment). */
  @Param({"4"})
  public int segmentGroups;

  /**
   * Where {@link #seekOne} seeks in series {@code s}: spread over the second half, so the
   * samples decoded before the target average half a chunk (XOR) or half a segment (packed v2).
   */
  static int seekSample(int s) {
    return SAMPLES / 2 + (int) ((s * 7919L) % (SAMPLES / 2));
  }

  private Chunk[] chunks;
  /** Per series, the chunk holding its {@link #seekSample} (as a block's index would pick it). */
  private Chunk[] seekChunks;
  private InflaterPool pool;
  private SampleIterator reuse;

  @Setup(Level.Trial)
  public void build() {
    if (SAMPLES % packedSamples != 0) {
      throw new IllegalArgumentException("packedSamples " + packedSamples + " must divide "
          + SAMPLES);
    }
    pool = new InflaterPool(2);
    List<Chunk> out = new ArrayList<>();
    long[] ts = new long[SAMPLES];
    double[] vs = new double[SAMPLES];
    try (PackedFloatEncoder enc = new PackedFloatEncoder(Deflater.BEST_COMPRESSION,
        segmentGroups)) {
      for (int s = 0; s < SERIES; s++) {
        DoubleSupplier v = BlockBytesReport.values(data, s);
        for (int i = 0; i < SAMPLES; i++) {
          ts[i] = 1_700_000_000_000L + i * 15_000L;
          vs[i] = v.getAsDouble();
        }
        if (encoding.startsWith("packed")) {
          for (int from = 0; from < SAMPLES; from += packedSamples) {
            long[] t = Arrays.copyOfRange(ts, from, from + packedSamples);
            double[] x = Arrays.copyOfRange(vs, from, from + packedSamples);
            out.add(encoding.equals("packed") ? enc.encode(t, x, packedSamples)
                : enc.encodeV1(t, x, packedSamples));
          }
        } else {
          for (int from = 0; from < SAMPLES; from += 120) {
            XorChunk x = new XorChunk();
            for (int i = from; i < from + 120; i++) {
              x.append(ts[i], vs[i]);
            }
            x.trimToSize();
            out.add(x);
          }
        }
      }
    }
    chunks = out.toArray(new Chunk[0]);
    int perSeries = chunks.length / SERIES;
    seekChunks = new Chunk[SERIES];
    for (int s = 0; s < SERIES; s++) {
      seekChunks[s] = chunks[s * perSeries + seekSample(s) * perSeries / SAMPLES];
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  /** An iterator over {@code c}, reusing the previous one (packed: inflated with the pool). */
  private SampleIterator open(Chunk c) {
    SampleIterator it = c instanceof PackedFloatChunk p ? p.iterator(reuse, pool)
        : c.iterator(reuse);
    reuse = it;
    return it;
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public double decodeAll() {
    double sum = 0;
    long tsum = 0;
    for (Chunk c : chunks) {
      SampleIterator it = open(c);
      while (it.next() != ValueKind.NONE) {
        tsum += it.atT();
        sum += it.atF();
      }
    }
    return sum + tsum;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(SERIES)
  public double seekOne() {
    double sum = 0;
    for (int s = 0; s < SERIES; s++) {
      SampleIterator it = open(seekChunks[s]);
      if (it.seek(1_700_000_000_000L + seekSample(s) * 15_000L) != ValueKind.NONE) {
        sum += it.atF() + it.atT();
      }
    }
    return sum;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @OperationsPerInvocation(SERIES)
  public double firstSample() {
    double sum = 0;
    for (Chunk c : seekChunks) {
      SampleIterator it = open(c);
      if (it.next() != ValueKind.NONE) {
        sum += it.atF() + it.atT();
      }
    }
    return sum;
  }
}
