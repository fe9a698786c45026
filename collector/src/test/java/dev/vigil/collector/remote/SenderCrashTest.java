package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a sender whose endpoint is down: a real second JVM appends and acknowledges, is
 * killed without warning (SIGKILL via {@code destroyForcibly}), and a new sender on the same
 * directory delivers every acknowledged sample and exemplar once the endpoint is back, and the
 * series' latest metadata.
 */
class SenderCrashTest {
  @TempDir
  Path tmp;

  @Test
  void everyAcknowledgedSampleIsDeliveredAfterKill9() throws Exception {
    Path dir = tmp.resolve("sender");
    try (FakeBackend backend = new FakeBackend()) {
      backend.respond(n -> FakeBackend.Answer.status(503));
      String java = ProcessHandle.current().info().command().orElseThrow();
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          SenderCrashMain.class.getName(), dir.toString(), backend.url(), FsyncPolicy.PER_COMMIT.name())
          .redirectError(tmp.resolve("stderr.txt").toFile())
          .start();
      int lastAck = -1;
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        String line;
        // Run into several segment rotations and failed sends, then kill it mid-append.
        while ((line = r.readLine()) != null) {
          lastAck = Integer.parseInt(line.substring(4));
          if ((lastAck >= 600 && backend.requests() > 0) || System.nanoTime() > deadline) {
            p.destroyForcibly();
            break;
          }
        }
      } finally {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      assertThat(lastAck).as("victim made progress; stderr in " + tmp).isGreaterThan(0);
      assertThat(backend.requests()).as("the victim tried to send").isPositive();
      assertThat(backend.storedSamples()).isZero();

      backend.respond(n -> FakeBackend.Answer.OK);
      int acked = lastAck;
      try (RemoteStorage rs = RemoteStorage.open(dir, List.of(SenderCrashMain.config(backend.url())),
          SenderCrashMain.options(FsyncPolicy.PER_COMMIT))) {
        RemoteStorageTest.await("every acknowledged sample", Duration.ofSeconds(40), () -> {
          Map<Labels, List<String>> got = backend.stored();
          if (got.size() < SenderCrashMain.SERIES) {
            return false;
          }
          for (List<String> l : got.values()) {
            if (l.size() <= acked) {
              return false;
            }
          }
          Map<Labels, List<String>> ex = backend.exemplars();
          for (int s = 0; s < SenderCrashMain.SERIES; s++) {
            List<String> l = ex.get(SenderCrashMain.series(s));
            if (l == null || l.size() <= acked / 5) {
              return false;
            }
          }
          return backend.metadata().contains(new MetricMetadata("crash_test", MetricType.GAUGE,
              "second help", "bytes"));
        });
      }
      Map<Labels, List<String>> got = backend.stored();
      assertThat(got).hasSize(SenderCrashMain.SERIES);
      int count = -1;
      for (int s = 0; s < SenderCrashMain.SERIES; s++) {
        List<String> l = got.get(SenderCrashMain.series(s));
        // Each acknowledged batch once, in order; batches are atomic, so every series has as
        // many (acks printed after the kill or still unread may add a few batches).
        for (int n = 0; n < l.size(); n++) {
          assertThat(l.get(n)).as("series %d sample %d", s, n).isEqualTo(n + "=" + (n * 1000.0 + s));
        }
        assertThat(l.size() - 1).isGreaterThanOrEqualTo(acked);
        if (count >= 0) {
          assertThat(l.size()).as("series %d vs the others", s).isEqualTo(count);
        }
        count = l.size();
        // The exemplars of the same batches, each once, in order.
        List<String> want = new java.util.ArrayList<>();
        for (int n = 0; n < l.size(); n += 5) {
          dev.vigil.model.exemplar.Exemplar e = SenderCrashMain.exemplar(n, s);
          want.add(n + "=" + e.value() + " " + e.labels());
        }
        assertThat(backend.exemplars().get(SenderCrashMain.series(s))).as("exemplars of series %d", s)
            .isEqualTo(want);
      }
      // Once the change at batch 300 was read, only the newest metadata is sent (rounds before
      // it may carry the first help text: metadata is sent as far as the WAL was read).
      MetricMetadata second = new MetricMetadata("crash_test", MetricType.GAUGE, "second help", "bytes");
      List<MetricMetadata> md = backend.metadata();
      assertThat(md.subList(md.indexOf(second), md.size())).containsOnly(second);
    }
  }
}
