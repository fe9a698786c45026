package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.snapshot.HeadSnapshotFormat;
import dev.vigil.tsdb.snapshot.HeadSnapshotReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The head snapshot written at a clean shutdown restores exactly the head a WAL replay builds
 * (differential: a copy of the same directory without the snapshot replays the WAL), goes on
 * from there identically, and is never trusted when it should not be: stale, damaged, cut short
 * or not matching the head chunk files, the WAL is replayed and nothing is lost.
 */
class TsdbHeadSnapshotTest {
  private static final long STEP = 10_000;
  /** End of the block {@link #written} cuts. */
  private static final long CUT = 400_000;
  private static final int SERIES = 40;
  private static final List<Matcher> ALL = List.of(Matcher.of(MatchType.REGEX, "__name__", ".+"));
  /** Small chunks and blocks so a short run has closed chunks, a block cut and a checkpoint. */
  private static final TsdbOptions OPTS = TsdbOptions.defaults().withBlockRangeMs(400_000)
      .withHead(new HeadOptions(60_000, 8)).withSnapshotOnShutdown(true);

  private static final TsdbOptions SMALL_FILES = OPTS.withHeadChunkFileSize(4096);

  @TempDir
  Path tmp;

  /** Everything a reader can see of a database, in comparable form. */
  private record View(List<String> samples, List<String> exemplars, List<String> metadata,
      long minTime, long maxTime, int series) {}

  private static View view(Tsdb db) {
    return view(db, CUT);
  }

  /** As {@link #view(Tsdb)}, with the exemplars from {@code exemplarsFrom} on. */
  private static View view(Tsdb db, long exemplarsFrom) {
    List<String> samples;
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      samples = QueryableContract.dump(q.select(true, SelectHints.range(0, 0), ALL));
    }
    List<String> exemplars = new ArrayList<>();
    // From the block cut on: a WAL checkpoint keeps only those (as Prometheus's), while the
    // running head, and so its snapshot, still has older ones.
    db.selectExemplars(exemplarsFrom, Long.MAX_VALUE, List.of(ALL))
        .forEach(s -> exemplars.add(s.seriesLabels() + " " + s.exemplars()));
    List<String> metadata = new ArrayList<>();
    db.head().seriesMetadata(ALL).forEach(m -> metadata.add(m.labels() + " " + m.metadata()));
    return new View(samples, exemplars, metadata, db.head().minTime(), db.head().maxTime(),
        db.head().numSeries());
  }

  /** Compares part by part, so a failure names the part and the first differing line. */
  private static void assertSameView(View actual, View expected, String what) {
    compareLines(actual.samples(), expected.samples(), what + ": samples");
    compareLines(actual.exemplars(), expected.exemplars(), what + ": exemplars");
    compareLines(actual.metadata(), expected.metadata(), what + ": metadata");
    assertThat(actual.series()).as(what + ": series").isEqualTo(expected.series());
    assertThat(actual.maxTime()).as(what + ": max time").isEqualTo(expected.maxTime());
  }

  /** As {@link #assertSameView}, and the head's min time too. */
  private static void assertSameHead(View actual, View expected, String what) {
    assertSameView(actual, expected, what);
    assertThat(actual.minTime()).as(what + ": min time").isEqualTo(expected.minTime());
  }

  private static void compareLines(List<String> actual, List<String> expected, String what) {
    for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
      String a = actual.get(i);
      String e = expected.get(i);
      if (!a.equals(e)) {
        int at = 0;
        while (at < Math.min(a.length(), e.length()) && a.charAt(at) == e.charAt(at)) {
          at++;
        }
        int from = Math.max(0, at - 200);
        assertThat(a.substring(from, Math.min(a.length(), at + 200)))
            .as("%s, line %d, from char %d", what, i, from)
            .isEqualTo(e.substring(from, Math.min(e.length(), at + 200)));
      }
    }
    assertThat(actual).as(what).hasSameSizeAs(expected);
  }

  private static Labels series(int i) {
    return Labels.of("__name__", i % 5 == 0 ? "hist_" + i : "metric_" + i, "job", "j" + (i % 3),
        "instance", "host-" + i);
  }

  /**
   * Appends round {@code r}: floats (noisy, integral, stale markers), histograms, a series
   * switching from floats to histograms, out-of-order samples, exemplars and metadata. Returns
   * what each commit did, so two databases fed alike can be compared on that too.
   */
  private static String round(Tsdb db, int r, Random rnd) {
    StringBuilder outcome = new StringBuilder();
    Appender a = db.appender();
    long t = r * STEP;
    for (int i = 0; i < SERIES; i++) {
      if (i >= SERIES - 4 && r > 12) {
        continue; // these series stop early: the block cut collects them
      }
      Labels l = series(i);
      boolean hist = i % 5 == 0 && (i != 10 || r >= 25);
      if (hist) {
        a.appendHistogram(0, l, t, QueryableContract.histogramForTest(r + i));
      } else {
        double v = i % 3 == 0 ? r * 2 + i : i % 7 == 1 && r % 9 == 0 ? StaleNaN.VALUE
            : rnd.nextGaussian() * 100;
        a.append(0, l, t, v);
      }
      if (i % 4 == 1 && r % 6 == 0) {
        a.appendExemplar(0, l, new Exemplar(Labels.of("trace_id", "t" + r + "-" + i), r, t));
      }
      if (r % 20 == 0) {
        a.updateMetadata(0, l, new Metadata(hist ? MetricType.HISTOGRAM : MetricType.GAUGE,
            "help of " + i + " at round " + r, i % 2 == 0 ? "seconds" : ""));
      }
    }
    a.commit();
    if (r > 3 && r % 5 == 0) {
      Appender late = db.appender();
      for (int i = 1; i < SERIES; i += 6) {
        if (i % 5 != 0 && (i < SERIES - 4 || r <= 12)) {
          late.append(0, series(i), t - 3 * STEP + 1, -r); // out of order, inside the window
        }
      }
      try {
        late.commit();
        outcome.append('o');
      } catch (StorageException e) {
        outcome.append('x');
      }
    }
    return outcome.toString();
  }

  /** A database with closed chunks, a block cut, a checkpoint, tombstones and collected series. */
  private Path written() {
    Path dir = tmp.resolve("a");
    Random rnd = new Random(42);
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      for (int r = 0; r < 75; r++) {
        round(db, r, rnd);
        if (r == 65) {
          assertThat(db.cutBlocks()).isNotEmpty();
        }
      }
      db.delete(55 * STEP, 58 * STEP, List.of(Matcher.of(MatchType.EQUAL, "job", "j1")));
    }
    assertThat(dir.resolve(HeadSnapshotFormat.FILE_NAME)).exists();
    return dir;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.sorted().toList()) {
        Path dst = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dst);
        } else if (!p.getFileName().toString().equals("lock")) {
          Files.copy(p, dst, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /** A copy of {@code dir} without its snapshot: opening it replays the WAL. */
  private Path walOnlyCopy(Path dir, String name) throws IOException {
    Path copy = tmp.resolve(name);
    copy(dir, copy);
    Files.deleteIfExists(copy.resolve(HeadSnapshotFormat.FILE_NAME));
    return copy;
  }

  @Test
  void restoresWhatTheWalReplayBuildsAndGoesOnAlike() throws IOException {
    Path a = written();
    Path b = walOnlyCopy(a, "b");
    Random ra = new Random(7);
    Random rb = new Random(7);
    try (Tsdb fromSnapshot = Tsdb.open(a, OPTS); Tsdb fromWal = Tsdb.open(b, OPTS)) {
      assertThat(fromSnapshot.replayStats().snapshotSeries()).isEqualTo(SERIES - 4);
      assertThat(fromWal.replayStats().snapshotSeries()).isZero();
      assertThat(fromWal.replayStats().samples()).isPositive();
      assertThat(fromSnapshot.replayStats().samples()).isZero(); // nothing after the snapshot
      View v = view(fromWal);
      assertThat(v.samples()).hasSize(SERIES); // the collected series are in the block
      assertThat(v.exemplars()).isNotEmpty();
      assertThat(v.metadata()).isNotEmpty();
      assertSameHead(view(fromSnapshot), v, "restored");
      // Both go on alike: in-order and out-of-order appends, chunks closing, a retried sample.
      for (int r = 75; r < 95; r++) {
        assertThat(round(fromSnapshot, r, ra)).isEqualTo(round(fromWal, r, rb));
      }
      for (Tsdb db : List.of(fromSnapshot, fromWal)) {
        Appender retry = db.appender();
        retry.append(0, series(3), 94 * STEP, 94 * 2 + 3); // an exact repeat of round 94
        retry.commit();
      }
      assertSameHead(view(fromSnapshot), view(fromWal), "after appends");
      // A crash now (a copy of the open directory) restores the snapshot kept from this open
      // and replays the WAL written since; without the snapshot, the whole WAL, which has it all.
      Path crashed = tmp.resolve("crashed");
      copy(a, crashed);
      Path crashedWalOnly = walOnlyCopy(a, "crashed-wal");
      try (Tsdb restored = Tsdb.open(crashed, OPTS);
          Tsdb replayed = Tsdb.open(crashedWalOnly, OPTS)) {
        assertThat(restored.replayStats().snapshotSeries()).isPositive();
        assertThat(restored.replayStats().samples()).isPositive();
        assertThat(replayed.replayStats().snapshotSeries()).isZero();
        assertSameHead(view(restored), view(fromWal), "crash after restore");
        assertSameHead(view(replayed), view(fromWal), "crash after restore, WAL only");
      }
    }
    // A second clean restart restores the second snapshot.
    try (Tsdb fromSnapshot = Tsdb.open(a, OPTS); Tsdb fromWal = Tsdb.open(b, OPTS)) {
      assertThat(fromSnapshot.replayStats().snapshotSeries()).isPositive();
      assertSameHead(view(fromSnapshot), view(fromWal), "after appends");
    }
  }

  @Test
  void snapshotKeepsTheExemplarsTheRunningHeadHas() throws IOException {
    Path a = tmp.resolve("a");
    Random rnd = new Random(42);
    int all;
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      for (int r = 0; r < 75; r++) {
        round(db, r, rnd);
      }
      db.cutBlocks();
      all = liveExemplars(db);
      assertThat(all).isGreaterThan(100);
    }
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isPositive();
      assertThat(liveExemplars(db)).isEqualTo(all);
    }
  }

  /**
   * Exemplars of the series still in the head (those of collected series stay in the running
   * head's ring, but neither a snapshot nor a checkpoint keeps them, as in Prometheus).
   */
  private static int liveExemplars(Tsdb db) {
    return db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, List.of(ALL)).stream()
        .filter(e -> Integer.parseInt(e.seriesLabels().get("instance").substring(5)) < SERIES - 4)
        .mapToInt(e -> e.exemplars().size()).sum();
  }

  /**
   * A snapshot taken while open, then more of everything (chunks closing after it, out-of-order
   * samples, new series, a float series turning histogram, tombstones, exemplars, metadata),
   * then a crash: the snapshot plus the WAL after it give what the whole WAL gives, and both go
   * on alike.
   */
  @Test
  void crashAfterASnapshotReplaysOnlyTheWalAfterIt() throws IOException {
    // Small head chunk files: each is written out when full, so chunks closed after the
    // snapshot are on disk at the crash (they would be with a busy head's larger files).
    Path a = tmp.resolve("a");
    Random rnd = new Random(11);
    Random ra = new Random(5);
    Random rb = new Random(5);
    try (Tsdb db = Tsdb.open(a, SMALL_FILES)) {
      for (int r = 0; r < 30; r++) {
        round(db, r, rnd);
      }
      // A series an appender has created but not committed is not in the WAL yet, so not in
      // the snapshot either (here it is rolled back: it never is).
      Appender pending = db.appender();
      pending.append(0, Labels.of("__name__", "never_committed"), 29 * STEP, 1);
      assertThat(db.writeHeadSnapshot()).isEqualTo(SERIES);
      pending.rollback();
      // Out of order before any in-order sample after the snapshot: replay can tell only from
      // the snapshot's newest timestamps, as later chunks will hold that range.
      Appender late = db.appender();
      for (int i = 2; i < SERIES; i += 7) {
        if (i % 5 != 0) {
          late.append(0, series(i), 28 * STEP + 1, -1);
        }
      }
      late.commit();
      for (int r = 30; r < 60; r++) {
        round(db, r, rnd);
        if (r % 10 == 0) {
          Appender extra = db.appender();
          extra.append(0, Labels.of("__name__", "late_" + r, "job", "j9"), r * STEP, r);
          extra.commit();
        }
      }
      db.delete(33 * STEP, 35 * STEP, List.of(Matcher.of(MatchType.EQUAL, "job", "j2")));
      Path crashed = tmp.resolve("crashed");
      copy(a, crashed);
      Path walOnly = walOnlyCopy(a, "crashed-wal");
      try (Tsdb restored = Tsdb.open(crashed, SMALL_FILES);
          Tsdb replayed = Tsdb.open(walOnly, SMALL_FILES)) {
        assertThat(restored.replayStats().snapshotSeries()).isEqualTo(SERIES);
        assertThat(restored.replayStats().samples()).isPositive()
            .isLessThan(replayed.replayStats().samples());
        View expected = view(replayed);
        assertThat(expected.samples()).hasSize(SERIES + 3);
        assertSameHead(view(restored), expected, "snapshot + WAL after it");
        View live = view(db);
        // The live head still has the rolled-back appender's series, empty, until a cut.
        assertThat(live.series()).isEqualTo(expected.series() + 1);
        assertSameHead(new View(live.samples(), live.exemplars(), live.metadata(),
            live.minTime(), live.maxTime(), expected.series()), expected,
            "the database that crashed");
        for (int r = 60; r < 75; r++) {
          assertThat(round(restored, r, ra)).isEqualTo(round(replayed, r, rb));
        }
        assertSameHead(view(restored), view(replayed), "after appends");
      }
    }
  }

  /** A clock tests move by hand. */
  private static final class HandClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void periodicSnapshotIsDueAfterItsIntervalAndOnlyWhenTheWalGrew() {
    HandClock clock = new HandClock();
    Path a = tmp.resolve("a");
    try (Tsdb db = Tsdb.open(a, OPTS, clock)) {
      Random rnd = new Random(1);
      round(db, 0, rnd);
      assertThat(db.writeHeadSnapshotIfDue(60_000)).as("just opened").isZero();
      clock.millis += 60_000;
      assertThat(db.writeHeadSnapshotIfDue(0)).as("interval 0: never").isZero();
      assertThat(db.writeHeadSnapshotIfDue(60_000)).isEqualTo(SERIES);
      assertThat(a.resolve(HeadSnapshotFormat.FILE_NAME)).exists();
      clock.millis += 60_000;
      assertThat(db.writeHeadSnapshotIfDue(60_000)).as("nothing written since").isZero();
      round(db, 1, rnd);
      assertThat(db.writeHeadSnapshotIfDue(60_000)).isEqualTo(SERIES);
    }
  }

  /**
   * {@link Tsdb#hasWalToReplay} answers, from file sizes and the snapshot's header, whether
   * the next open replays WAL records: checked against what that open then reports, for a new
   * directory, a clean close, a crash image, a close without a snapshot, a damaged or stale
   * snapshot, and a clean close after a restore that appended nothing.
   */
  @Test
  void hasWalToReplayTellsWhetherTheNextOpenReplaysTheWal() throws IOException {
    Path a = tmp.resolve("a");
    assertThat(Tsdb.hasWalToReplay(a)).as("no database yet").isFalse();
    Random rnd = new Random(3);
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(Tsdb.hasWalToReplay(a)).as("open, nothing appended").isFalse();
      round(db, 0, rnd);
      round(db, 1, rnd);
      copy(a, tmp.resolve("crashed"));
    }
    assertReplayPredicted(a, false, "clean close");
    assertReplayPredicted(tmp.resolve("crashed"), true, "crash image");
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      round(db, 2, rnd);
      copy(a, tmp.resolve("crashed-after-restore"));
    } // reopened by assertReplayPredicted: the close after it writes a snapshot again
    assertReplayPredicted(tmp.resolve("crashed-after-restore"), true, "crash after a restore");
    assertReplayPredicted(a, false, "restored, nothing appended, clean close");

    Path noSnapshot = tmp.resolve("no-snapshot");
    try (Tsdb db = Tsdb.open(noSnapshot, OPTS.withSnapshotOnShutdown(false))) {
      round(db, 0, rnd);
    }
    assertReplayPredicted(noSnapshot, true, "closed without a snapshot");

    Path damaged = tmp.resolve("damaged");
    copy(a, damaged);
    Files.write(damaged.resolve(HeadSnapshotFormat.FILE_NAME), new byte[] {1, 2, 3});
    assertReplayPredicted(damaged, true, "damaged snapshot");

    Path stale = tmp.resolve("stale");
    copy(a, stale);
    try (Stream<Path> wal = Files.list(stale.resolve("wal"))) {
      Path last = wal.max(Comparator.naturalOrder()).orElseThrow();
      try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
        f.setLength(f.length() + 1); // a torn record after the snapshot's position
      }
    }
    assertThat(Tsdb.hasWalToReplay(stale)).as("stale snapshot").isTrue();
  }

  /**
   * A snapshot's open chunks are restored with the room the replay reserves for them when WAL
   * records follow the snapshot (a crash after it), and with resuming's room when none do (a
   * clean close; an open that has only started its new segment).
   */
  @Test
  void openChunksGetTheReplaysRoomOnlyWhenWalRecordsFollowTheSnapshot() throws IOException {
    Path a = tmp.resolve("a");
    Random rnd = new Random(5);
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      round(db, 0, rnd);
    }
    assertThat(openChunksTo(a)).as("clean close").isZero();
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(openChunksTo(a)).as("reopened, nothing appended").isZero();
      round(db, 1, rnd);
      copy(a, tmp.resolve("crashed"));
    }
    assertThat(openChunksTo(tmp.resolve("crashed"))).as("crash after the restore")
        .isEqualTo(OPTS.head().samplesPerChunk());
  }

  private static int openChunksTo(Path dir) throws IOException {
    try (HeadSnapshotReader r =
        HeadSnapshotReader.open(dir.resolve(HeadSnapshotFormat.FILE_NAME))) {
      return Tsdb.openChunksTo(dir.resolve("wal"), r.walPosition(),
          OPTS.head().samplesPerChunk());
    }
  }

  /** Checks the prediction, then opens {@code dir} and checks what the open replayed. */
  private static void assertReplayPredicted(Path dir, boolean replays, String what) {
    assertThat(Tsdb.hasWalToReplay(dir)).as(what).isEqualTo(replays);
    try (Tsdb db = Tsdb.open(dir, OPTS)) {
      Tsdb.ReplayStats st = db.replayStats();
      assertThat(st.samples() + st.series() > 0).as(what + ": the open replayed the WAL")
          .isEqualTo(replays);
    }
  }

  @Test
  void anOpenThatReplayedTheWalMakesTheFirstSnapshotDueAtOnce() {
    HandClock clock = new HandClock();
    Path a = tmp.resolve("a");
    TsdbOptions crash = OPTS.withSnapshotOnShutdown(false);
    try (Tsdb db = Tsdb.open(a, crash, clock)) {
      round(db, 0, new Random(1));
    }
    try (Tsdb db = Tsdb.open(a, OPTS, clock)) {
      assertThat(db.replayStats().samples()).isPositive();
      assertThat(db.writeHeadSnapshotIfDue(60_000)).as("replayed the WAL").isEqualTo(SERIES);
      assertThat(db.writeHeadSnapshotIfDue(60_000)).as("then every interval").isZero();
    } // a clean close: its snapshot stands for the whole head
    try (Tsdb db = Tsdb.open(a, OPTS, clock)) {
      assertThat(db.replayStats().snapshotSeries()).isEqualTo(SERIES);
      assertThat(db.replayStats().samples()).isZero();
      assertThat(db.writeHeadSnapshotIfDue(60_000)).as("restored, nothing replayed").isZero();
    }
  }

  /**
   * Snapshots taken again and again while three threads commit: a crash image taken after the
   * last commit restores the newest snapshot, replays the WAL after it, and has every sample.
   */
  @Test
  void snapshotsTakenWhileThreadsCommitLoseNothing() throws Exception {
    Path a = tmp.resolve("a");
    int writers = 3;
    int perWriter = 10;
    int batches = 400;
    // The writers' clocks drift apart by up to their whole span (4,000 s): blocks long enough
    // that none falls more than half a block range behind the newest sample.
    TsdbOptions opts = SMALL_FILES.withBlockRangeMs(24 * 3_600_000L);
    try (Tsdb db = Tsdb.open(a, opts)) {
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger snapshots =
          new java.util.concurrent.atomic.AtomicInteger();
      Thread snapshotter = Thread.ofPlatform().start(() -> {
        while (!done.get()) {
          db.writeHeadSnapshot();
          snapshots.incrementAndGet();
        }
      });
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        threads.add(Thread.ofPlatform().start(() -> {
          for (int n = 0; n < batches; n++) {
            Appender app = db.appender();
            for (int s = 0; s < perWriter; s++) {
              app.append(0, Labels.of("__name__", "w", "writer", "" + writer, "s", "" + s),
                  n * STEP, n * 100 + s);
            }
            app.commit();
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      done.set(true);
      snapshotter.join();
      assertThat(snapshots.get()).isGreaterThan(1);
      Path crashed = tmp.resolve("crashed");
      copy(a, crashed);
      try (Tsdb restored = Tsdb.open(crashed, opts)) {
        assertThat(restored.replayStats().snapshotSeries()).isPositive();
        View v = view(restored);
        assertThat(v.samples()).hasSize(writers * perWriter);
        for (String line : v.samples()) {
          int s = Integer.parseInt(line.replaceAll(".*s=\"(\\d+)\".*", "$1"));
          StringBuilder expected = new StringBuilder(line.substring(0, line.indexOf(':') + 1));
          for (int n = 0; n < batches; n++) {
            expected.append(' ').append(n * STEP).append('=')
                .append(Long.toHexString(Double.doubleToRawLongBits(n * 100 + s)));
          }
          assertThat(line).isEqualTo(expected.toString());
        }
      }
    }
  }

  /**
   * Random histories (commits in and out of order, histograms, exemplars, metadata, deletes,
   * block cuts, snapshots at random points), then a crash: restoring the newest snapshot and
   * replaying the WAL after it gives what replaying the whole WAL gives, for every seed.
   */
  @Test
  void randomHistoriesRestoreAsTheWholeWalReplays() throws IOException {
    for (int seed = 0; seed < 16; seed++) {
      Random r = new Random(seed);
      Path a = tmp.resolve("random-" + seed);
      try (Tsdb db = Tsdb.open(a, SMALL_FILES)) {
        long t = 0;
        int snapshots = 0;
        boolean snapshotSinceCut = false;
        for (int step = 0; step < 160; step++) {
          int op = r.nextInt(100);
          if (op < 75) {
            randomCommit(db, r, t, Integer.toString(step));
            t += STEP;
          } else if (op < 85) {
            db.writeHeadSnapshot();
            snapshots++;
            snapshotSinceCut = true;
          } else if (op < 90) {
            long from = t - r.nextInt(20) * STEP;
            db.delete(from, from + r.nextInt(5) * STEP,
                List.of(Matcher.of(MatchType.EQUAL, "job", "j" + r.nextInt(3))));
          } else if (op < 93) {
            if (!db.cutBlocks().isEmpty()) {
              snapshotSinceCut = false; // the cut dropped it
            }
          } else {
            t += r.nextInt(3) * STEP;
          }
        }
        Path crashed = tmp.resolve("random-crashed-" + seed);
        copy(a, crashed);
        Path walOnly = walOnlyCopy(a, "random-wal-" + seed);
        try (Tsdb restored = Tsdb.open(crashed, SMALL_FILES);
            Tsdb replayed = Tsdb.open(walOnly, SMALL_FILES)) {
          String what = "seed " + seed + " (" + snapshots + " snapshots)";
          assertThat(replayed.replayStats().snapshotSeries()).as(what).isZero();
          assertThat(restored.replayStats().snapshotSeries() > 0).as(what + ": restored")
              .isEqualTo(snapshotSinceCut);
          // Exemplars from the last cut on: a checkpoint keeps only those (see view).
          long from = replayed.head().minValidTime();
          assertSameHead(view(restored, from), view(replayed, from), what);
        }
      }
    }
  }

  /**
   * Snapshots written while threads commit random histories to shared series (in and out of
   * order, histograms, exemplars, metadata): every commit during a snapshot changes series that
   * the snapshot's writer has or has not reached yet, and commits race on the same series (one
   * may find another's sample at the timestamp it brings, and drop its own). A crash image
   * restores the last such snapshot and replays the WAL after it; it holds what the running
   * head held, and so does replaying the whole WAL (with chunks taken over from the head chunk
   * files).
   */
  @Test
  void snapshotsWrittenWhileThreadsCommitRandomlyRestoreAsTheWholeWalReplays() throws Exception {
    for (int seed = 0; seed < 4; seed++) {
      Path a = tmp.resolve("concurrent-" + seed);
      int writers = 3;
      int steps = 300;
      java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicInteger progress =
          new java.util.concurrent.atomic.AtomicInteger();
      int snapshots = 0;
      View live;
      List<String> liveBuffers;
      try (Tsdb db = Tsdb.open(a, SMALL_FILES)) {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < writers; w++) {
          Random r = new Random(seed * 31L + w);
          String writer = "w" + w;
          threads.add(Thread.ofPlatform().start(() -> {
            try {
              for (int step = 0; step < steps; step++) {
                randomCommit(db, r, clock.addAndGet(STEP / 4), writer + "-" + step);
                progress.incrementAndGet();
              }
            } catch (Throwable e) {
              failures.add(e);
            }
          }));
        }
        // Snapshots until most commits are in, so the last one ran among commits and the WAL
        // after it holds commits made while it was written.
        while (progress.get() < writers * steps * 8 / 10) {
          db.writeHeadSnapshot();
          snapshots++;
        }
        for (Thread t : threads) {
          t.join();
        }
        assertThat(failures).isEmpty();
        // A crash now (the close would write a snapshot of its own).
        copy(a, tmp.resolve("concurrent-crashed-" + seed));
        live = view(db, Long.MIN_VALUE);
        liveBuffers = outOfOrderBuffers(db);
      }
      Path crashed = tmp.resolve("concurrent-crashed-" + seed);
      Path walOnly = walOnlyCopy(crashed, "concurrent-wal-" + seed);
      try (Tsdb restored = Tsdb.open(crashed, SMALL_FILES);
          Tsdb replayed = Tsdb.open(walOnly, SMALL_FILES)) {
        String what = "seed " + seed + " (" + snapshots + " snapshots)";
        assertThat(snapshots).as(what).isGreaterThan(1);
        assertThat(restored.replayStats().snapshotSeries()).as(what).isPositive();
        assertThat(restored.replayStats().samples()).as(what + ": replayed after it")
            .isPositive();
        assertThat(replayed.replayStats().snapshotSeries()).as(what).isZero();
        assertSameHead(view(restored, Long.MIN_VALUE), live, what + ": restored");
        assertSameHead(view(replayed, Long.MIN_VALUE), live, what + ": replayed");
        // Queries hide a sample held twice (the merge drops the repeat): the out-of-order
        // buffers show one, e.g. a sample committed after the capture point that the snapshot
        // holds as well as the WAL after it, or one a commit dropped that replay kept.
        compareLines(outOfOrderBuffers(restored), liveBuffers,
            what + ": restored out-of-order buffers");
        compareLines(outOfOrderBuffers(replayed), liveBuffers,
            what + ": replayed out-of-order buffers");
      }
    }
  }

  /** Per series, its labels and the timestamps in its out-of-order buffer. */
  private static List<String> outOfOrderBuffers(Tsdb db) {
    List<String> out = new ArrayList<>();
    try (Head.SnapshotCapture capture = db.head().beginSnapshotCapture()) {
      capture.takeAll(s -> out.add(s.labels() + " " + java.util.Arrays.toString(s.oooT())));
    }
    return out;
  }

  /**
   * One commit of up to 10 random appends to 14 shared series at {@code t}, some out of order
   * by up to 50 s, with exemplars and metadata tagged {@code tag}.
   */
  private static void randomCommit(Tsdb db, Random r, long t, String tag) {
    Appender app = db.appender();
    for (int k = 1 + r.nextInt(10); k > 0; k--) {
      int i = r.nextInt(14);
      Labels l = series(i);
      long ts = t - (r.nextInt(5) == 0 ? r.nextInt(50) * 1000L : 0);
      try {
        if (i % 5 == 0) {
          app.appendHistogram(0, l, ts, QueryableContract.histogramForTest(r.nextInt(9)));
        } else {
          app.append(0, l, ts, r.nextInt(4) == 0 ? r.nextInt(3) : r.nextGaussian());
        }
        if (r.nextInt(6) == 0) {
          app.appendExemplar(0, l, new Exemplar(Labels.of("trace_id", "x" + tag), k, ts));
        }
        if (r.nextInt(10) == 0) {
          app.updateMetadata(0, l, new Metadata(MetricType.GAUGE, "h" + tag, ""));
        }
      } catch (StorageException e) {
        // out of order beyond the window, or another rejected sample: not stored
      }
    }
    try {
      app.commit();
    } catch (StorageException e) {
      // a rejected batch stores nothing
    }
  }

  @Test
  void snapshotOlderThanABlockCutIsStale() throws IOException {
    Path a = tmp.resolve("a");
    Random rnd = new Random(42);
    Path old = tmp.resolve("old.snapshot");
    try (Tsdb db = Tsdb.open(a, OPTS.withSnapshotOnShutdown(false))) {
      for (int r = 0; r < 40; r++) {
        round(db, r, rnd);
      }
      db.writeHeadSnapshot();
      Files.copy(a.resolve(HeadSnapshotFormat.FILE_NAME), old);
      for (int r = 40; r < 75; r++) {
        round(db, r, rnd);
      }
      assertThat(db.cutBlocks()).isNotEmpty();
      assertThat(a.resolve(HeadSnapshotFormat.FILE_NAME)).doesNotExist(); // the cut dropped it
    }
    View expected;
    try (Tsdb db = Tsdb.open(walOnlyCopy(a, "b"), OPTS)) {
      expected = view(db);
    }
    Files.copy(old, a.resolve(HeadSnapshotFormat.FILE_NAME));
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isZero();
      assertSameHead(view(db), expected, "stale snapshot ignored");
    }
  }

  @Test
  void snapshotWhoseSegmentChangedIsStale() throws IOException {
    Path a = written();
    Path last;
    try (Stream<Path> segs = Files.list(a.resolve("wal"))) {
      last = segs.filter(p -> p.getFileName().toString().matches("\\d{8}"))
          .max(Comparator.naturalOrder()).orElseThrow();
    }
    View expected;
    try (Tsdb db = Tsdb.open(walOnlyCopy(a, "b"), OPTS)) {
      expected = view(db);
    }
    try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
      f.setLength(f.length() + 16); // zero padding, which the WAL reader takes as its end
    }
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isZero();
      assertSameHead(view(db), expected, "segment changed");
    }
  }

  @Test
  void damagedOrTruncatedSnapshotIsQuarantinedAndTheWalReplayed() throws IOException {
    Path a = written();
    View expected;
    Path b = walOnlyCopy(a, "b");
    try (Tsdb db = Tsdb.open(b, OPTS.withSnapshotOnShutdown(false))) {
      expected = view(db);
    }
    Path snap = a.resolve(HeadSnapshotFormat.FILE_NAME);
    long size = Files.size(snap);
    for (long cut : new long[] {size / 2, size - 1, 5}) {
      Path c = tmp.resolve("cut-" + cut);
      copy(a, c);
      try (RandomAccessFile f = new RandomAccessFile(c.resolve(HeadSnapshotFormat.FILE_NAME)
          .toFile(), "rw")) {
        f.setLength(cut);
      }
      try (Tsdb db = Tsdb.open(c, OPTS.withSnapshotOnShutdown(false))) {
        assertThat(db.replayStats().snapshotSeries()).as("cut at %d", cut).isZero();
        assertSameHead(view(db), expected, "cut at " + cut);
      }
      assertThat(c.resolve("quarantine").resolve(HeadSnapshotFormat.FILE_NAME)).exists();
    }
    for (long at : new long[] {3, 40, size / 3, size - 3}) {
      Path c = tmp.resolve("flip-" + at);
      copy(a, c);
      try (RandomAccessFile f = new RandomAccessFile(c.resolve(HeadSnapshotFormat.FILE_NAME)
          .toFile(), "rw")) {
        f.seek(at);
        int x = f.read();
        f.seek(at);
        f.write(x ^ 0x10);
      }
      try (Tsdb db = Tsdb.open(c, OPTS.withSnapshotOnShutdown(false))) {
        assertThat(db.replayStats().snapshotSeries()).as("flip at %d", at).isZero();
        assertSameHead(view(db), expected, "flip at " + at);
      }
    }
  }

  @Test
  void snapshotNotMatchingTheHeadChunkFilesIsSetAside() throws IOException {
    Path a = written();
    View expected;
    try (Tsdb db = Tsdb.open(walOnlyCopy(a, "b"), OPTS)) {
      expected = view(db);
    }
    // Without the head chunk files the snapshot's series lack their closed chunks.
    try (Stream<Path> files = Files.list(a.resolve("chunks_head"))) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isZero();
      assertThat(db.replayStats().headChunks()).isZero();
      assertSameView(view(db), expected, "without head chunk files");
    }
  }

  @Test
  void leftoverTemporaryFileOfAnInterruptedWriteIsIgnored() throws IOException {
    Path a = written();
    Files.move(a.resolve(HeadSnapshotFormat.FILE_NAME), a.resolve(HeadSnapshotFormat.TMP_NAME));
    try (Tsdb db = Tsdb.open(a, OPTS.withSnapshotOnShutdown(false))) {
      assertThat(db.replayStats().snapshotSeries()).isZero();
      assertThat(db.replayStats().samples()).isPositive();
    }
    assertThat(a.resolve(HeadSnapshotFormat.TMP_NAME)).doesNotExist();
  }

  @Test
  void emptyDatabaseRoundTrips() {
    Path a = tmp.resolve("empty");
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.head().numSeries()).isZero();
    }
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.head().numSeries()).isZero();
      assertThat(db.head().maxTime()).isEqualTo(Long.MIN_VALUE);
      Appender app = db.appender();
      app.append(0, series(1), 5, 1);
      app.commit();
    }
    try (Tsdb db = Tsdb.open(a, OPTS)) {
      assertThat(db.replayStats().snapshotSeries()).isEqualTo(1);
      assertThat(db.head().maxTime()).isEqualTo(5);
    }
  }
}
