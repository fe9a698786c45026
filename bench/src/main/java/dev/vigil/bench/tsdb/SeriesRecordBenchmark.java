package dev.vigil.bench.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.record.RecordEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Series records of a commit's {@value #BATCH} new series ({@link KubeSeries} label sets, as
 * {@link AppendBenchmark} creates them), as {@code WalCommitLog} writes them ({@code encode})
 * and replay's read-ahead thread decodes them ({@code decode}, strings through the decoder's
 * table): {@code version=1} the type-1 record, {@code version=2} type 19 (each name and value
 * once per record). Score = series/s.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SeriesRecordBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@OperationsPerInvocation(SeriesRecordBenchmark.BATCH)
public class SeriesRecordBenchmark {
  static final int BATCH = 2000;
  private static final int BATCHES = 50;

  @Param({"1", "2"})
  public int version;

  private final RecordEncoder enc = new RecordEncoder();
  private final RecordDecoder dec = new RecordDecoder();
  private final ByteSink out = new ByteSink(1 << 20);
  private Labels[] labels;
  private byte[][] records;
  private int next;

  @Setup
  public void setUp() {
    labels = AppendBenchmark.seriesLabels(BATCH * BATCHES);
    records = new byte[BATCHES][];
    for (int b = 0; b < BATCHES; b++) {
      encode(b);
      records[b] = out.toByteArray();
    }
  }

  private void encode(int b) {
    out.reset();
    if (version == 1) {
      enc.seriesStart(out);
      for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
        enc.series(out, i + 1, labels[i]);
      }
    } else {
      enc.seriesV2Start();
      for (int i = b * BATCH; i < (b + 1) * BATCH; i++) {
        enc.seriesV2(i + 1, labels[i]);
      }
      enc.seriesV2End(out);
    }
  }

  @Benchmark
  public int encode() {
    encode(next);
    next = (next + 1) % BATCHES;
    return out.length();
  }

  @Benchmark
  public long decode() {
    byte[] r = records[next];
    next = (next + 1) % BATCHES;
    long[] sum = {0};
    dec.decode(new ByteSource("series", r), new RecordDecoder.Visitor() {
      @Override
      public void series(long ref, Labels l) {
        sum[0] += ref + l.size();
      }
    });
    return sum[0];
  }
}
