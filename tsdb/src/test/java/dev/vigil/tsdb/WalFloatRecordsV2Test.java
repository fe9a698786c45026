package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.record.RecordType;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Float-samples v2 records in real WALs: every segment decodes on its own (value chains restart
 * per segment, also when a batch is re-encoded because it landed in a new segment), a reader
 * that resumes at any record boundary after reading the segment's earlier records decodes the
 * same samples, one that starts there cold gets errors or the right samples (never wrong ones),
 * and WALs mixing type-2 and v2 records replay.
 */
class WalFloatRecordsV2Test {
  @TempDir
  Path tmp;

  private record Rec(int segment, long offset, byte[] payload) {}

  private static List<Rec> records(Path walDir) {
    List<Rec> out = new ArrayList<>();
    WalReader.Result r = WalReader.read(walDir, (buf, len, segment, offset) ->
        out.add(new Rec(segment, offset, Arrays.copyOf(buf, len))), 0);
    assertThat(r.corruption()).isNull();
    return out;
  }

  /** Decoded float samples of one record as "ref@t=bits" strings. */
  private static List<String> decode(RecordDecoder dec, Rec rec) {
    List<String> out = new ArrayList<>();
    dec.decode(new ByteSource("segment " + rec.segment + " at " + rec.offset, rec.payload),
        new RecordDecoder.Visitor() {
          @Override
          public void floatSample(long ref, long t, double v) {
            out.add(ref + "@" + t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
          }
        });
    return out;
  }

  private static double value(SplittableRandom r, int series, int scrape) {
    return switch (series % 6) {
      case 0 -> scrape * (series + 1.0); // counter
      case 1 -> Math.round(r.nextGaussian() * 1000) / 100.0; // 2 decimals
      case 2 -> scrape % 7 == 0 ? StaleNaN.VALUE : 1;
      case 3 -> r.nextGaussian();
      case 4 -> scrape % 5 == 0 ? -0.0 : scrape % 5 == 1 ? Double.POSITIVE_INFINITY : 4096.0 * scrape;
      default -> 42;
    };
  }

  @Test
  void segmentsDecodeAloneAndReadersResumeAtEveryRecordBoundary() throws IOException {
    Path dir = tmp.resolve("db");
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1L << 40);
    o = o.withWal(o.wal().withSegmentSize(4096)); // many rotations, many re-encoded batches
    SplittableRandom r = new SplittableRandom(9);
    List<String> appended = new ArrayList<>();
    try (Tsdb db = Tsdb.open(dir, o)) {
      long[] refs = new long[60];
      for (int scrape = 0; scrape < 400; scrape++) {
        Appender a = db.appender();
        int from = scrape % 3 == 0 ? 0 : r.nextInt(30);
        int to = from + 1 + r.nextInt(60 - from);
        for (int s = from; s < to; s++) {
          double v = value(r, s, scrape);
          long t = scrape * 15_000L + (s % 4 == 0 ? r.nextInt(20) : 0);
          refs[s] = a.append(refs[s], Labels.of("__name__", "m" + (s % 6), "s", "" + s), t, v);
          appended.add(refs[s] + "@" + t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        a.commit();
      }
    }
    List<Rec> recs = records(dir.resolve("wal"));
    assertThat(recs.stream().mapToInt(Rec::segment).distinct().count()).isGreaterThan(10);
    assertThat(recs.stream().filter(x -> x.payload[0] == RecordType.FLOAT_SAMPLES_V2).count())
        .isEqualTo(400);

    // One reader through the whole log, and a fresh reader per segment: the same samples.
    List<List<String>> full = new ArrayList<>();
    RecordDecoder one = new RecordDecoder();
    RecordDecoder perSegment = null;
    int seg = -1;
    for (Rec rec : recs) {
      if (rec.segment != seg) {
        seg = rec.segment;
        perSegment = new RecordDecoder();
      }
      List<String> got = decode(one, rec);
      full.add(got);
      assertThat(decode(perSegment, rec)).isEqualTo(got);
    }
    assertThat(full.stream().flatMap(List::stream).toList()).isEqualTo(appended);

    for (int start = 0; start < recs.size(); start++) {
      // Resuming (the remote-write watcher): earlier records of the segment decoded first.
      RecordDecoder warm = new RecordDecoder();
      for (int i = 0; i < start; i++) {
        if (recs.get(i).segment == recs.get(start).segment) {
          decode(warm, recs.get(i));
        }
      }
      // Cold: the reader never saw the earlier records.
      RecordDecoder cold = new RecordDecoder();
      int prevSegment = recs.get(start).segment;
      boolean coldFailed = false;
      for (int i = start; i < recs.size(); i++) {
        Rec rec = recs.get(i);
        if (rec.segment != prevSegment) {
          prevSegment = rec.segment;
          warm.segmentStart();
          cold.segmentStart();
          coldFailed = false;
        }
        assertThat(decode(warm, rec)).as("resumed at record %d, record %d", start, i)
            .isEqualTo(full.get(i));
        try {
          List<String> got = decode(cold, rec);
          if (!coldFailed) {
            assertThat(got).as("cold from record %d, record %d", start, i).isEqualTo(full.get(i));
          } else if (!got.equals(full.get(i))) {
            fail("cold reader from record %d decoded record %d wrongly after an error", start, i);
          }
        } catch (CorruptDataException e) {
          assertThat(rec.segment).isEqualTo(recs.get(start).segment);
          assertThat(e.getMessage()).contains("start of their segment");
          coldFailed = true;
        }
      }
    }
  }

  /**
   * The head keeps the WAL's value chain in its series: a series repeated within a commit, late
   * (out-of-order) samples and samples after a new segment are all coded against what a
   * reader of the segment rebuilds, and the reopened head holds every sample.
   */
  @Test
  void repeatsWithinACommitAndOutOfOrderSamplesChainAsAReaderRebuildsThem() throws IOException {
    Path dir = tmp.resolve("ooo");
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1L << 40);
    o = o.withWal(o.wal().withSegmentSize(8192))
        .withHead(o.head().withOutOfOrderWindowMs(3_600_000));
    SplittableRandom r = new SplittableRandom(11);
    List<String> appended = new ArrayList<>();
    java.util.Map<String, java.util.TreeMap<Long, Long>> want = new java.util.TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, o)) {
      long[] refs = new long[40];
      for (int scrape = 1; scrape <= 300; scrape++) {
        Appender a = db.appender();
        for (int i = 0; i < 30; i++) {
          int s = r.nextInt(40);
          long t = scrape * 60_000L + switch (r.nextInt(6)) {
            case 0 -> -r.nextInt(1, 50) * 1000L; // late: before the series' newest sample
            default -> i * 10L; // in order, the same series again later in this commit
          };
          double v = value(r, s, scrape + i);
          Labels l = Labels.of("__name__", "m", "s", "" + s);
          java.util.TreeMap<Long, Long> samples = want.computeIfAbsent(l.toString(),
              k -> new java.util.TreeMap<>());
          if (samples.containsKey(t)) {
            continue; // a second value for one timestamp would be refused
          }
          refs[s] = a.append(refs[s], l, t, v);
          samples.put(t, Double.doubleToRawLongBits(v));
          appended.add(refs[s] + "@" + t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        a.commit();
      }
    }
    List<Rec> recs = records(dir.resolve("wal"));
    assertThat(recs.stream().mapToInt(Rec::segment).distinct().count()).isGreaterThan(3);
    List<String> decoded = new ArrayList<>();
    RecordDecoder dec = null;
    int seg = -1;
    for (Rec rec : recs) {
      if (rec.segment != seg) {
        seg = rec.segment;
        dec = new RecordDecoder(); // each segment alone
      }
      decoded.addAll(decode(dec, rec));
    }
    assertThat(decoded).isEqualTo(appended);
    try (Tsdb db = Tsdb.open(dir, o)) {
      java.util.Map<String, java.util.TreeMap<Long, Long>> got = new java.util.TreeMap<>();
      try (var q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        var set = q.select(false, null, List.of(dev.vigil.model.labels.Matcher.equal("__name__", "m")));
        while (set.next()) {
          var series = set.at();
          java.util.TreeMap<Long, Long> samples = new java.util.TreeMap<>();
          var it = series.iterator(null);
          while (it.next() != dev.vigil.model.storage.ValueKind.NONE) {
            samples.put(it.atT(), Double.doubleToRawLongBits(it.atF()));
          }
          got.put(series.labels().toString(), samples);
        }
      }
      assertThat(got).isEqualTo(want);
    }
  }

  @Test
  void checkpointsAndSegmentsCutByBlockCutsDecodeAloneAndReplay() throws IOException {
    Path dir = tmp.resolve("cuts");
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(60_000);
    o = o.withWal(o.wal().withSegmentSize(8192));
    SplittableRandom r = new SplittableRandom(4);
    List<String> before;
    try (Tsdb db = Tsdb.open(dir, o)) {
      long[] refs = new long[40];
      for (int scrape = 0; scrape < 200; scrape++) {
        Appender a = db.appender();
        for (int s = 0; s < 40; s++) {
          refs[s] = a.append(refs[s], Labels.of("__name__", "m", "s", "" + s), scrape * 5_000L,
              value(r, s, scrape));
        }
        a.commit();
        if (scrape % 25 == 24) {
          db.cutBlocks(); // rotates the WAL under the commit log and writes a checkpoint
        }
      }
      before = dump(db);
    }
    Path wal = dir.resolve("wal");
    List<Path> dirs = new ArrayList<>(List.of(wal));
    try (Stream<Path> l = Files.list(wal)) {
      l.filter(p -> p.getFileName().toString().startsWith("checkpoint.")).forEach(dirs::add);
    }
    assertThat(dirs).hasSizeGreaterThan(1);
    for (Path d : dirs) {
      int[] seg = {-1};
      RecordDecoder[] dec = {null};
      WalReader.Result res = WalReader.read(d, (buf, len, segment, offset) -> {
        if (segment != seg[0]) {
          seg[0] = segment;
          dec[0] = new RecordDecoder(); // every segment on its own
        }
        decode(dec[0], new Rec(segment, offset, Arrays.copyOf(buf, len)));
      }, 0);
      assertThat(res.corruption()).isNull();
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(dump(db)).isEqualTo(before);
    }
  }

  @Test
  void aTornTailKeepsExactlyTheWholeRecordsBeforeIt() throws IOException {
    Path src = tmp.resolve("torn-src");
    SplittableRandom r = new SplittableRandom(12);
    List<List<String>> perCommit = new ArrayList<>();
    try (Tsdb db = Tsdb.open(src, TsdbOptions.defaults())) {
      long[] refs = new long[6];
      for (int c = 0; c < 25; c++) {
        Appender a = db.appender();
        List<String> want = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
          double v = value(r, s, c);
          refs[s] = a.append(refs[s], Labels.of("__name__", "m", "s", "" + s), c * 1000L, v);
          want.add(s + "@" + c * 1000L + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        a.commit();
        perCommit.add(want);
      }
    }
    Files.deleteIfExists(src.resolve("lock"));
    List<Rec> recs = records(src.resolve("wal"));
    int segment = recs.getFirst().segment;
    assertThat(recs).allMatch(x -> x.segment == segment);
    // End offset of each commit's float record, in commit order.
    List<Long> commitEnds = new ArrayList<>();
    for (Rec x : recs) {
      if (x.payload[0] == RecordType.FLOAT_SAMPLES_V2) {
        commitEnds.add(x.offset + 8 + x.payload.length);
      }
    }
    assertThat(commitEnds).hasSize(25);
    Path segFile = src.resolve("wal").resolve(dev.vigil.tsdb.wal.WalFormat.segmentName(segment));
    byte[] full = Files.readAllBytes(segFile);
    // Every offset near a record boundary, and every 23rd elsewhere (each cut is one open).
    java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
    for (int cut = 8; cut <= full.length; cut += 23) {
      cuts.add(cut);
    }
    for (Rec x : recs) {
      for (long at : new long[] {x.offset, x.offset + 8 + x.payload.length}) {
        for (int d = -2; d <= 2; d++) {
          if (at + d >= 8 && at + d <= full.length) {
            cuts.add((int) (at + d));
          }
        }
      }
    }
    for (int cut : cuts) {
      Path d = TestDirectories.copyTree(src, tmp.resolve("torn-" + cut));
      Files.write(d.resolve("wal").resolve(segFile.getFileName()), Arrays.copyOf(full, cut));
      List<String> want = new ArrayList<>();
      for (int c = 0; c < 25; c++) {
        if (commitEnds.get(c) <= cut) {
          want.addAll(perCommit.get(c));
        }
      }
      try (Tsdb db = Tsdb.open(d, TsdbOptions.defaults())) {
        List<String> got = new ArrayList<>();
        for (String line : dump(db)) {
          int colon = line.indexOf(": ");
          if (colon < 0) {
            continue; // a series whose samples were in the torn part
          }
          String s = line.substring(line.indexOf("s=\"") + 3, line.indexOf("\"}"));
          for (String sample : line.substring(colon + 2).split(" ")) {
            String[] tv = sample.split("=");
            got.add(s + "@" + tv[0] + "=" + tv[1]);
          }
        }
        got.sort(null);
        List<String> sorted = new ArrayList<>(want);
        sorted.sort(null);
        assertThat(got).as("cut at %d", cut).isEqualTo(sorted);
      }
      dev.vigil.tsdb.fs.FileTrees.delete(d);
    }
  }

  @Test
  void aWalMixingType2AndV2RecordsReplays() throws IOException {
    Path dir = tmp.resolve("mixed");
    Path wal = Files.createDirectories(dir.resolve("wal"));
    RecordEncoder enc = new RecordEncoder();
    ByteSink buf = new ByteSink();
    CRC32C crc = new CRC32C();
    try (WalWriter w = WalWriter.open(wal, WalOptions.defaults())) {
      int mark = WalWriter.beginRecord(buf);
      enc.seriesStart(buf);
      enc.series(buf, 1, Labels.of("__name__", "a"));
      enc.series(buf, 2, Labels.of("__name__", "b"));
      WalWriter.endRecord(buf, mark, crc);
      for (int k = 0; k < 6; k++) {
        mark = WalWriter.beginRecord(buf);
        if (k % 2 == 0) { // as written before v2
          enc.floatsStart(buf, 1, k * 10L);
          enc.floatSample(buf, 1, k * 10L, k * 1.5);
          enc.floatSample(buf, 2, k * 10L, -k);
        } else {
          enc.floatsV2Start();
          enc.floatV2(1, k * 10L, k * 1.5);
          enc.floatV2(2, k * 10L, -k);
          enc.floatsV2End(buf);
        }
        WalWriter.endRecord(buf, mark, crc);
      }
      w.write(buf);
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.replayStats().samples()).isEqualTo(12);
      assertThat(dump(db)).containsExactly(
          "{__name__=\"a\"}: 0=0 10=3ff8000000000000 20=4008000000000000 30=4012000000000000"
              + " 40=4018000000000000 50=401e000000000000",
          "{__name__=\"b\"}: 0=0 10=bff0000000000000 20=c000000000000000 30=c008000000000000"
              + " 40=c010000000000000 50=c014000000000000");
    }
  }

  @Test
  void aVersion1DirectoryKeepsItsDataWhenV2RecordsFollow() throws IOException {
    Path dir = TestDirectories.copyTree(Path.of("src/test/resources/dev/vigil/tsdb/testdata/v1/db"),
        tmp.resolve("v1"));
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1000);
    List<String> before;
    try (Tsdb db = Tsdb.open(dir, o)) {
      before = dump(db);
      Appender a = db.appender();
      a.append(0, Labels.of("__name__", "up", "job", "db"), 2700, 1);
      a.append(0, Labels.of("__name__", "up", "job", "db"), 2800, StaleNaN.VALUE);
      a.commit();
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      List<String> after = dump(db);
      assertThat(after).hasSameSizeAs(before);
      assertThat(after.getLast()).isEqualTo(before.getLast() + " 2700=3ff0000000000000"
          + " 2800=7ff0000000000002");
      assertThat(after.subList(0, after.size() - 1)).isEqualTo(before.subList(0, before.size() - 1));
    }
  }

  private static List<String> dump(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+"))));
    }
  }
}
