package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.LabelsCodec;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL replay with the apply step split over several shards gives exactly what one shard gives:
 * many series, float records larger than a hand-off batch, out-of-order and repeated samples,
 * tombstones between sample records, histogram records, samples logged before their series
 * record (they must stay unknown), a series re-logged under its ref and under a second ref.
 */
class ShardedReplayTest {
  private static final int SERIES = 3000;
  private static final int ROUNDS = 24;
  private static final int LATE = 2900; // series from here on are logged after some samples

  @TempDir
  Path tmp;

  private static Labels labels(int s) {
    return Labels.of("__name__", "m" + (s % 7), "s", Integer.toString(s));
  }

  /** Writes the WAL by hand, so its records come in exactly this order. */
  private static void writeWal(Path walDir) {
    SplittableRandom r = new SplittableRandom(17);
    RecordEncoder enc = new RecordEncoder();
    ByteSink sink = new ByteSink();
    CRC32C crc = new CRC32C();
    try (WalWriter w = WalWriter.open(walDir, WalOptions.defaults().withSegmentSize(256 * 1024))) {
      for (int round = 0; round < ROUNDS; round++) {
        if (round == 0 || round == 4) {
          // Series records in several records; the late ones only in round 4, right after a
          // float record (round 3 has no other record) whose samples of them must stay unknown.
          int from = round == 0 ? 1 : LATE;
          int to = round == 0 ? LATE : SERIES + 1;
          for (int s = from; s < to; s += 700) {
            int mark = WalWriter.beginRecord(sink);
            enc.seriesStart(sink);
            for (int k = s; k < Math.min(to, s + 700); k++) {
              enc.series(sink, k, labels(k));
            }
            WalWriter.endRecord(sink, mark, crc);
          }
        }
        if (round == 5) {
          // Series 7 again under its own ref (no change) and under ref SERIES + 50 (an alias).
          int mark = WalWriter.beginRecord(sink);
          enc.seriesStart(sink);
          enc.series(sink, 7, labels(7));
          enc.series(sink, SERIES + 50, labels(7));
          WalWriter.endRecord(sink, mark, crc);
        }
        // One float record per round with every series, in a shuffled-by-stride order.
        int mark = WalWriter.beginRecord(sink);
        long t0 = round * 15_000L;
        enc.floatsStart(sink, 1, t0);
        for (int i = 0; i < SERIES; i++) {
          int s = 1 + (int) ((i * 7919L) % SERIES);
          long t = t0 + (s % 5) * 10;
          if (s % 97 == 0 && round > 2) {
            t -= 40_000; // behind the series' newest: out of order
          }
          double v = s % 11 == 0 ? r.nextGaussian() : round * 3.0 + s;
          enc.floatSample(sink, s, t, v);
          if (s % 131 == 0 && round % 5 == 0) {
            // An exact repeat; in a fifth of the rounds only, so that the others' windows of
            // records are applied layout by layout (FloatRecordWindow), over chunks taken over.
            enc.floatSample(sink, s, t, v);
          }
          if (s == 7 && round >= 5) {
            enc.floatSample(sink, SERIES + 50, t + 1, v + 0.5); // under the alias ref
          }
        }
        WalWriter.endRecord(sink, mark, crc);
        if (round % 4 == 2) {
          mark = WalWriter.beginRecord(sink);
          enc.tombstonesStart(sink);
          for (int s = 1 + round; s <= SERIES; s += 173) {
            enc.tombstone(sink, s, t0 - 30_000, t0 - 14_000);
          }
          enc.tombstone(sink, SERIES + 50, t0 - 2_000, t0 + 5); // via the alias
          WalWriter.endRecord(sink, mark, crc);
        }
        if (round % 3 == 1) {
          mark = WalWriter.beginRecord(sink);
          enc.histogramsStart(sink, SERIES + 1, t0);
          for (int k = 0; k < 5; k++) {
            enc.histogramSample(sink, 1 + k * 211, t0 + 3, QueryableContract.histogramForTest(
                round + k));
          }
          WalWriter.endRecord(sink, mark, crc);
        }
        w.sync(w.write(sink));
        sink.reset();
      }
    }
  }

  /**
   * What a replay left: the data, counts and time range of the first open, and the data after
   * a second open, which skips what the first wrote to {@code chunks_head/}.
   */
  private record Replayed(List<String> dump, long samples, long unknown, long series,
      long minT, long maxT, List<String> reopened, long adopted) {}

  private Replayed replay(Path wal, int shards) throws IOException {
    Path dir = tmp.resolve("db-" + shards);
    Files.createDirectories(dir);
    TestDirectories.copyTree(wal, dir.resolve("wal"));
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1L << 40)
        .withReplayApplyShards(shards).withHead(new HeadOptions(0, 8));
    List<String> dump;
    Tsdb.ReplayStats st;
    long minT;
    long maxT;
    try (Tsdb db = Tsdb.open(dir, o)) {
      st = db.replayStats();
      dump = dump(db);
      minT = db.head().minTime();
      maxT = db.head().maxTime();
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      return new Replayed(dump, st.samples(), st.unknownRefs(), st.series(), minT, maxT,
          dump(db), db.replayStats().headChunks());
    }
  }

  private static List<String> dump(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+"))));
    }
  }

  @Test
  void everyShardCountReplaysExactlyWhatOneShardReplays() throws IOException {
    Path wal = tmp.resolve("wal");
    writeWal(wal);
    Replayed one = replay(wal, 1);
    // The WAL exercises what it should: unknown samples, out-of-order ones, an alias.
    assertThat(one.unknown()).isEqualTo(4L * (SERIES - LATE + 1));
    assertThat(one.samples()).isGreaterThan((long) SERIES * (ROUNDS - 4));
    assertThat(one.dump()).hasSize(SERIES);
    assertThat(one.reopened()).isEqualTo(one.dump());
    assertThat(one.adopted()).isPositive();
    for (int shards : new int[] {2, 4}) {
      Replayed many = replay(wal, shards);
      assertThat(many.samples()).as("%d shards: samples", shards).isEqualTo(one.samples());
      assertThat(many.unknown()).as("%d shards: unknown", shards).isEqualTo(one.unknown());
      assertThat(many.series()).as("%d shards: series", shards).isEqualTo(one.series());
      assertThat(many.minT()).as("%d shards: minT", shards).isEqualTo(one.minT());
      assertThat(many.maxT()).as("%d shards: maxT", shards).isEqualTo(one.maxT());
      assertThat(many.dump()).as("%d shards: data", shards).isEqualTo(one.dump());
      assertThat(many.reopened()).as("%d shards: reopened", shards).isEqualTo(one.reopened());
      assertThat(many.adopted()).as("%d shards: adopted", shards).isEqualTo(one.adopted());
    }
  }

  /**
   * A record whose checksum matches but whose payload does not decode (a bug, or a newer
   * writer) stops the open with the segment and the file offset of the bad bytes, whichever
   * thread decodes it: series records on the read-ahead thread, tombstones on the replaying one.
   */
  @Test
  void aRecordThatDoesNotDecodeIsNamedBySegmentAndFileOffset() throws IOException {
    RecordEncoder enc = new RecordEncoder();
    for (boolean series : new boolean[] {true, false}) {
      Path dir = tmp.resolve(series ? "bad-series" : "bad-tombstone");
      ByteSink sink = new ByteSink();
      CRC32C crc = new CRC32C();
      int segment;
      try (WalWriter w = WalWriter.open(dir.resolve("wal"), WalOptions.defaults())) {
        segment = w.currentSegment();
        int mark = WalWriter.beginRecord(sink);
        enc.seriesStart(sink);
        enc.series(sink, 1, labels(1));
        WalWriter.endRecord(sink, mark, crc);
        mark = WalWriter.beginRecord(sink);
        if (series) {
          enc.seriesStart(sink);
          sink.putUvarint(2).putUvarint(5); // ref 2, five labels, and no bytes for them
        } else {
          enc.tombstonesStart(sink);
          sink.putUvarint(1).putVarint(0); // ref 1, minT 0, and no maxT
        }
        WalWriter.endRecord(sink, mark, crc);
        w.sync(w.write(sink));
      }
      // The second record's payload starts after the segment header, the first record (header
      // and payload) and its own header; the bad bytes are the label count (2 bytes into it)
      // or the missing maxT (3 bytes into it).
      int firstRecord = WalFormat.RECORD_HEADER_SIZE + 1 + 1 + labelsBytes(labels(1));
      long at = WalFormat.SEGMENT_HEADER_SIZE + firstRecord + WalFormat.RECORD_HEADER_SIZE
          + (series ? 2 : 3);
      assertThatThrownBy(() -> Tsdb.open(dir, TsdbOptions.defaults()).close())
          .as(series ? "series record" : "tombstone record")
          .hasMessageContaining("WAL record with valid checksum does not decode: WAL segment "
              + segment + " at offset " + at + ": ");
    }
  }

  private static int labelsBytes(Labels l) {
    ByteSink s = new ByteSink();
    LabelsCodec.write(s, l);
    return s.length();
  }

  @Test
  void negativeShardCountIsRejected() {
    assertThatThrownBy(() -> TsdbOptions.defaults().withReplayApplyShards(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replay apply shards -1");
    assertThat(TsdbOptions.defaults().effectiveReplayApplyShards()).isGreaterThanOrEqualTo(2);
  }
}
