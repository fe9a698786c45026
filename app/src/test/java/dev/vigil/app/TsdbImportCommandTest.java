package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.rules.manager.EvalSlots;
import dev.vigil.server.api.BuildInfo;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbImportCommandTest {
  @TempDir
  Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  private static final long HOUR = 3_600_000L;

  /** A counter and a gauge every minute for 5 h from 2026-01-01T00:00Z, OpenMetrics seconds. */
  private Path openMetricsFile() throws IOException {
    long start = 1_767_225_600_000L;
    StringBuilder sb = new StringBuilder();
    sb.append("# TYPE http_requests counter\n");
    for (long t = start; t < start + 5 * HOUR; t += 60_000) {
      sb.append(String.format(Locale.ROOT, "http_requests_total{code=\"200\",job=\"api\"} %d %d.%03d%n",
          (t - start) / 1000, t / 1000, t % 1000));
    }
    sb.append("# TYPE temperature gauge\n");
    for (long t = start; t < start + 5 * HOUR; t += 60_000) {
      sb.append(String.format(Locale.ROOT, "temperature{room=\"a\"} %s %d%n",
          Double.toString(20 + (t - start) / (double) HOUR), t / 1000));
    }
    sb.append("# EOF\n");
    Path f = tmp.resolve("in.om");
    Files.writeString(f, sb);
    return f;
  }

  private static List<String> samples(Tsdb db, String name) {
    List<String> out = new ArrayList<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.equal("__name__", name)));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          out.add(set.at().labels() + " " + it.atT() + " " + it.atF());
        }
      }
    }
    return out;
  }

  @Test
  void importsIntoAlignedBlocksThatTheDatabaseServesAfterwards() throws IOException {
    Path f = openMetricsFile();
    Path data = tmp.resolve("data");
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // 00:00-02:00, 02:00-04:00, 04:00-04:59 (the last block ends after the newest sample).
    assertThat(r.out()).contains("imported 600 samples into 3 blocks of tenant anonymous");
    assertThat(r.err()).isEqualTo("note: data from 2026-01-01T00:00:00Z is older than the"
        + " server's default retention (--storage.tsdb.retention.time, 15d): a server with it"
        + " deletes those blocks at its next maintenance pass\n");
    try (Tsdb db = Tsdb.open(data.resolve("tenants/anonymous"), TsdbOptions.defaults())) {
      assertThat(db.blocks()).hasSize(3);
      assertThat(db.blocks().get(0).meta().maxTime() - db.blocks().get(0).meta().minTime())
          .isEqualTo(2 * HOUR);
      List<String> counter = samples(db, "http_requests_total");
      assertThat(counter).hasSize(300);
      assertThat(counter.get(0)).isEqualTo(
          Labels.of("__name__", "http_requests_total", "code", "200", "job", "api")
              + " 1767225600000 0.0");
      assertThat(counter.get(299)).endsWith(" " + (1_767_225_600_000L + 299 * 60_000L) + " 17940.0");
      List<String> gauge = samples(db, "temperature");
      assertThat(gauge).hasSize(300);
      assertThat(gauge.get(90)).endsWith(" 21.5");
      // The head still takes new data after the imported range.
      Appender a = db.appender();
      a.append(0, Labels.of("__name__", "temperature", "room", "a"), 1_767_225_600_000L + 6 * HOUR, 1);
      a.commit();
    }
  }

  @Test
  void importsBesideARunningServerThatTakesTheBlocksUp() throws IOException {
    Path data = tmp.resolve("data");
    try (Tsdb live = Tsdb.open(data.resolve("tenants/anonymous"), TsdbOptions.defaults())) {
      Appender app = live.appender();
      app.append(0, Labels.of("__name__", "up"), 1_767_225_600_000L + 10 * HOUR, 1);
      app.commit();
      CliRun r = run("tsdb", "import", "openmetrics", openMetricsFile().toString(),
          "--data-dir", data.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("imported 600 samples into 3 blocks")
          .contains("takes them up at its next maintenance pass");
      assertThat(samples(live, "temperature")).isEmpty();
      assertThat(live.loadNewBlocks()).isEqualTo(3);
      assertThat(samples(live, "temperature")).hasSize(300);
    }
  }

  private static final String BACKFILL_RULES = """
      groups:
        - name: g1
          rules:
            - record: code:req:rate1m
              expr: sum by (code) (rate(req_total[1m]))
            - record: g:doubled
              expr: g * 2
              labels: {src: rule}
        - name: g2
          interval: 30s
          rules:
            - record: lat:p90
              expr: histogram_quantile(0.9, sum by (le) (rate(lat_bucket[2m])))
            - alert: NotRecorded
              expr: g > 0
      """;

  /**
   * The differential file's data in a running Vigil server; {@code promtool tsdb
   * create-blocks-from rules} (Debian's Prometheus 2.42, installed by CI) reads it through the
   * server's query API, {@code vigil tsdb import rules} reads it beside the server: the recorded
   * samples are the same, byte for byte as {@code tsdb dump} prints them. Evaluations fall 1.5 s
   * after the scrapes, so no sample sits on a window's edge (Prometheus 2.42 windows include
   * their start, Vigil's, as Prometheus 3's, do not).
   */
  @Test
  void recordsWhatPromtoolRecordsFromTheSameRules() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool (Debian package prometheus) is not installed");
    Path data = tmp.resolve("data");
    assertThat(run("tsdb", "import", "openmetrics", differentialFile(tmp).toString(),
        "--data-dir", data.toString()).code()).isZero();
    Path rules = tmp.resolve("rules.yaml");
    Files.writeString(rules, BACKFILL_RULES);
    String start = "1767225601.5";
    String end = "1767231600";
    ServerConfig config = ServerConfig.defaults(data).withListen("127.0.0.1", 0)
        .withMultitenancy(false, "anonymous");
    try (VigilServer server = VigilServer.start(config,
        new BuildInfo("test", "", "", "", true, false))) {
      Path promOut = tmp.resolve("prom");
      Process p = new ProcessBuilder("/usr/bin/promtool", "tsdb", "create-blocks-from", "rules",
          "--url", "http://127.0.0.1:" + server.port(), "--start", start, "--end", end,
          "--output-dir", promOut.toString(), rules.toString()).redirectErrorStream(true).start();
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(log).isZero();
      Files.createDirectories(promOut.resolve("wal"));
      // Prometheus 2.42's promtool also records alerting rules' expressions (under the alert's
      // name, at odd times), which its help says it does not: only the recording rules count.
      String recorded = "{__name__=~\"code:req:rate1m|g:doubled|lat:p90\"}";
      p = new ProcessBuilder("/usr/bin/promtool", "tsdb", "dump", "--match", recorded,
          promOut.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String prom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).isZero();

      CliRun r = run("tsdb", "import", "rules", "--start", start, "--end", end, "--data-dir",
          data.toString(), rules.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("rule code:req:rate1m (group g1 of " + rules + "): ")
          .doesNotContain("NotRecorded").contains("takes the blocks up");
      CliRun vigil = run("tsdb", "dump", data.toString(), "--match", recorded);
      // About 100 minutes at 60 s (two codes), 60 s and 30 s; the slots move with the file name.
      assertThat(prom.lines().count()).isBetween(490L, 505L);
      assertThat(prom).contains("{__name__=\"code:req:rate1m\", code=\"201\"} ")
          .contains("{__name__=\"g:doubled\", node=\"n\u00e9\", src=\"rule\"} ")
          .contains("{__name__=\"lat:p90\"} ");
      assertThat(vigil.out()).isEqualTo(prom);
    }
  }

  /**
   * Unlike promtool's, a rule reads what an earlier rule of the same run recorded: with the
   * database closed, and beside a server that has it open.
   */
  @Test
  void laterRulesReadWhatEarlierRulesRecorded() throws IOException {
    chainedRules(tmp.resolve("closed"), false);
    chainedRules(tmp.resolve("beside"), true);
  }

  private void chainedRules(Path data, boolean beside) throws IOException {
    assertThat(run("tsdb", "import", "openmetrics", openMetricsFile().toString(),
        "--data-dir", data.toString()).code()).isZero();
    try (Tsdb server = beside
        ? Tsdb.open(data.resolve("tenants/anonymous"), TsdbOptions.defaults()) : null) {
      chainedRulesRun(data);
    }
  }

  private void chainedRulesRun(Path data) throws IOException {
    Path rules = tmp.resolve("chain.yaml");
    Files.writeString(rules, """
        groups:
          - name: chain
            rules:
              - record: room:temperature:max
                expr: max(temperature)
              - record: room:temperature:max_doubled
                expr: room:temperature:max * 2
        """);
    CliRun r = run("tsdb", "import", "rules", "--start", "2026-01-01T00:00:00Z", "--end",
        "2026-01-01T05:00:00Z", "--data-dir", data.toString(), rules.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // One sample a minute over 5 h, in the group's slot of the minute, which the file's
    // (temporary) path moves: as promtool, no window evaluates a slot in the last second before
    // a block boundary (2 h and 4 h here), and a slot at :00 also falls on the range's end.
    long slotNs = Long.remainderUnsigned(EvalSlots.groupHash(rules.toString(), "chain"),
        60_000_000_000L);
    long expected = slotNs > 59_000_000_000L ? 298 : slotNs < 500_000 ? 301 : 300;
    assertThat(r.out()).contains("rule room:temperature:max (group chain of " + rules
        + "): " + expected + " samples in 3 blocks").contains(
        "rule room:temperature:max_doubled (group chain of " + rules + "): " + expected
        + " samples");
    List<String> max = run("tsdb", "dump", data.toString(), "--match",
        "room:temperature:max").out().lines().toList();
    List<String> doubled = run("tsdb", "dump", data.toString(), "--match",
        "room:temperature:max_doubled").out().lines().toList();
    assertThat(doubled).hasSize((int) expected);
    for (int i = 0; i < max.size(); i++) {
      String[] m = max.get(i).split(" ");
      String[] d = doubled.get(i).split(" ");
      assertThat(d[2]).isEqualTo(m[2]);
      assertThat(Double.parseDouble(d[1])).isEqualTo(2 * Double.parseDouble(m[1]));
    }
  }

  @Test
  void recentDataNeedsNoRetentionNote() throws IOException {
    long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
    Path f = tmp.resolve("recent.om");
    Files.writeString(f, "# TYPE m gauge\nm 1 " + dayAgo + "\n# EOF\n");
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir",
        tmp.resolve("data").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void badRulesAndRangesAreReported() throws IOException {
    Path data = tmp.resolve("data");
    Path rules = tmp.resolve("bad.yaml");
    Files.writeString(rules, "groups:\n  - name: g\n    rules:\n      - record: x\n"
        + "        expr: sum(\n");
    CliRun noDb = run("tsdb", "import", "rules", "--start", "0", "--data-dir", data.toString(),
        rules.toString());
    assertThat(noDb.code()).isEqualTo(1);
    assertThat(noDb.err()).startsWith("error: " + rules + ": 5:15: group \"g\", rule 1");
    Files.writeString(rules, "groups:\n  - name: g\n    rules:\n      - record: x\n"
        + "        expr: up\n");
    assertThat(run("tsdb", "import", "rules", "--start", "0", "--data-dir", data.toString(),
        rules.toString()).err()).contains("tenant anonymous has no database in " + data);
    assertThat(run("tsdb", "import", "openmetrics", openMetricsFile().toString(),
        "--data-dir", data.toString()).code()).isZero();
    assertThat(run("tsdb", "import", "rules", "--start", "yesterday", "--data-dir",
        data.toString(), rules.toString()).err())
        .contains("--start: not an RFC 3339 time or Unix seconds");
    assertThat(run("tsdb", "import", "rules", "--start", "2000", "--end", "1000",
        "--data-dir", data.toString(), rules.toString()).err())
        .contains("--start 2000 is after the end 1970-01-01T00:16:40Z");
  }

  /**
   * The same file through {@code promtool tsdb create-blocks-from openmetrics} (Debian's
   * Prometheus 2.42, installed by CI) and through Vigil: {@code promtool tsdb dump} of its blocks
   * and Vigil's stored samples agree on every series, timestamp and value bit.
   */
  @Test
  void storesWhatPromtoolStoresFromTheSameFile() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool (Debian package prometheus) is not installed");
    Path f = differentialFile(tmp);

    Path promOut = tmp.resolve("prom");
    Process p = new ProcessBuilder("/usr/bin/promtool", "tsdb", "create-blocks-from",
        "openmetrics", f.toString(), promOut.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(log).isZero();
    Files.createDirectories(promOut.resolve("wal"));
    p = new ProcessBuilder("/usr/bin/promtool", "tsdb", "dump", promOut.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    List<String> promSamples = new String(p.getInputStream().readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
        .map(TsdbImportCommandTest::promtoolSample).sorted().toList();
    assertThat(p.waitFor()).isZero();

    Path data = tmp.resolve("data");
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> vigilSamples = new ArrayList<>();
    try (Tsdb db = Tsdb.open(data.resolve("tenants/anonymous"), TsdbOptions.defaults());
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          vigilSamples.add(sample(set.at().labels().toString(), it.atT(), it.atF()));
        }
      }
    }
    assertThat(promSamples).hasSize(400 * 7);
    assertThat(vigilSamples.stream().sorted().toList()).isEqualTo(promSamples);
  }

  /** A sample as "labels timestamp value-bits" (NaNs canonical), whoever printed it. */
  private static String sample(String labels, long t, double v) {
    return labels + " " + t + " " + Double.doubleToLongBits(v);
  }

  /**
   * 400 scrapes of a counter with a quote in a label value, a gauge with NaN, infinities, -0 and
   * tiny values and a UTF-8 label value, and a classic histogram, some at odd milliseconds:
   * 2,800 samples as OpenMetrics text.
   */
  static Path differentialFile(Path tmp) throws IOException {
    long start = 1_767_225_600_000L;
    StringBuilder sb = new StringBuilder();
    sb.append("# TYPE req counter\n# TYPE lat histogram\n# TYPE g gauge\n");
    java.util.Random rnd = new java.util.Random(7);
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
        1e-300, 123456789.123, 0.1};
    for (int i = 0; i < 400; i++) {
      long t = start + i * 15_000L + (i % 3) * 7; // some milliseconds
      String ts = String.format(Locale.ROOT, "%d.%03d", t / 1000, t % 1000);
      sb.append("req_total{path=\"/a\\\"b\",code=\"").append(200 + i % 2).append("\"} ")
          .append(i * 3).append(' ').append(ts).append('\n');
      double g = i % 50 == 0 ? specials[(i / 50) % specials.length] : rnd.nextGaussian() * 100;
      String gs = Double.isNaN(g) ? "NaN" : Double.isInfinite(g) ? (g > 0 ? "+Inf" : "-Inf")
          : Double.toString(g);
      sb.append("g{node=\"n\u00e9\"} ").append(gs).append(' ').append(ts).append('\n');
      for (String le : new String[] {"0.1", "1", "+Inf"}) {
        sb.append("lat_bucket{le=\"").append(le).append("\"} ").append(i + le.length())
            .append(' ').append(ts).append('\n');
      }
      sb.append("lat_count ").append(i + 4).append(' ').append(ts).append('\n');
      sb.append("lat_sum ").append(i * 0.25).append(' ').append(ts).append('\n');
    }
    sb.append("# EOF\n");
    Path f = tmp.resolve("diff.om");
    Files.writeString(f, sb);
    return f;
  }

  /** A line of {@code promtool tsdb dump}: labels, value (Go's %g), timestamp. */
  private static String promtoolSample(String line) {
    int ts = line.lastIndexOf(' ');
    int val = line.lastIndexOf(' ', ts - 1);
    String v = line.substring(val + 1, ts);
    double d = switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(v);
    };
    return sample(line.substring(0, val), Long.parseLong(line.substring(ts + 1)), d);
  }

  /**
   * The file is read in pieces cut at line boundaries (it may be larger than an array): cut
   * anywhere, even inside a line longer than the piece, the same samples arrive, histogram
   * buckets keep their type's {@code le} normalisation, and errors keep their line numbers.
   */
  @Test
  void piecesCutAnywhereImportTheSameSamples() throws IOException {
    StringBuilder sb = new StringBuilder(Files.readString(openMetricsFile()));
    sb.setLength(sb.length() - "# EOF\n".length());
    sb.append("# TYPE latency histogram\n");
    for (int i = 0; i < 30; i++) {
      long t = 1_767_225_600L + i * 60;
      for (String le : new String[] {"1", "2.5", "+Inf"}) {
        sb.append("latency_bucket{le=\"").append(le).append("\"} ").append(i).append(' ')
            .append(t).append('\n');
      }
      sb.append("latency_count ").append(i).append(' ').append(t).append('\n');
      sb.append("latency_sum ").append(i * 2).append(' ').append(t).append('\n');
    }
    sb.append("# EOF\n");
    Path f = tmp.resolve("big.om");
    Files.writeString(f, sb);
    List<List<String>> imported = new ArrayList<>();
    for (String piece : new String[] {"67108864", "1000", "97", "20"}) {
      Path data = tmp.resolve("data-" + piece);
      CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString(),
          "--piece-bytes", piece);
      assertThat(r.code()).as(r.err()).isZero();
      try (Tsdb db = Tsdb.open(data.resolve("tenants/anonymous"), TsdbOptions.defaults())) {
        List<String> all = new ArrayList<>(samples(db, "http_requests_total"));
        all.addAll(samples(db, "temperature"));
        all.addAll(samples(db, "latency_bucket"));
        all.addAll(samples(db, "latency_sum"));
        imported.add(all);
      }
    }
    assertThat(imported.getFirst()).hasSize(2 * 300 + 3 * 30 + 30) // buckets, sums
        .anyMatch(s -> s.contains("le=\"1.0\""));
    assertThat(imported).allSatisfy(l -> assertThat(l).isEqualTo(imported.getFirst()));

    String[] lines = sb.toString().split("\n");
    lines[400] = "temperature{room=\"a\"} oops 1767225600";
    Path bad = tmp.resolve("bad.om");
    Files.writeString(bad, String.join("\n", lines) + "\n");
    CliRun r = run("tsdb", "import", "openmetrics", bad.toString(), "--data-dir",
        tmp.resolve("bad").toString(), "--piece-bytes", "100");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: " + bad + ":401:");
  }

  @Test
  void theEofLineMustEndTheFileAcrossPieces() throws IOException {
    Path after = tmp.resolve("after.om");
    Files.writeString(after, "a 1 100\n# EOF\nb 2 200\n");
    Path missing = tmp.resolve("missing.om");
    Files.writeString(missing, "a 1 100\nb 2 200\n");
    for (String piece : new String[] {"67108864", "8", "16"}) {
      CliRun r = run("tsdb", "import", "openmetrics", after.toString(), "--data-dir",
          tmp.resolve("d1").toString(), "--piece-bytes", piece);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).as("piece " + piece).contains("after.om:").contains("after # EOF");
      r = run("tsdb", "import", "openmetrics", missing.toString(), "--data-dir",
          tmp.resolve("d2").toString(), "--piece-bytes", piece);
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).as("piece " + piece).contains("missing.om:").contains("does not end with # EOF");
    }
    assertThat(tmp.resolve("d1")).doesNotExist();
    assertThat(tmp.resolve("d2")).doesNotExist();
  }

  @Test
  void aSampleWithoutTimestampFailsWithItsLineAndWritesNothing() throws IOException {
    Path f = tmp.resolve("bad.om");
    Files.writeString(f, "a 1 100\nb{x=\"y\"} 2\nc 3 300\n# EOF\n");
    Path data = tmp.resolve("data");
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("bad.om:2: sample {__name__=\"b\", x=\"y\"} has no timestamp");
    assertThat(data).doesNotExist();
  }

  @Test
  void aSyntaxErrorNamesFileLineAndColumnAndWritesNothing() throws IOException {
    Path f = tmp.resolve("broken.om");
    Files.writeString(f, "a 1 100\nb{x=y} 2 200\n# EOF\n");
    Path data = tmp.resolve("data");
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: " + f + ":2:");
    assertThat(data).doesNotExist();
  }

  @Test
  void dataReachingIntoTheHeadIsRefused() throws IOException {
    Path f = openMetricsFile();
    Path data = tmp.resolve("data");
    try (Tsdb db = Tsdb.open(data.resolve("tenants/t1"), TsdbOptions.defaults())) {
      Appender a = db.appender();
      a.append(0, Labels.of("__name__", "up"), 1_767_225_600_000L + HOUR, 1);
      a.commit();
    }
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString(),
        "--tenant", "t1");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("reach into the head").contains("backfill only data older");
    try (Tsdb db = Tsdb.open(data.resolve("tenants/t1"), TsdbOptions.defaults())) {
      assertThat(db.blocks()).isEmpty();
    }
  }

  @Test
  void badOptionsAreReported() throws IOException {
    Path f = openMetricsFile();
    CliRun r = run("tsdb", "import", "openmetrics", f.toString(), "--data-dir",
        tmp.resolve("d").toString(), "--block-duration", "2x");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("--block-duration");
    r = run("tsdb", "import", "openmetrics", tmp.resolve("missing.om").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot read").contains("missing.om");
  }
}
