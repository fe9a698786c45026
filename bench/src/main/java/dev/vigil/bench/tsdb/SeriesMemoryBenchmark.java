package dev.vigil.bench.tsdb;

import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.chunks.HeadChunkFormat;
import dev.vigil.tsdb.chunks.HeadChunks;
import dev.vigil.tsdb.chunks.HeapHeadChunks;
import dev.vigil.tsdb.chunks.MappedHeadChunks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap + off-heap bytes per active series: builds a head of {@code series} Kubernetes-like
 * series of 10 labels ({@link KubeSeries}, 200 metrics per pod) with {@code samples} samples
 * each (15 s apart: 30 gives one open chunk per series; 480 = 2 h gives 3 full chunks + 1 open
 * one), and reports the growth of retained memory divided by the series count. {@code chunks}
 * says where full chunks go: {@code heap} (a head without a directory) or {@code mapped}
 * (memory-mapped head chunk files in a temp directory, as a database keeps them).
 *
 * <p>Method (no NMT, no agent): before and after building, {@code System.gc()} is run until
 * the used heap stops shrinking (the fork uses SerialGC, whose {@code System.gc()} is a full,
 * compacting, stop-the-world collection, so "used after GC" is the live set); heap is read from
 * {@link java.lang.management.MemoryMXBean#getHeapMemoryUsage()}, off-heap from the {@code direct}
 * {@link BufferPoolMXBean} (the {@code mapped} pool is not used: it counts the whole mapped
 * size of the preallocated head chunk files, 128 MiB each, not memory). The head is kept
 * reachable across the measurement. Reported as auxiliary counters {@code heapBytesPerSeries},
 * {@code offHeapBytesPerSeries}, {@code bytesPerSeries} (heap + direct + resident chunk file
 * pages), {@code chunkFileBytesPerSeries}
 * (bytes of chunk records in the head chunk files: what the page cache holds once every chunk
 * has been read) and {@code chunkFileResidentBytesPerSeries} (resident pages of those mappings
 * now, from {@code /proc/self/smaps}); the primary score is the build time.
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

  @Param({"heap", "mapped"})
  public String chunks;

  /** The measured figures, reported by JMH as extra result columns. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Figures {
    public double heapBytesPerSeries;
    public double offHeapBytesPerSeries;
    public double bytesPerSeries;
    public double chunkFileBytesPerSeries;
    public double chunkFileResidentBytesPerSeries;

    @Setup(Level.Iteration)
    public void clear() {
      heapBytesPerSeries = 0;
      offHeapBytesPerSeries = 0;
      bytesPerSeries = 0;
      chunkFileBytesPerSeries = 0;
      chunkFileResidentBytesPerSeries = 0;
    }
  }

  private Head head;
  private MappedHeadChunks mapped;
  private Path tmp;
  private boolean built;

  /** Releases the head and its chunk files after the last iteration. */
  @TearDown(Level.Trial)
  public void cleanUp() throws IOException {
    release();
  }

  /** Releases the previous head; each iteration builds and measures one head, once. */
  @Setup(Level.Iteration)
  public void release() throws IOException {
    head = null;
    built = false;
    if (mapped != null) {
      mapped.close();
      mapped = null;
    }
    if (tmp != null) {
      FileTrees.delete(tmp);
      tmp = null;
    }
  }

  @Benchmark
  public int build(Figures f) {
    if (built) {
      return 0; // later invocations of an iteration: the figures of the first stand
    }
    built = true;
    long heap0 = ProcessMemory.settledHeap();
    long off0 = offHeap();
    HeadChunks store;
    if (chunks.equals("mapped")) {
      try {
        tmp = Files.createTempDirectory("vigil-series-memory");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      mapped = MappedHeadChunks.open(tmp.resolve("chunks_head"),
          HeadChunkFormat.DEFAULT_MAX_FILE_SIZE, tmp.resolve("quarantine"), (s, r, a, b) -> { });
      store = mapped;
    } else {
      store = new HeapHeadChunks();
    }
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE, store);
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
    long heap1 = ProcessMemory.settledHeap();
    long off1 = offHeap();
    f.heapBytesPerSeries = (double) (heap1 - heap0) / series;
    f.offHeapBytesPerSeries = (double) (off1 - off0) / series;
    if (mapped != null) {
      f.chunkFileBytesPerSeries = (double) mapped.dataBytes() / series;
      f.chunkFileResidentBytesPerSeries =
          (double) ProcessMemory.residentBytesOf("chunks_head") / series;
    }
    f.bytesPerSeries = f.heapBytesPerSeries + f.offHeapBytesPerSeries
        + f.chunkFileResidentBytesPerSeries;
    return head.numSeries();
  }

  private static long offHeap() {
    long sum = 0;
    for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (b.getName().equals("direct")) {
        sum += b.getMemoryUsed();
      }
    }
    return sum;
  }
}
