package dev.vigil.bench.tsdb;

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
 * The WAL's share of an append: encoding float-samples records (type 17, values chained against
 * each series' previous value) for {@value #SERIES} series in records of {@code batch} samples,
 * as {@code WalCommitLog} does at every commit, without the write. {@code data=counting} is the
 * values {@link AppendBenchmark} appends (every series +1 per round), {@code data=kube} the
 * {@link KubeMixValues} mix. One invocation encodes one scrape round; score = samples/s.
 * {@code decode} reads the same records back (replay's read-ahead thread: columns, value codes,
 * the reader's value chain), one round per invocation.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RecordEncodeBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(RecordEncodeBenchmark.SERIES)
public class RecordEncodeBenchmark {
  static final int SERIES = 100_000;
  static final int ROUNDS = 16;
  static final long SCRAPE = 15_000;

  @Param({"counting", "kube"})
  public String data;

  @Param({"2000"})
  public int batch;

  private final RecordEncoder enc = new RecordEncoder();
  private final ByteSink out = new ByteSink(1 << 16);
  private double[][] values;
  private int round;
  private long t;

  @Setup
  public void setUp() {
    values = new double[ROUNDS][SERIES];
    KubeMixValues[] kube = new KubeMixValues[SERIES];
    for (int i = 0; i < SERIES; i++) {
      kube[i] = new KubeMixValues(i);
    }
    for (int r = 0; r < ROUNDS; r++) {
      for (int i = 0; i < SERIES; i++) {
        values[r][i] = switch (data) {
          case "counting" -> r + 1 + i;
          case "kube" -> kube[i].next();
          default -> throw new IllegalArgumentException("data=" + data + ": counting or kube");
        };
      }
    }
    encodeRecords();
  }

  private byte[][] records; // ROUNDS × (SERIES / batch) records, written in order
  private int next;
  private final RecordDecoder dec = new RecordDecoder();
  private final ByteSource src = new ByteSource("", new byte[0]);
  private final RecordDecoder.Visitor sum = new RecordDecoder.Visitor() {
    @Override
    public void floatSamples(long[] refs, long[] ts, double[] vs, int n) {
      checksum += Double.doubleToRawLongBits(vs[n - 1]);
    }
  };
  private long checksum;

  private void encodeRecords() {
    RecordEncoder e = new RecordEncoder();
    int perRound = (SERIES + batch - 1) / batch;
    records = new byte[ROUNDS * perRound][];
    ByteSink b = new ByteSink(1 << 16);
    for (int r = 0; r < ROUNDS; r++) {
      for (int from = 0, k = 0; from < SERIES; from += batch, k++) {
        b.reset();
        e.floatsV2Start();
        for (int i = from, to = Math.min(SERIES, from + batch); i < to; i++) {
          e.floatV2(i + 1, (r + 1) * SCRAPE, values[r][i]);
        }
        e.floatsV2End(b);
        records[r * perRound + k] = b.toByteArray();
      }
    }
  }

  @Benchmark
  public long decode() {
    int perRound = (SERIES + batch - 1) / batch;
    if (next == records.length) {
      next = 0;
      dec.segmentStart(); // the chain starts again with the first round
    }
    for (int k = 0; k < perRound; k++) {
      byte[] rec = records[next++];
      src.reset("bench", rec, 0, rec.length, 0);
      dec.decode(src, sum);
    }
    return checksum;
  }

  @Benchmark
  public int round() {
    // The rounds repeat: the wrap-around delta is one more value code, as a counter reset is.
    double[] vs = values[round];
    round = (round + 1) % ROUNDS;
    t += SCRAPE;
    int bytes = 0;
    for (int from = 0; from < SERIES; from += batch) {
      out.reset();
      enc.floatsV2Start();
      for (int i = from, to = Math.min(SERIES, from + batch); i < to; i++) {
        enc.floatV2(i + 1, t, vs[i]);
      }
      enc.floatsV2End(out);
      bytes += out.length();
    }
    return bytes;
  }
}
