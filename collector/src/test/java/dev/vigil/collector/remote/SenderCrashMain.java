package dev.vigil.collector.remote;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The victim of {@link SenderCrashTest}: opens a sender for {@code args[1]} in {@code args[0]},
 * appends batches forever and prints {@code ACK <n>} after batch n's commit returned, until it is
 * killed. Batch n holds, for each of {@link #SERIES} series, the sample {@code (t = n, v = n *
 * 1000 + series)}.
 */
public final class SenderCrashMain {
  static final int SERIES = 40;

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
    RemoteStorage rs = RemoteStorage.open(dir,
        List.of(RemoteStorageTest.config(args[1], "prometheus.WriteRequest", RemoteStorageTest.QUICK)),
        options(policy));
    long[] refs = new long[SERIES];
    for (int n = 0; ; n++) {
      Appender a = rs.appender();
      for (int s = 0; s < SERIES; s++) {
        refs[s] = a.append(refs[s], series(s), n, n * 1000.0 + s);
      }
      a.commit();
      out.println("ACK " + n);
      out.flush();
    }
  }
}
