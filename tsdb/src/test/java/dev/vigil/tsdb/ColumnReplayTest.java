package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalCheckpoint;
import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WAL replay that applies windows of float records layout by layout ({@link FloatRecordWindow})
 * leaves exactly what record-by-record replay leaves: random WALs of several "targets", each
 * committing its series in its own fixed order every round, their records interleaved at
 * random, with what forces a window back to log order (a series twice in one record, a record
 * mixing two targets' series, a series under a second ref) and what must survive either way
 * (out-of-order samples, also onto held ones, unknown refs, tombstones and series records
 * between samples, chunks cut mid-window).
 */
class ColumnReplayTest {
  private static final int SERIES = 1200;
  private static final int TARGETS = 6;
  private static final int ROUNDS = 40;
  private static final long ALIAS = SERIES + 50; // a second ref of series 7, from round 10
  private static final long UNKNOWN = SERIES + 900; // never gets a series record
  private static final long HUGE_UNKNOWN = Integer.MAX_VALUE - 1; // nor this one

  @TempDir
  Path tmp;

  private static Labels labels(long s) {
    return Labels.of("__name__", "m" + (s % 5), "s", Long.toString(s));
  }

  /**
   * One random WAL: targets own disjoint series, each target's order fixed for the run. With
   * {@code v2}, float records are type 17 (value chains; in one segment, so that no chain
   * crosses a segment start), and half the targets commit one timestamp for all their series
   * (a scrape's), which replay keeps once per record instead of per sample, unless an
   * out-of-order or extra sample in the record has another.
   */
  private static void writeWal(Path walDir, long seed, boolean v2) {
    SplittableRandom r = new SplittableRandom(seed);
    List<List<Long>> targets = new ArrayList<>();
    for (int t = 0; t < TARGETS; t++) {
      targets.add(new ArrayList<>());
    }
    for (long s = 1; s <= SERIES; s++) {
      targets.get(r.nextInt(TARGETS)).add(s);
    }
    for (List<Long> t : targets) {
      java.util.Collections.shuffle(t, new java.util.Random(r.nextLong()));
    }
    targets.get(0).add(UNKNOWN);
    targets.get(1).add(HUGE_UNKNOWN);
    RecordEncoder enc = new RecordEncoder();
    ByteSink sink = new ByteSink();
    CRC32C crc = new CRC32C();
    WalOptions options = v2 ? WalOptions.defaults()
        : WalOptions.defaults().withSegmentSize(128 * 1024);
    try (WalWriter w = WalWriter.open(walDir, options)) {
      for (int round = 0; round < ROUNDS; round++) {
        long t0 = round * 15_000L;
        if (round == 0 || round == 10) {
          int mark = WalWriter.beginRecord(sink);
          enc.seriesStart(sink);
          if (round == 0) {
            for (long s = 1; s <= SERIES; s++) {
              enc.series(sink, s, labels(s));
            }
          } else {
            enc.series(sink, ALIAS, labels(7));
          }
          WalWriter.endRecord(sink, mark, crc);
        }
        int[] order = new int[TARGETS];
        for (int i = 0; i < TARGETS; i++) {
          order[i] = i;
        }
        for (int i = TARGETS - 1; i > 0; i--) {
          int j = r.nextInt(i + 1);
          int x = order[i];
          order[i] = order[j];
          order[j] = x;
        }
        for (int target : order) {
          List<Long> refs = targets.get(target);
          int mark = WalWriter.beginRecord(sink);
          FloatRecord f = FloatRecord.start(v2, enc, sink, refs.get(0), t0);
          boolean sharedTs = v2 && target % 2 == 0;
          for (long s : refs) {
            long t = sharedTs ? t0 : t0 + (s % 3) * 7;
            // (rarer where the timestamp is shared: most of those records keep it shared)
            if (r.nextInt(sharedTs ? 1000 : 50) == 0) {
              t -= 20_000 + r.nextInt(3) * 15_000L; // out of order, maybe onto a held sample
            }
            double v = s % 4 == 0 ? r.nextGaussian() : round * 2.0 + s;
            f.sample(s, t, v);
          }
          if (round % 9 == 4 && target == order[0]) {
            f.sample(refs.get(1), t0 + 1, 1.5); // twice in one record
          }
          if (round % 11 == 6 && target == order[1]) {
            f.sample(targets.get(order[2]).get(0), t0 + 2, 2.5); // two targets
          }
          if (round >= 10 && round % 7 == 3 && target == order[0]) {
            f.sample(ALIAS, t0 + 3, 3.5); // series 7 under its second ref
          }
          f.end();
          WalWriter.endRecord(sink, mark, crc);
        }
        if (round % 8 == 5) {
          int mark = WalWriter.beginRecord(sink);
          enc.tombstonesStart(sink);
          for (long s = 1 + round; s <= SERIES; s += 97) {
            enc.tombstone(sink, s, t0 - 40_000, t0 - 20_000);
          }
          WalWriter.endRecord(sink, mark, crc);
        }
        w.sync(w.write(sink));
        sink.reset();
      }
    }
  }

  /** A float-samples record being written: type 2 (v1) or type 17 (v2). */
  private sealed interface FloatRecord {
    void sample(long ref, long t, double v);

    void end();

    static FloatRecord start(boolean v2, RecordEncoder enc, ByteSink sink, long baseRef,
        long baseT) {
      if (v2) {
        enc.floatsV2Start();
        return new V2(enc, sink);
      }
      enc.floatsStart(sink, baseRef, baseT);
      return new V1(enc, sink);
    }

    record V1(RecordEncoder enc, ByteSink sink) implements FloatRecord {
      @Override
      public void sample(long ref, long t, double v) {
        enc.floatSample(sink, ref, t, v);
      }

      @Override
      public void end() {}
    }

    record V2(RecordEncoder enc, ByteSink sink) implements FloatRecord {
      @Override
      public void sample(long ref, long t, double v) {
        enc.floatV2(ref, t, v);
      }

      @Override
      public void end() {
        enc.floatsV2End(sink);
      }
    }
  }

  private record Replayed(List<String> dump, long samples, long unknown, long minT, long maxT,
      long byLayout, long byRecord) {}

  private static Replayed replay(Path wal, int shards, int windowSamples, int windowRecords) {
    Head head = new Head(new HeadOptions(0, 8), CommitLog.NONE);
    ReplayHandler h = new ReplayHandler(head, shards, windowSamples, windowRecords);
    try {
      Tsdb.replayWal(wal, null, 0, h);
    } finally {
      h.close();
    }
    try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return new Replayed(QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")))), h.samples, h.unknown,
          head.minTime(), head.maxTime(), h.windowsByLayout, h.windowsByRecord);
    }
  }

  @ParameterizedTest(name = "float records v{0}")
  @ValueSource(ints = {1, 2})
  void layoutByLayoutReplaysExactlyWhatRecordByRecordReplays(int version) {
    long byLayout = 0;
    long byRecord = 0;
    for (long seed = 1; seed <= Long.getLong("seeds", 4); seed++) {
      Path wal = tmp.resolve("wal-" + version + "-" + seed);
      writeWal(wal, seed, version == 2);
      Replayed logged = replay(wal, 1, 0, 0);
      assertThat(logged.unknown()).as("seed %d: unknown", seed).isEqualTo(2 * ROUNDS);
      assertThat(logged.dump()).as("seed %d: series", seed).hasSize(SERIES);
      for (int shards = 1; shards <= 3; shards++) {
        for (int[] window : new int[][] {{2_000, 1_000}, {100_000, 9}, {1 << 21, 4096}}) {
          Replayed columns = replay(wal, shards, window[0], window[1]);
          String as = "seed " + seed + ", " + shards + " shards, window " + window[0] + "/"
              + window[1];
          assertThat(columns.samples()).as(as + ": samples").isEqualTo(logged.samples());
          assertThat(columns.unknown()).as(as + ": unknown").isEqualTo(logged.unknown());
          assertThat(columns.minT()).as(as + ": minT").isEqualTo(logged.minT());
          assertThat(columns.maxT()).as(as + ": maxT").isEqualTo(logged.maxT());
          assertThat(columns.dump()).as(as + ": data").isEqualTo(logged.dump());
          byLayout += columns.byLayout();
          byRecord += columns.byRecord();
        }
      }
    }
    // Both ways were taken: the comparison is not one of record-by-record with itself.
    assertThat(byLayout).isPositive();
    assertThat(byRecord).isPositive();
    if (version == 2) {
      // Records with one timestamp for all samples and records without, records holding
      // their layout's shared refs and records with their own, were all replayed.
      long[] counts = new long[4];
      ReadAheadDecoder decoder = new ReadAheadDecoder(x -> x);
      WalReader.read(tmp.resolve("wal-2-1"), (buf, len, segment, offset) -> {
        if (decoder.prepare(buf, len, segment, offset) instanceof ReadAheadDecoder.Floats f) {
          counts[f.tsShared ? 0 : 1]++;
          counts[f.refsShared ? 2 : 3]++;
        }
      });
      assertThat(counts[0]).isGreaterThan(ROUNDS);
      assertThat(counts[1]).isGreaterThan(ROUNDS);
      assertThat(counts[2]).isGreaterThan(ROUNDS);
      assertThat(counts[3]).isGreaterThan(TARGETS);
    }
  }

  @Test
  void aWindowAndTheReadAheadTakeAtMostA32ndOfTheHeap() {
    long wal = Long.MAX_VALUE;
    assertThat(ReplayHandler.windowSamples(8L << 30, wal)).isEqualTo(ReplayHandler.WINDOW_SAMPLES);
    assertThat(ReplayHandler.windowSamples(128L << 20, wal)).isEqualTo((128 << 20) / 64 / 24);
    assertThat(ReplayHandler.windowSamples(64L << 10, wal)).isEqualTo(1024);
    Head head = new Head(new HeadOptions(0, 8), CommitLog.NONE);
    ReplayHandler h =
        new ReplayHandler(head, 1, ReplayHandler.windowSamples(128L << 20, wal), 4096);
    try {
      assertThat(h.aheadBytes()).isEqualTo((128 << 20) / 64 / 24 * 24L);
    } finally {
      h.close();
    }
  }

  @Test
  void aWindowDecodesToAtMost30PercentOfTheWalToReplayButToHalfAWindowAtLeast() {
    long heap = 8L << 30;
    int half = ReplayHandler.WINDOW_SAMPLES / 2;
    assertThat(ReplayHandler.windowSamples(heap, 60_000_000)).isEqualTo(750_000);
    assertThat(ReplayHandler.windowSamples(heap, 400_000_000))
        .isEqualTo(ReplayHandler.WINDOW_SAMPLES);
    assertThat(ReplayHandler.windowSamples(heap, 20_000_000)).isEqualTo(half);
    assertThat(ReplayHandler.windowSamples(heap, 0)).isEqualTo(half);
    // The heap's bound comes first.
    assertThat(ReplayHandler.windowSamples(128L << 20, 0)).isEqualTo((128 << 20) / 64 / 24);
  }

  @Test
  void theWalToReplayIsTheCheckpointAndTheSegmentsAfterIt(@TempDir Path dir) throws Exception {
    Path wal = dir.resolve("wal");
    Files.createDirectories(wal);
    Files.write(wal.resolve(WalFormat.segmentName(3)), new byte[100]);
    Files.write(wal.resolve(WalFormat.segmentName(4)), new byte[20]);
    Files.write(wal.resolve(WalFormat.segmentName(5)), new byte[7]);
    assertThat(Tsdb.replayBytes(wal, null, 0)).isEqualTo(127);
    assertThat(Tsdb.replayBytes(wal, null, 4)).isEqualTo(7);
    Path cp = wal.resolve("checkpoint.00000004");
    Files.createDirectories(cp);
    Files.write(cp.resolve(WalFormat.segmentName(1)), new byte[50]);
    assertThat(Tsdb.replayBytes(wal, new WalCheckpoint.Found(cp, 4, 0), 0)).isEqualTo(57);
    assertThat(Tsdb.replayBytes(dir.resolve("none"), null, 0)).isZero();
  }

  @Test
  void seriesLabelsComeOffTheReadAheadThreadInternedByTheHead() {
    Head head = new Head(new HeadOptions(0, 8), CommitLog.NONE);
    String job = head.internString(new String("node-exporter"));
    ReplayHandler h = new ReplayHandler(head, 1, 1024, 16);
    try {
      ByteSink sink = new ByteSink();
      RecordEncoder enc = new RecordEncoder();
      enc.seriesStart(sink);
      enc.series(sink, 1, Labels.of("job", "node-exporter", "pod", "p-1"));
      Object prepared = h.prepare(sink.array(), sink.length(), 1, 16);
      Labels got = ((ReadAheadDecoder.Series) prepared).labels.get(0);
      assertThat(got.value(0)).isSameAs(job);
      assertThat(got.name(1)).isSameAs(head.internString(new String("pod")));
    } finally {
      h.close();
    }
  }
}
