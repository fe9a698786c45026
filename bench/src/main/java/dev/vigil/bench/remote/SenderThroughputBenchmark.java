package dev.vigil.bench.remote;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.remote.QueueStats;
import dev.vigil.collector.remote.RemoteStorage;
import dev.vigil.collector.remote.RemoteStorageOptions;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.WalOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole sender, end to end: one operation appends {@link #STEPS} scrapes of {@link #SERIES}
 * series (one commit each, WAL fsync on an interval) and waits until the endpoint, a loopback
 * receiver that reads and discards bodies, has acknowledged every sample. Score: seconds per
 * {@code SERIES * STEPS} samples (divide for samples/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class SenderThroughputBenchmark {
  static final int SERIES = 10_000;
  static final int STEPS = 20;

  @Param({"prometheus.WriteRequest", "io.prometheus.write.v2.Request"})
  public String message;

  HttpServer receiver;
  Path dir;
  RemoteStorage storage;
  Labels[] labels;
  long[] refs;
  long t;

  @Setup(Level.Iteration)
  public void setup() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/push", ex -> {
      try (ex; InputStream in = ex.getRequestBody()) {
        in.readAllBytes();
        ex.sendResponseHeaders(204, -1);
      }
    });
    receiver.setExecutor(Executors.newFixedThreadPool(8));
    receiver.start();
    dir = Files.createTempDirectory("vigil-sender-bench");
    RemoteWriteConfig rw = new RemoteWriteConfig(
        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/push", "bench", Duration.ofSeconds(30),
        Map.of(), message, false, true, HttpClientConfig.DEFAULT, List.of(),
        RemoteWriteConfig.QueueConfig.DEFAULT);
    storage = RemoteStorage.open(dir, List.of(rw), RemoteStorageOptions.defaults()
        .withWal(WalOptions.defaults().withFsync(FsyncPolicy.INTERVAL))
        .withIntervals(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(1)));
    labels = new Labels[SERIES];
    refs = new long[SERIES];
    for (int i = 0; i < SERIES; i++) {
      labels[i] = Labels.of("__name__", "container_cpu_usage_seconds_total", "cluster", "prod",
          "container", "c" + (i % 9), "instance", "10.0." + (i % 200) + ".1:10250",
          "job", "integrations/kubernetes/cadvisor", "namespace", "ns-" + (i % 30),
          "node", "node-" + (i % 100), "pod", "pod-" + i);
    }
  }

  @Benchmark
  public long appendAndDeliver() throws InterruptedException {
    QueueStats st = storage.queues().get(0);
    long target = st.samplesSent() + (long) SERIES * STEPS;
    for (int s = 0; s < STEPS; s++) {
      t += 15_000;
      Appender a = storage.appender();
      for (int i = 0; i < SERIES; i++) {
        refs[i] = a.append(refs[i], labels[i], t, i + s);
      }
      a.commit();
    }
    while (st.samplesSent() < target) {
      Thread.sleep(1);
    }
    return st.samplesSent();
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    storage.close();
    receiver.stop(0);
    ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
