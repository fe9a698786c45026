package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.HeadOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database directory written by format version 1 of everything (WAL segments with series,
 * sample, histogram and tombstone records, checkpoint, block with index, chunks, meta.json and
 * tombstones) is committed under {@code testdata/v1/db}; it must stay
 * readable, with the same answers, while v1 is supported. Regenerate (and review the diff) with
 * {@code -Dvigil.updateGolden=true}.
 */
class FormatFixturesTest {
  private static final Path FIXTURE = Path.of("src/test/resources/dev/vigil/tsdb/testdata/v1");

  @TempDir
  Path tmp;

  private static void generate(Path dir) {
    TsdbOptions opts = TsdbOptions.defaults().withBlockRangeMs(1000);
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);
    try (Tsdb db = Tsdb.open(dir, opts, clock)) {
      for (int t = 0; t < 2600; t += 100) {
        Appender a = db.appender();
        a.append(0, Labels.of("__name__", "up", "job", "api"), t, t % 300 == 0 ? StaleNaN.VALUE : 1);
        a.append(0, Labels.of("__name__", "requests_total", "job", "api", "code", "200"), t, t * 1.5);
        if (t % 500 == 0) {
          a.appendHistogram(0, Labels.of("__name__", "latency", "job", "api"), t,
              QueryableContract.histogramForTest(t));
        }
        a.commit();
      }
      db.cutBlocks();
      Appender a = db.appender();
      a.append(0, Labels.of("__name__", "up", "job", "db"), 2600, 0);
      a.commit();
      // A tombstones file in the block and a tombstone record in the WAL.
      db.delete(800, 1200, List.of(Matcher.equal("__name__", "requests_total")));
    }
  }

  private static String answers(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      List<String> series = QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(MatchType.REGEX, "job", ".+"))));
      return String.join("\n", series) + "\nnames " + q.labelNames(List.of()) + "\njobs "
          + q.labelValues("job", List.of()) + "\nblocks " + db.blocks().size() + "\n";
    }
  }

  @Test
  void version1DirectoryStaysReadable() throws IOException {
    Path db = FIXTURE.resolve("db");
    Path expected = FIXTURE.resolve("expected.txt");
    if (Boolean.getBoolean("vigil.updateGolden")) {
      regenerate(db, FormatFixturesTest::generate);
      try (Tsdb opened = Tsdb.open(copy(db), TsdbOptions.defaults().withBlockRangeMs(1000))) {
        Files.writeString(expected, answers(opened), StandardCharsets.UTF_8);
      }
    }
    try (Tsdb opened = Tsdb.open(copy(db), TsdbOptions.defaults().withBlockRangeMs(1000))) {
      assertThat(opened.blocks()).isNotEmpty();
      assertThat(opened.replayStats().corruption()).isNull();
      assertThat(answers(opened)).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }
  }

  private static final Path SNAPSHOT_FIXTURE =
      Path.of("src/test/resources/dev/vigil/tsdb/testdata/snapshot-v3");

  private static TsdbOptions snapshotOptions() {
    return TsdbOptions.defaults().withSnapshotOnShutdown(true).withHeadChunkFileSize(1 << 16)
        .withHead(HeadOptions.defaults().withOutOfOrderWindowMs(10_000).withMaxExemplars(100));
  }

  /**
   * A head with what a snapshot holds: series sharing label names and values, a closed chunk
   * in {@code chunks_head/} and an open one, an open histogram chunk, out-of-order samples, a
   * deleted range, metadata and exemplars; closed, so that it ends in a head snapshot.
   */
  private static void generateSnapshot(Path dir) {
    Clock clock = Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC);
    try (Tsdb db = Tsdb.open(dir, snapshotOptions(), clock)) {
      for (int t = 0; t < 150_000; t += 1000) {
        Appender a = db.appender();
        for (int pod = 0; pod < 3; pod++) {
          Labels l = Labels.of("__name__", "container_cpu_usage_seconds_total", "namespace",
              "kube-system", "pod", "coredns-" + pod, "container", "coredns");
          a.append(0, l, t, t / 1000.0 * (pod + 1));
          if (t % 50_000 == 0) {
            a.appendExemplar(0, l, new dev.vigil.model.exemplar.Exemplar(
                Labels.of("trace_id", "t" + t + "p" + pod), t / 1000.0, t));
          }
          if (t == 0) {
            a.updateMetadata(0, l, new dev.vigil.model.metadata.Metadata(
                dev.vigil.model.metadata.MetricType.COUNTER, "CPU time consumed, in seconds.",
                "seconds"));
          }
        }
        if (t % 10_000 == 0) {
          a.appendHistogram(0, Labels.of("__name__", "latency", "namespace", "kube-system"), t,
              QueryableContract.histogramForTest(t));
        }
        a.commit();
      }
      Appender a = db.appender();
      a.append(0, Labels.of("__name__", "container_cpu_usage_seconds_total", "namespace",
          "kube-system", "pod", "coredns-0", "container", "coredns"), 145_500, -1);
      a.commit();
      db.delete(20_000, 30_000, List.of(Matcher.equal("pod", "coredns-1")));
    }
  }

  private static String snapshotAnswers(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      List<String> series = QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.equal("namespace", "kube-system"))));
      return String.join("\n", series) + "\nexemplars "
          + db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE,
              List.of(List.of(Matcher.equal("namespace", "kube-system"))))
          + "\nmetadata " + db.head().seriesMetadata(List.of(Matcher.equal("pod", "coredns-2")))
          + "\n";
    }
  }

  @Test
  void headSnapshotVersion3StaysReadable() throws IOException {
    Path db = SNAPSHOT_FIXTURE.resolve("db");
    Path expected = SNAPSHOT_FIXTURE.resolve("expected.txt");
    if (Boolean.getBoolean("vigil.updateGolden")) {
      regenerate(db, FormatFixturesTest::generateSnapshot);
      // The answers come from the WAL alone (the snapshot moved aside), so a snapshot reader
      // that restored something else would not agree with them.
      Path walOnly = copy(db);
      Files.delete(walOnly.resolve("head.snapshot"));
      try (Tsdb opened = Tsdb.open(walOnly, snapshotOptions())) {
        assertThat(opened.replayStats().snapshotSeries()).isZero();
        Files.writeString(expected, snapshotAnswers(opened), StandardCharsets.UTF_8);
      }
    }
    assertThat(Files.readAllBytes(db.resolve("head.snapshot"))[4]).as("format version").isEqualTo((byte) 3);
    try (Tsdb opened = Tsdb.open(copy(db), snapshotOptions())) {
      assertThat(opened.replayStats().snapshotSeries()).as("series restored from the snapshot")
          .isEqualTo(4);
      assertThat(opened.replayStats().corruption()).isNull();
      assertThat(snapshotAnswers(opened))
          .isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }
  }

  /** Writes fixture {@code db} anew with {@code generator} (-Dvigil.updateGolden=true). */
  private static void regenerate(Path db, java.util.function.Consumer<Path> generator)
      throws IOException {
    if (Files.exists(db)) {
      try (Stream<Path> w = Files.walk(db)) {
        for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    generator.accept(db);
    Files.deleteIfExists(db.resolve("lock"));
  }

  /** Opening writes (lock file, a new WAL segment): never touch the committed fixture. */
  private Path copy(Path src) throws IOException {
    return TestDirectories.copyTree(src, tmp.resolve("copy" + System.nanoTime()));
  }

}
