package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.encoding.ByteSource;
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
 * before the records of its series, and a reopened database holding every sample after the cut.
 */
class CheckpointSeriesBatchTest {
  private static final long MINUTE = 60_000;
  private static final int SERIES = 2 * CheckpointSeriesBatch.MAX_SERIES + 300;

  @TempDir
  Path dir;

  @Test
  void seriesRecordsComeABatchAtATimeBeforeTheirSeriesRecords() {
    TsdbOptions opts = TsdbOptions.defaults();
    long end = 4 * 60 * MINUTE;
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

    WalCheckpoint.Found checkpoint = WalCheckpoint.latest(dir.resolve("wal"));
    assertThat(checkpoint).isNotNull();
    List<Integer> seriesPerRecord = new ArrayList<>();
    List<String> problems = new ArrayList<>();
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
            }
          });
      if (type == RecordType.SERIES_V2) {
        seriesPerRecord.add(series[0]);
      }
    });
    assertThat(r.corruption()).isNull();
    assertThat(problems).isEmpty();
    assertThat(seriesPerRecord).containsExactly(CheckpointSeriesBatch.MAX_SERIES,
        CheckpointSeriesBatch.MAX_SERIES, 300);

    // Reopened: every sample the head kept after the cut, each once.
    try (Tsdb db = Tsdb.open(dir, opts);
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
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
