package dev.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbCommandTest {
  @TempDir
  Path data;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** Two tenants; tenant a has a block (2 h cut) and a head, tenant b only a head. */
  private void fill() {
    try (Tsdb a = Tsdb.open(data.resolve("tenants/a"), TsdbOptions.defaults())) {
      for (long t = 0; t < 4 * 3_600_000L; t += 60_000) {
        Appender app = a.appender();
        for (int pod = 0; pod < 5; pod++) {
          app.append(0, Labels.of("__name__", "cpu", "job", "k", "pod", "p" + pod), t, t / 1000.0);
        }
        app.append(0, Labels.of("__name__", "up", "job", "k"), t, 1);
        app.commit();
      }
      assertThat(a.cutBlocks()).hasSize(1);
    }
    try (Tsdb b = Tsdb.open(data.resolve("tenants/b"), TsdbOptions.defaults())) {
      Appender app = b.appender();
      app.append(0, Labels.of("__name__", "mem", "job", "x"), 1000, 5);
      app.commit();
    }
  }

  @Test
  void analyzePrintsPerTenantFigures() {
    fill();
    CliRun r = run("tsdb", "analyze", data.toString(), "--limit", "3");
    assertThat(r.code()).as(r.err()).isZero();
    String a = r.out().substring(r.out().indexOf("Tenant: a"), r.out().indexOf("Tenant: b"));
    assertThat(a).contains("Blocks: 1, samples 720,").contains("Total Series: 6")
        .containsPattern("PACKED_FLOAT_V2 +chunks +6, samples +720, bytes +\\d+, bytes per sample")
        .contains("Total Samples: 1440").contains("Label names: 3")
        .contains("Postings (unique label pairs): 8")
        .contains("Postings entries (total label pairs): 17")
        .contains("Highest cardinality labels:\n5 pod\n2 __name__\n1 job\n")
        .contains("Highest cardinality metric names:\n5 cpu\n1 up\n")
        .contains("Most common label pairs:\n6 job=k\n5 __name__=cpu\n1 __name__=up\n");
    String b = r.out().substring(r.out().indexOf("Tenant: b"));
    assertThat(b).contains("Blocks: 0").contains("Head: series 1, samples 1")
        .contains("Total Series: 1");
  }

  @Test
  void analyzeOneTenantOrOneDatabase() {
    fill();
    CliRun r = run("tsdb", "analyze", data.toString(), "--tenant", "b");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Tenant: b").doesNotContain("Tenant: a");
    CliRun single = run("tsdb", "analyze", data.resolve("tenants/a").toString());
    assertThat(single.code()).isZero();
    assertThat(single.out()).startsWith("Tenant: -").contains("Total Series: 6");
  }

  @Test
  void analyzeReadsDatabasesAServerHasOpenAndChangesNothing() throws Exception {
    fill();
    CliRun closed = run("tsdb", "analyze", data.toString());
    try (Tsdb a = Tsdb.open(data.resolve("tenants/a"), TsdbOptions.defaults());
        Tsdb b = Tsdb.open(data.resolve("tenants/b"), TsdbOptions.defaults())) {
      List<String> before = listing();
      CliRun open = run("tsdb", "analyze", data.toString());
      assertThat(open.code()).as(open.err()).isZero();
      assertThat(open.out()).isEqualTo(closed.out()).contains("Tenant: a").contains("Tenant: b");
      assertThat(listing()).isEqualTo(before);
    }
  }

  @Test
  void analyzeReportsDamageWithoutRepairingIt() throws Exception {
    fill();
    Path half = data.resolve("tenants/a/blocks/01HALF.tmp");
    Files.createDirectories(half);
    CliRun r = run("tsdb", "analyze", data.toString(), "--tenant", "a");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Block skipped: 01HALF.tmp: incomplete block")
        .contains("Total Series: 6");
    assertThat(half).isDirectory();
  }

  /** Every path under the data directory with its size and modification time. */
  private List<String> listing() throws IOException {
    try (Stream<Path> all = Files.walk(data)) {
      List<String> out = new ArrayList<>();
      for (Path p : (Iterable<Path>) all::iterator) {
        out.add(data.relativize(p) + " " + (Files.isDirectory(p) ? "dir"
            : Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis()));
      }
      out.sort(null);
      return out;
    }
  }

  @Test
  void missingDirectoryOrTenantIsAnError() {
    assertThat(run("tsdb", "analyze", data.resolve("nope").toString()).code()).isEqualTo(1);
    fill();
    CliRun r = run("tsdb", "analyze", data.toString(), "--tenant", "zzz");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("no tenant zzz");
  }
}
