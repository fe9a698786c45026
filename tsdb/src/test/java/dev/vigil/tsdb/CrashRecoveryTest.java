package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.wal.FsyncPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a writer JVM with SIGKILL in the middle of acknowledged appends, reopens its directory
 * and checks that every acknowledged sample is there, that commits are atomic and that nothing
 * is invented.
 */
class CrashRecoveryTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void everyAcknowledgedSampleSurvivesKill9(FsyncPolicy policy) throws Exception {
    // 120 samples per chunk: by the kill each series has 3 full chunks, still in the head
    // chunk writer's buffer (256 KiB), so lost with the process: the WAL has their samples.
    killAndCheck(policy, 120, 128L << 20, false);
  }

  /**
   * Full chunks every 7 samples into 8 KiB head chunk files: the kill lands among many chunk
   * files (one being written, preallocated, not cut to its data), which the restart takes over
   * before replaying only the newer WAL samples.
   */
  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void everyAcknowledgedSampleSurvivesKill9AmongManyHeadChunkFiles(FsyncPolicy policy)
      throws Exception {
    killAndCheck(policy, 7, 8192, true);
  }

  /**
   * Head snapshots every 64 batches while writing: the restart restores the newest and
   * replays only the WAL after it (chunks closed since included).
   */
  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void everyAcknowledgedSampleSurvivesKill9AfterHeadSnapshots(FsyncPolicy policy)
      throws Exception {
    killAndCheck(policy, 7, 8192, true, 64);
  }

  /**
   * Blocks cut all the while by a second thread (each cut writes a block and a WAL checkpoint
   * beside the commits): the kill lands before, in or after them; the restart reads the blocks,
   * the newest finished checkpoint and the WAL after it, and has every acknowledged sample.
   */
  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void everyAcknowledgedSampleSurvivesKill9WhileBlocksAreCut(FsyncPolicy policy)
      throws Exception {
    killAndCheck(policy, 7, 8192, false, 0, true);
  }

  private void killAndCheck(FsyncPolicy policy, int samplesPerChunk, long headChunkFileSize,
      boolean chunksInFiles) throws Exception {
    killAndCheck(policy, samplesPerChunk, headChunkFileSize, chunksInFiles, 0);
  }

  private void killAndCheck(FsyncPolicy policy, int samplesPerChunk, long headChunkFileSize,
      boolean chunksInFiles, int snapshotEvery) throws Exception {
    killAndCheck(policy, samplesPerChunk, headChunkFileSize, chunksInFiles, snapshotEvery,
        false);
  }

  private void killAndCheck(FsyncPolicy policy, int samplesPerChunk, long headChunkFileSize,
      boolean chunksInFiles, int snapshotEvery, boolean cutting) throws Exception {
    Path dir = tmp.resolve("db");
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashWriterMain.class.getName(), dir.toString(), policy.name(),
        Integer.toString(samplesPerChunk), Long.toString(headChunkFileSize),
        Integer.toString(snapshotEvery), cutting ? "cut" : "no-cut")
        .redirectError(tmp.resolve("stderr.txt").toFile())
        .start();
    int lastAck = -1;
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String line;
      // Let it run well into a stream of commits (and several segment rotations), then kill it
      // without warning while it is appending.
      while ((line = r.readLine()) != null) {
        lastAck = Integer.parseInt(line.substring(4));
        if (lastAck >= 400 || System.nanoTime() > deadline) {
          p.destroyForcibly();
          break;
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(lastAck).as("writer made progress; stderr in " + tmp).isGreaterThan(0);

    TsdbOptions opts = CrashWriterMain.options(policy, samplesPerChunk, headChunkFileSize,
        cutting);
    try (Tsdb db = Tsdb.open(dir, opts);
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      if (chunksInFiles) {
        // All but the last file's worth (buffered until the file is cut) was written.
        assertThat(db.replayStats().headChunks()).as("full chunks taken over from chunks_head")
            .isGreaterThanOrEqualTo((long) CrashWriterMain.SERIES * (lastAck / samplesPerChunk)
                / 2);
      }
      assertThat(db.replayStats().headChunkCorruption()).isNull();
      if (cutting) {
        assertThat(db.blocks()).as("blocks cut before the kill").isNotEmpty();
      }
      assertThat(db.replayStats().snapshotSeries()).as("series restored from a head snapshot")
          .isEqualTo(snapshotEvery > 0 ? CrashWriterMain.SERIES + 1 : 0);
      SeriesSet set = q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "crash_test")));
      int seen = 0;
      int count = -1;
      while (set.next()) {
        int s = Integer.parseInt(set.at().labels().get("series"));
        SampleIterator it = set.at().iterator(null);
        int n = 0;
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next(), n++) {
          assertThat(it.atT()).as("series " + s + " sample " + n).isEqualTo(n);
          assertThat(it.atF()).as("series " + s + " sample " + n).isEqualTo(n * 1000.0 + s);
        }
        // Everything acknowledged is there; batches are atomic, so every series has as many
        // samples (acks printed after the kill or still unread may add a few batches).
        assertThat(n - 1).as("series " + s + " last sample vs last ack " + lastAck)
            .isGreaterThanOrEqualTo(lastAck);
        if (count >= 0) {
          assertThat(n).as("series " + s + " vs the others").isEqualTo(count);
        }
        count = n;
        seen++;
      }
      assertThat(seen).isEqualTo(CrashWriterMain.SERIES);
      // The histogram series, in the same commits (head chunks in the v2 histogram encoding).
      SeriesSet hs = q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "crash_test_histogram")));
      assertThat(hs.next()).isTrue();
      SampleIterator hit = hs.at().iterator(null);
      int hn = 0;
      for (ValueKind k = hit.next(); k != ValueKind.NONE; k = hit.next(), hn++) {
        assertThat(k).isEqualTo(ValueKind.HISTOGRAM);
        assertThat(hit.atT()).isEqualTo(hn);
        FloatHistogram got = hit.atHistogram();
        FloatHistogram want = CrashWriterMain.histogram(hn);
        // The head sets the counter reset hints; everything else is as appended.
        assertThat(new FloatHistogram(want.counterResetHint(), got.schema(), got.zeroThreshold(),
            got.zeroCount(), got.count(), got.sum(), got.positiveSpans(), got.positiveBuckets(),
            got.negativeSpans(), got.negativeBuckets(), got.customValues()))
            .as("histogram " + hn).isEqualTo(want);
      }
      // Every acknowledged histogram is there. The batch being written at the kill (not
      // acknowledged) may have lost its histogram record and kept its float one: a commit's
      // records are not atomic together on a torn tail, as in Prometheus.
      assertThat(hn - 1).as("last histogram vs last ack " + lastAck)
          .isGreaterThanOrEqualTo(lastAck);
      assertThat(hn).as("histogram samples vs the float series'").isBetween(count - 1, count);
      // Exemplars are logged in the same commit as the samples: one per batch, none lost. A
      // checkpoint keeps only those from its cut's end on (blocks hold none, as Prometheus's),
      // so with cuts the exemplars start at or before the newest block's end.
      var exemplars = db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE,
          List.of(List.of(Matcher.equal("series", "0")))).get(0).exemplars();
      int first = count - exemplars.size();
      if (cutting) {
        assertThat((long) first).as("first exemplar vs the newest block's end")
            .isLessThanOrEqualTo(db.blocks().getLast().meta().maxTime());
      } else {
        assertThat(first).as("exemplars lost").isZero();
      }
      for (int n = first; n < count; n++) {
        assertThat(exemplars.get(n - first)).isEqualTo(CrashWriterMain.exemplar(n));
      }
    }
  }
}
