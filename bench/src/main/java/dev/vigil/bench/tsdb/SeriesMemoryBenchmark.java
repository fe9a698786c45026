package dev.vigil.bench.tsdb;

import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
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
 * Heap + off-heap bytes per active series: builds a head of {@code series} Kubernetes-like
 * series of 10 labels ({@link KubeSeries}, 200 metrics per pod) with {@code samples} samples
 * each (15 s apart, so one open chunk per series, as an active series has), and reports the
 * growth of retained memory divided by the series count.
 *
 * <p>Method (no NMT, no agent): before and after building, {@code System.gc()} is run until
 * the used heap stops shrinking (the fork uses SerialGC, whose {@code System.gc()} is a full,
 * compacting, stop-the-world collection, so "used after GC" is the live set); heap is read from
 * {@link MemoryMXBean#getHeapMemoryUsage()}, off-heap from the {@code direct} and {@code mapped}
 * {@link BufferPoolMXBean}s (memory-mapped head chunk files, if any, count fully). The head is
 * kept reachable across the measurement. Reported as auxiliary counters {@code heapBytesPerSeries},
 * {@code offHeapBytesPerSeries}, {@code bytesPerSeries}; the primary score is the build time.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SeriesMemoryBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx8g", "-Xms8g"})
public class SeriesMemoryBenchmark {
  @Param({"1000000"})
  public int series;

  @Param({"30"})
  public int samples;

  /** The measured figures, reported by JMH as extra result columns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Figures {
    public double heapBytesPerSeries;
    public double offHeapBytesPerSeries;
    public double bytesPerSeries;

    @Setup(Level.Iteration)
    public void clear() {
      heapBytesPerSeries = 0;
      offHeapBytesPerSeries = 0;
      bytesPerSeries = 0;
    }
  }

  private Head head;
  private boolean built;

  /** Releases the previous head; each iteration builds and measures one head, once. */
  @Setup(Level.Iteration)
  public void release() {
    head = null;
    built = false;
  }

  @Benchmark
  public int build(Figures f) {
    if (built) {
      return 0; // later invocations of an iteration: the figures of the first stand
    }
    built = true;
    long heap0 = settledHeap();
    long off0 = offHeap();
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE);
    long[] refs = new long[series];
    for (int k = 0; k < samples; k++) {
      long t = k * 15_000L;
      Appender app = h.appender();
      for (int i = 0; i < series; i++) {
        refs[i] = app.append(refs[i], refs[i] == 0 ? KubeSeries.labels(i, 200) : null, t, k + i);
        if ((i & 0xFFFF) == 0xFFFF) {
          app.commit();
          app = h.appender();
        }
      }
      app.commit();
    }
    refs = null;
    head = h;
    long heap1 = settledHeap();
    long off1 = offHeap();
    f.heapBytesPerSeries = (double) (heap1 - heap0) / series;
    f.offHeapBytesPerSeries = (double) (off1 - off0) / series;
    f.bytesPerSeries = f.heapBytesPerSeries + f.offHeapBytesPerSeries;
    return head.numSeries();
  }

  private static long settledHeap() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long used = mx.getHeapMemoryUsage().getUsed();
      if (used >= best) {
        break;
      }
      best = used;
    }
    return best;
  }

  private static long offHeap() {
    long sum = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      sum += b.getMemoryUsed();
    }
    return sum;
  }
}
