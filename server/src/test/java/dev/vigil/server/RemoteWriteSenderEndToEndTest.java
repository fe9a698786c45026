package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.HttpClientConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.remote.QueueStats;
import dev.vigil.collector.remote.RemoteStorage;
import dev.vigil.collector.remote.RemoteStorageOptions;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The collector's remote-write sender pushing into a real server, read back through PromQL. */
class RemoteWriteSenderEndToEndTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"prometheus.WriteRequest", "io.prometheus.write.v2.Request"})
  void samplesSentByTheSenderCanBeQueried(String message) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(tmp.resolve("server")))) {
      RemoteWriteConfig rw = new RemoteWriteConfig("http://127.0.0.1:" + s.server.port() + "/api/v1/push",
          "vigil", Duration.ofSeconds(10), Map.of("X-Scope-OrgID", "team-sender"), message, false, true,
          HttpClientConfig.DEFAULT, List.of(), new RemoteWriteConfig.QueueConfig(1000, 2, 1, 100,
              Duration.ofMillis(20), Duration.ofMillis(10), Duration.ofMillis(100), true, Duration.ZERO));
      RemoteStorageOptions opts = RemoteStorageOptions.defaults()
          .withWal(WalOptions.defaults().withFsync(FsyncPolicy.INTERVAL))
          .withIntervals(Duration.ofMillis(50), Duration.ofHours(1), Duration.ofSeconds(10));
      FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.001, 1, 6, 3.5,
          List.of(new Span(0, 2)), new double[] {2, 3}, List.of(), new double[0], null);
      try (RemoteStorage rs = RemoteStorage.open(tmp.resolve("sender"), List.of(rw), opts)) {
        for (int step = 1; step <= 6; step++) {
          Appender a = rs.appender();
          for (int i = 0; i < 3; i++) {
            a.append(0, Labels.of("__name__", "sender_test", "i", Integer.toString(i)), step * 10_000L, step * 100 + i);
          }
          a.appendHistogram(0, Labels.of("__name__", "sender_hist"), step * 10_000L, h);
          a.commit();
        }
        QueueStats st = rs.queues().get(0);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (st.samplesSent() < 24 && System.nanoTime() < end) {
          Thread.sleep(20);
        }
        assertThat(st.samplesSent()).as(st.toString()).isEqualTo(24);
        assertThat(st.droppedTotal()).isZero();
      }
      String sum = s.get("team-sender", "/api/v1/query?query=sum(sender_test)&time=60").body();
      assertThat(sum).contains("\"value\":[60,\"1803\"]"); // 600 + 601 + 602
      String count = s.get("team-sender",
          "/api/v1/query?query=count_over_time(sender_test%7Bi%3D%221%22%7D%5B1m%5D)&time=60").body();
      assertThat(count).contains("\"value\":[60,\"6\"]");
      String hist = s.get("team-sender", "/api/v1/query?query=histogram_count(sender_hist)&time=60").body();
      assertThat(hist).contains("\"value\":[60,\"6\"]");
      assertThat(s.get("someone-else", "/api/v1/query?query=sender_test&time=60").body())
          .contains("\"result\":[]");
    }
  }
}
