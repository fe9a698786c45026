package dev.vigil.collector.remote;

import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The victim of {@link SenderCrashTest}: opens a sender for {@code args[1]} in {@code args[0]},
 * appends batches forever and prints {@code ACK <n>} after batch n's commit returned, until it is
 * killed. Batch n holds, for each of {@link #SERIES} series, the sample {@code (t = n, v = n *
 * 1000 + series)}, for n divisible by 5 an exemplar {@link #exemplar}, and for n = 0 and n =
 * {@link #HELP_CHANGE} the series' metadata (the help text changes at the second).
 */
public final class SenderCrashMain {
  static final int SERIES = 40;
  static final int HELP_CHANGE = 300;

  static Exemplar exemplar(int n, int s) {
    return new Exemplar(Labels.of("trace_id", n + "-" + s), n + 0.25, n);
  }

  static Metadata metadata(int n) {
    return new Metadata(MetricType.GAUGE, n < HELP_CHANGE ? "first help" : "second help", "bytes");
  }

  static RemoteWriteConfig config(String url) {
    return ExemplarMetadataSendTest.config(url, "prometheus.WriteRequest", true,
        ExemplarMetadataSendTest.FAST_METADATA);
  }

  private SenderCrashMain() {}

  static Labels series(int s) {
    return Labels.of("__name__", "crash_test", "series", Integer.toString(s), "job", "victim");
  }

  static RemoteStorageOptions options(FsyncPolicy policy) {
    return RemoteStorageTest.FAST.withWal(RemoteStorageTest.FAST.wal().withFsync(policy)
        .withSegmentSize(32 << 10));
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    FsyncPolicy policy = FsyncPolicy.valueOf(args[2]);
    PrintStream out = System.out;
    RemoteStorage rs = RemoteStorage.open(dir, List.of(config(args[1])), options(policy));
    long[] refs = new long[SERIES];
    for (int n = 0; ; n++) {
      Appender a = rs.appender();
      for (int s = 0; s < SERIES; s++) {
        if (n == 0 || n == HELP_CHANGE) {
          a.updateMetadata(refs[s], series(s), metadata(n));
        }
        refs[s] = a.append(refs[s], series(s), n, n * 1000.0 + s);
        if (n % 5 == 0) {
          a.appendExemplar(refs[s], series(s), exemplar(n, s));
        }
      }
      a.commit();
      out.println("ACK " + n);
      out.flush();
    }
  }
}
