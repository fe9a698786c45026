package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbDumpCommandTest {
  @TempDir
  Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /**
   * The differential file of {@link TsdbImportCommandTest} through {@code promtool tsdb
   * create-blocks-from openmetrics} and {@code promtool tsdb dump} (Debian's Prometheus 2.42,
   * installed by CI), and through {@code vigil tsdb import openmetrics} and {@code vigil tsdb
   * dump}: the same text, byte for byte (series order, label quoting, Go's %g for values).
   */
  @Test
  void printsWhatPromtoolPrintsForTheSameData() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")),
        "promtool (Debian package prometheus) is not installed");
    Path f = TsdbImportCommandTest.differentialFile(tmp);
    Path promOut = tmp.resolve("prom");
    Process p = new ProcessBuilder("/usr/bin/promtool", "tsdb", "create-blocks-from",
        "openmetrics", f.toString(), promOut.toString()).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(log).isZero();
    Files.createDirectories(promOut.resolve("wal"));
    p = new ProcessBuilder("/usr/bin/promtool", "tsdb", "dump", promOut.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String prom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();

    Path data = tmp.resolve("data");
    assertThat(run("tsdb", "import", "openmetrics", f.toString(), "--data-dir", data.toString())
        .code()).isZero();
    CliRun vigil = run("tsdb", "dump", data.toString());
    assertThat(vigil.code()).as(vigil.err()).isZero();
    assertThat(prom.lines().count()).isEqualTo(2800);
    assertThat(vigil.out()).isEqualTo(prom);

    // A range inside the blocks' chunks, and a selector.
    String[] range = {"--min-time", "1767226000007", "--max-time", "1767228000000", "--match",
        "{__name__=~\"g|req_total\",code!=\"201\"}"};
    List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/promtool", "tsdb", "dump"));
    cmd.addAll(List.of(range));
    cmd.add(promOut.toString());
    p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String promRange = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    List<String> args = new java.util.ArrayList<>(List.of("tsdb", "dump", data.toString()));
    args.addAll(List.of(range));
    CliRun vigilRange = run(args.toArray(String[]::new));
    assertThat(promRange.lines().count()).isEqualTo(199);
    assertThat(vigilRange.out()).isEqualTo(promRange);
  }

  /** OpenMetrics out, imported into another directory and dumped again: the same samples. */
  @Test
  void openMetricsOutputImportsBackToTheSameSamples() throws Exception {
    Path data = tmp.resolve("data");
    assertThat(run("tsdb", "import", "openmetrics",
        TsdbImportCommandTest.differentialFile(tmp).toString(), "--data-dir", data.toString())
        .code()).isZero();
    CliRun om = run("tsdb", "dump", data.toString(), "--format", "openmetrics");
    assertThat(om.code()).as(om.err()).isZero();
    assertThat(om.out()).endsWith("# EOF\n").contains("g{node=\"n\u00e9\"} NaN ");
    Path file = tmp.resolve("dump.om");
    Files.writeString(file, om.out());
    Path again = tmp.resolve("again");
    CliRun imported = run("tsdb", "import", "openmetrics", file.toString(), "--data-dir",
        again.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(run("tsdb", "dump", again.toString()).out())
        .isEqualTo(run("tsdb", "dump", data.toString()).out()).hasLineCount(2800);
  }

  /** Escapes and UTF-8 names survive the OpenMetrics round trip. */
  @Test
  void oddNamesAndValuesImportBack() {
    Path dir = tmp.resolve("db");
    Labels[] series = {
        Labels.of("__name__", "m", "v", "back\\slash \"quoted\"\nnew line\ttab \u00e9\u2603"),
        Labels.of("__name__", "my.metric", "k8s.io/name", "x"),
        Labels.of("__name__", "n", "{weird}", "=,\" #")};
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender app = db.appender();
      for (Labels l : series) {
        app.append(0, l, 1500, -2.5e-7);
      }
      app.commit();
    }
    CliRun om = run("tsdb", "dump", dir.toString(), "--format", "openmetrics");
    assertThat(om.out()).contains("{\"my.metric\",\"k8s.io/name\"=\"x\"} -2.5e-07 1.500\n");
    Path file = tmp.resolve("odd.om");
    try {
      Files.writeString(file, om.out());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Path again = tmp.resolve("again");
    CliRun imported = run("tsdb", "import", "openmetrics", file.toString(), "--data-dir",
        again.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(run("tsdb", "dump", again.toString()).out())
        .isEqualTo(run("tsdb", "dump", dir.toString()).out()).hasLineCount(3);
  }

  /** A database written by a running server (its head only, its lock held). */
  private Tsdb headWithHistogramAndStaleMarker(Path dir) {
    Tsdb db = Tsdb.open(dir, TsdbOptions.defaults());
    Appender app = db.appender();
    for (long t = 1000; t <= 5000; t += 1000) {
      app.append(0, Labels.of("__name__", "up", "job", "a"), t, 1);
      app.append(0, Labels.of("__name__", "up", "job", "b"), t, t == 5000 ? StaleNaN.VALUE : 0);
      app.append(0, Labels.of("__name__", "build_info", "version", "1.2"), t, 1);
    }
    // Schema 0: buckets (0.5, 1] and (1, 2] with 1 and 2 observations.
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 3, 1.5,
        List.of(new Span(0, 2)), new double[] {1, 2}, List.of(), new double[0], null);
    app.appendHistogram(0, Labels.of("__name__", "lat"), 3000, h);
    app.commit();
    return db;
  }

  @Test
  void selectorsTimeRangeAndFormatsOnALiveDatabase() {
    Path dir = tmp.resolve("db");
    try (Tsdb db = headWithHistogramAndStaleMarker(dir)) {
      CliRun r = run("tsdb", "dump", dir.toString(), "--match", "up{job=\"a\"}", "--match",
          "up", "--min-time", "2000", "--max-time", "3000");
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).isEqualTo("""
          {__name__="up", job="a"} 1 2000
          {__name__="up", job="a"} 1 3000
          {__name__="up", job="b"} 0 2000
          {__name__="up", job="b"} 0 3000
          """);
      CliRun all = run("tsdb", "dump", dir.toString());
      assertThat(all.out()).contains("{__name__=\"lat\"} {count:3, sum:1.5, ")
          .contains("{__name__=\"up\", job=\"b\"} NaN 5000\n").hasLineCount(16);
      CliRun om = run("tsdb", "dump", dir.toString(), "--format", "openmetrics", "--match",
          "{__name__=~\"up|lat\"}");
      assertThat(om.out()).isEqualTo("""
          up{job="a"} 1 1.000
          up{job="a"} 1 2.000
          up{job="a"} 1 3.000
          up{job="a"} 1 4.000
          up{job="a"} 1 5.000
          up{job="b"} 0 1.000
          up{job="b"} 0 2.000
          up{job="b"} 0 3.000
          up{job="b"} 0 4.000
          # EOF
          """);
      assertThat(om.err()).contains("1 native histogram samples not written")
          .contains("1 staleness markers not written");
    }
  }

  @Test
  void badInputIsReported() {
    Path data = tmp.resolve("data");
    for (String t : new String[] {"a", "b"}) {
      try (Tsdb db = Tsdb.open(data.resolve("tenants").resolve(t), TsdbOptions.defaults())) {
        Appender app = db.appender();
        app.append(0, Labels.of("__name__", "m"), 1000, 1);
        app.commit();
      }
    }
    CliRun several = run("tsdb", "dump", data.toString());
    assertThat(several.code()).isEqualTo(1);
    assertThat(several.err()).contains("holds the databases of 2 tenants (a, b): choose one with"
        + " --tenant");
    assertThat(run("tsdb", "dump", data.toString(), "--tenant", "b").out())
        .isEqualTo("{__name__=\"m\"} 1 1000\n");
    CliRun badSelector = run("tsdb", "dump", data.toString(), "--tenant", "a", "--match", "up{");
    assertThat(badSelector.code()).isEqualTo(1);
    assertThat(badSelector.err()).startsWith("error: --match up{: ");
    CliRun badRange = run("tsdb", "dump", data.toString(), "--tenant", "a", "--min-time", "5",
        "--max-time", "4");
    assertThat(badRange.code()).isEqualTo(1);
    assertThat(badRange.err()).contains("--min-time 5 is after --max-time 4");
  }
}
