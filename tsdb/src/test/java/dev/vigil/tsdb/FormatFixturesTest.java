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
      if (Files.exists(db)) {
        try (Stream<Path> w = Files.walk(db)) {
          for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      generate(db);
      Files.deleteIfExists(db.resolve("lock"));
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

  /** Opening writes (lock file, a new WAL segment): never touch the committed fixture. */
  private Path copy(Path src) throws IOException {
    return TestDirectories.copyTree(src, tmp.resolve("copy" + System.nanoTime()));
  }

}
