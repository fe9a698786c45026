package dev.vigil.bench.tsdb;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.InflaterPool;
import dev.vigil.tsdb.chunkenc.PackedFloatChunk;
import dev.vigil.tsdb.chunkenc.PackedFloatEncoder;
import dev.vigil.tsdb.chunkenc.XorChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
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
 * Prometheus write) or as packed chunks of 2880 samples (Vigil's block encoding), iterated
 * start to end reading every timestamp and value. Packed decoding includes inflating the chunk
 * (inflaters from a pool, as blocks lend them).
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

  @Param({"xor", "packed"})
  public String encoding;

  private Chunk[] chunks;
  private InflaterPool pool;
  private SampleIterator reuse;

  @Setup(Level.Trial)
  public void build() {
    pool = new InflaterPool(2);
    List<Chunk> out = new ArrayList<>();
    long[] ts = new long[SAMPLES];
    double[] vs = new double[SAMPLES];
    try (PackedFloatEncoder enc = new PackedFloatEncoder()) {
      for (int s = 0; s < SERIES; s++) {
        DoubleSupplier v = BlockBytesReport.values(data, s);
        for (int i = 0; i < SAMPLES; i++) {
          ts[i] = 1_700_000_000_000L + i * 15_000L;
          vs[i] = v.getAsDouble();
        }
        if (encoding.equals("packed")) {
          out.add(enc.encode(ts, vs, SAMPLES));
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
  }

  @TearDown(Level.Trial)
  public void close() {
    pool.close();
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * SAMPLES)
  public double decodeAll() {
    double sum = 0;
    long tsum = 0;
    for (Chunk c : chunks) {
      SampleIterator it = c instanceof PackedFloatChunk p ? p.iterator(reuse, pool)
          : c.iterator(reuse);
      reuse = it;
      while (it.next() != ValueKind.NONE) {
        tsum += it.atT();
        sum += it.atF();
      }
    }
    return sum + tsum;
  }
}
