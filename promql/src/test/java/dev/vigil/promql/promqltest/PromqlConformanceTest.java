package dev.vigil.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script of Prometheus's PromQL suite ({@code ../shared/conformance/promql}) and
 * writes the per-case outcome to {@code target/conformance-report.txt}.
 *
 * <p>Each file must pass at least the number of cases recorded in {@code conformance-floor
 * .properties} (a ratchet: raise it when the engine improves, never lower it), and the stable
 * files must eventually pass all of their cases. Every case is counted; none is skipped.
 */
class PromqlConformanceTest {
  private static final List<FileResult> RESULTS = new ArrayList<>();

  static Path conformanceDir() {
    String dir = System.getProperty("vigil.conformance.dir", "../../shared/conformance");
    return Path.of(dir, "promql");
  }

  @TestFactory
  Stream<DynamicTest> everyScriptPassesAtLeastItsFloor() throws IOException {
    Path dir = conformanceDir();
    assertThat(dir).as("conformance suite (set -Dvigil.conformance.dir)").isDirectory();
    Properties floors = floors();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    PromqlTestRunner runner = PromqlTestRunner.withTestDefaults();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      FileResult r = runner.runFile(f);
      synchronized (RESULTS) {
        RESULTS.add(r);
      }
      long floor = Long.parseLong(floors.getProperty(f.getFileName().toString(), "0"));
      assertThat(r.passed())
          .as("%s: %d passed, %d failed; the floor is %d (see target/conformance-report.txt)",
              r.file(), r.passed(), r.failed(), floor)
          .isGreaterThanOrEqualTo(floor);
    }));
  }

  private static Properties floors() {
    Properties p = new Properties();
    try (InputStream in = PromqlConformanceTest.class.getResourceAsStream("conformance-floor.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  @AfterAll
  static void writeReport() throws IOException {
    StringBuilder sb = new StringBuilder();
    long passed = 0;
    long failed = 0;
    StringBuilder summary = new StringBuilder();
    for (FileResult r : RESULTS) {
      summary.append(String.format("%-28s %4d passed, %4d failed%n", r.file(), r.passed(), r.failed()));
      passed += r.passed();
      failed += r.failed();
      for (CaseResult c : r.cases()) {
        if (!c.passed()) {
          sb.append("FAIL ").append(c.location()).append(": ").append(c.expr()).append('\n')
              .append("     ").append(c.message()).append('\n');
        }
      }
    }
    summary.append(String.format("%d passed, %d failed%n", passed, failed));
    Path out = Path.of("target", "conformance-report.txt");
    Files.createDirectories(out.getParent());
    // getBytes replaces unpaired surrogates (from queries with invalid UTF-8) instead of failing.
    Files.write(out, (summary + "\n" + sb).getBytes(StandardCharsets.UTF_8));
    System.out.print(summary);
  }
}
