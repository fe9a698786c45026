package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.record.RecordType;
import dev.vigil.tsdb.wal.WalCheckpoint;
import dev.vigil.tsdb.wal.WalReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records of the checkpoint a block cut writes: a series record v2 per batch of series, each
 * before the records of its series; the samples the head chunk files hold as float runs, which
 * a restart skips while the files hold them and decodes when they are gone; and a reopened
 * database holding every sample after the cut either way.
 */
class CheckpointWriterTest {
  private static final long MINUTE = 60_000;
  private static final int SERIES = 2 * CheckpointWriter.MAX_SERIES + 300;

  @TempDir
  Path dir;

  /**
   * 30 samples per chunk: the head after the cut (120 samples a series) closes 3 or 4. No head
   * snapshot at close: every reopen replays the checkpoint.
   */
  private static final TsdbOptions OPTS = TsdbOptions.defaults()
      .withHead(new HeadOptions(0, 30)).withSnapshotOnShutdown(false);
  private static final long END = 4 * 60 * MINUTE;

  @Test
  void seriesRecordsComeABatchAtATimeBeforeTheirSeriesRecords() {
    writeAndCut();
    RecordsSeen seen = readCheckpoint();
    assertThat(seen.problems).isEmpty();
    assertThat(seen.seriesPerRecord).containsExactly(CheckpointWriter.MAX_SERIES,
        CheckpointWriter.MAX_SERIES, 300);
    // Every series' closed chunks are in chunks_head: a run each, then its open chunk's samples.
    assertThat(seen.runs).isEqualTo(SERIES);
    assertThat(seen.samples).isEqualTo(SERIES * 120L);
    assertThat(seen.runSamples).isGreaterThanOrEqualTo(SERIES * 90L).isLessThan(SERIES * 120L);

    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().runsSkipped()).isEqualTo(SERIES);
      assertThat(db.replayStats().samples()).isEqualTo(SERIES * 120L);
      assertEverySample(db);
    }
  }

  @Test
  void runsAreSkippedOnOneApplyShardToo() {
    writeAndCut();
    try (Tsdb db = Tsdb.open(dir, OPTS.withReplayApplyShards(1))) {
      assertThat(db.replayStats().runsSkipped()).isEqualTo(SERIES);
      assertEverySample(db);
    }
  }

  @Test
  void runsAreDecodedWhenTheHeadChunkFilesAreGone() throws Exception {
    writeAndCut();
    FileTrees.delete(dir.resolve("chunks_head"));
    for (int shards : new int[] {1, 2, 3}) {
      try (Tsdb db = Tsdb.open(dir, OPTS.withReplayApplyShards(shards))) {
        assertThat(db.replayStats().runsSkipped()).as("%d shards", shards).isZero();
        assertThat(db.replayStats().samples()).isEqualTo(SERIES * 120L);
        assertEverySample(db);
      }
      // Each open writes its own chunks_head again: remove it for the next.
      FileTrees.delete(dir.resolve("chunks_head"));
    }
  }

  @Test
  void aReadOnlyOpenDecodesTheRuns() {
    writeAndCut();
    // It takes no chunks over from chunks_head/ (it rebuilds the head from the WAL alone).
    try (ReadOnlyTsdb db = ReadOnlyTsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().runsSkipped()).isZero();
      assertThat(db.replayStats().samples()).isEqualTo(SERIES * 120L);
      assertEverySample(db);
    }
  }

  @Test
  void runsStopAtHistogramSamplesAndGoOnAfterThem() throws Exception {
    // Series switching between floats and native histograms inside the head after the cut
    // [0, 2h): float runs end where a histogram comes, and start again after it.
    InMemoryStorage ref = new InMemoryStorage();
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      for (long m = 0; m < 240; m++) {
        long t = m * MINUTE;
        Appender a = db.appender();
        Appender r = ref.appender();
        for (int i = 0; i < 20; i++) {
          Labels l = Labels.of("__name__", "mixed", "i", Integer.toString(i));
          boolean histogram = (m >= 150 + i && m < 170 + i) || m == 200 + i;
          if (histogram) {
            a.appendHistogram(0, l, t, QueryableContract.histogramForTest(m + i));
            r.appendHistogram(0, l, t, QueryableContract.histogramForTest(m + i));
          } else {
            a.append(0, l, t, m * 0.5 + i);
            r.append(0, l, t, m * 0.5 + i);
          }
        }
        a.commit();
        r.commit();
      }
      assertThat(db.cutBlocks()).hasSize(1);
    }
    RecordsSeen seen = readCheckpoint();
    assertThat(seen.problems).isEmpty();
    assertThat(seen.runs).as("runs, several per series").isGreaterThan(20);
    List<String> want = mixed(ref);
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().runsSkipped()).isEqualTo(seen.runs);
      assertThat(mixed(db)).isEqualTo(want);
    }
    FileTrees.delete(dir.resolve("chunks_head"));
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      assertThat(db.replayStats().runsSkipped()).isZero();
      assertThat(mixed(db)).isEqualTo(want);
    }
  }

  private static List<String> mixed(Queryable q) {
    try (Querier querier = q.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(querier.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "mixed"))));
    }
  }

  private void writeAndCut() {
    TsdbOptions opts = OPTS;
    long end = END;
    try (Tsdb db = Tsdb.open(dir, opts)) {
      long[] refs = new long[SERIES];
      for (long t = 0; t < end; t += MINUTE) {
        Appender a = db.appender();
        for (int i = 0; i < SERIES; i++) {
          refs[i] = a.append(refs[i], series(i), t, value(i, t));
        }
        a.commit();
      }
      assertThat(db.cutBlocks()).hasSize(1);
    }
  }

  /** What {@link #readCheckpoint} found. */
  private static final class RecordsSeen {
    final List<Integer> seriesPerRecord = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    long runs;
    long runSamples;
    long samples;
  }

  private RecordsSeen readCheckpoint() {
    RecordsSeen seen = new RecordsSeen();
    List<Integer> seriesPerRecord = seen.seriesPerRecord;
    List<String> problems = seen.problems;
    WalCheckpoint.Found checkpoint = WalCheckpoint.latest(dir.resolve("wal"));
    assertThat(checkpoint).isNotNull();
    Set<Long> introduced = new HashSet<>();
    RecordDecoder decoder = new RecordDecoder();
    WalReader.Result r = WalReader.read(checkpoint.dir(), (buf, len, segment, offset) -> {
      int type = buf[0];
      if (type == RecordType.SERIES_V1) {
        problems.add("type-1 series record at " + offset);
      }
      int[] series = new int[1];
      decoder.decode(new ByteSource("checkpoint at " + offset, buf, 0, len),
          new RecordDecoder.Visitor() {
            @Override
            public void series(long ref, Labels labels) {
              introduced.add(ref);
              series[0]++;
            }

            @Override
            public void floatSample(long ref, long t, double v) {
              if (!introduced.contains(ref)) {
                problems.add("sample of ref " + ref + " before its series record");
              }
              seen.samples++;
              if (type == RecordType.FLOAT_RUN) {
                seen.runSamples++;
              }
            }
          });
      if (type == RecordType.SERIES_V2) {
        seriesPerRecord.add(series[0]);
      }
      if (type == RecordType.FLOAT_RUN) {
        seen.runs++;
      }
    });
    assertThat(r.corruption()).isNull();
    return seen;
  }

  /** Every sample the head kept after the cut, and the block's before it, each once. */
  private static void assertEverySample(Queryable db) {
    long end = END;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(0, 0), List.of(Matcher.equal("__name__",
          "batch")));
      int seen = 0;
      while (set.next()) {
        int i = Integer.parseInt(set.at().labels().get("i"));
        SampleIterator it = set.at().iterator(null);
        long want = 0;
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          assertThat(it.atT()).as("series %d", i).isEqualTo(want);
          assertThat(it.atF()).as("series %d at %d", i, want).isEqualTo(value(i, want));
          want += MINUTE;
        }
        assertThat(want).as("series %d ends", i).isEqualTo(end);
        seen++;
      }
      assertThat(seen).isEqualTo(SERIES);
    }
  }

  private static Labels series(int i) {
    return Labels.of("__name__", "batch", "i", Integer.toString(i), "pod", "pod-" + (i % 97));
  }

  private static double value(int i, long t) {
    return i % 3 == 0 ? t / MINUTE : i + t * 0.5;
  }
}
