package dev.vigil.rules.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.rules.eval.PromqlExprValidator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The broken-rule-file corpus: each {@code testdata/broken/NAME.yaml} has {@code NAME.expected},
 * promtool's recorded stdout, stderr and exit code ({@code promtool check rules NAME.yaml} run in
 * that directory). Vigil's checker must print the same. A second factory re-runs promtool when it
 * is on the PATH, so a newer promtool shows up as a diff; without promtool it checks against the
 * recordings. {@code -Dvigil.updateGolden=true} re-records the files from the live promtool.
 */
class BrokenRuleFilesTest {
  private static final RuleFileChecker CHECKER =
      RuleFileChecker.promtoolDefaults(new PromqlExprValidator(ParserOptions.DEFAULT));

  /** Recorded promtool output. */
  record Expected(String stdout, String stderr, int exitCode) {
    static Expected parse(String text) {
      int out = text.indexOf("--- stdout\n");
      int err = text.indexOf("--- stderr\n");
      int exit = Integer.parseInt(text.substring("exit: ".length(), text.indexOf('\n')).trim());
      return new Expected(text.substring(out + 11, err), text.substring(err + 11), exit);
    }

    String render() {
      return "exit: " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  static Path corpusDir() {
    try {
      return Path.of(BrokenRuleFilesTest.class.getResource("testdata/broken").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(corpusDir())) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  static RuleFileChecker.Result vigil(Path file) throws IOException {
    String name = file.getFileName().toString();
    return CHECKER.checkContents(Map.of(name, Files.readString(file, StandardCharsets.UTF_8)));
  }

  static Expected recorded(Path yaml) throws IOException {
    String base = yaml.getFileName().toString().replaceFirst("\\.yaml$", "");
    return Expected.parse(Files.readString(yaml.resolveSibling(base + ".expected")));
  }

  @TestFactory
  Stream<DynamicTest> corpusHasAtLeastThirtyFiles() throws IOException {
    return Stream.of(DynamicTest.dynamicTest("size", () ->
        assertThat(corpus()).hasSizeGreaterThanOrEqualTo(30)));
  }

  @TestFactory
  Stream<DynamicTest> vigilMatchesRecordedPromtool() throws IOException {
    return corpus().stream().map(file -> DynamicTest.dynamicTest(
        file.getFileName().toString(), file.toUri(), () -> {
          RuleFileChecker.Result actual = vigil(file);
          Expected expected = recorded(file);
          assertThat(new Expected(actual.stdout(), actual.stderr(), actual.exitCode()).render())
              .isEqualTo(expected.render());
        }));
  }

  @TestFactory
  Stream<DynamicTest> vigilMatchesLivePromtoolWhenAvailable() throws IOException {
    boolean live = promtoolOnPath();
    boolean update = Boolean.getBoolean("vigil.updateGolden");
    return corpus().stream().map(file -> DynamicTest.dynamicTest(
        file.getFileName().toString() + (live ? " (live promtool)" : " (recorded)"), () -> {
          Expected expected = live ? runPromtool(file) : recorded(file);
          if (live && update) {
            rerecord(file, expected);
          }
          RuleFileChecker.Result actual = vigil(file);
          assertThat(new Expected(actual.stdout(), actual.stderr(), actual.exitCode()).render())
              .isEqualTo(expected.render());
        }));
  }

  private static boolean promtoolOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "promtool"))) {
        return true;
      }
    }
    return false;
  }

  private static Expected runPromtool(Path file) throws IOException, InterruptedException {
    Path out = Files.createTempFile("promtool", ".out");
    Path err = Files.createTempFile("promtool", ".err");
    try {
      Process p = new ProcessBuilder("promtool", "check", "rules",
          file.getFileName().toString())
          .directory(file.getParent().toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("promtool timed out on " + file);
      }
      return new Expected(Files.readString(out), Files.readString(err), p.exitValue());
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** Writes promtool's output back to the source tree (the module directory is the cwd). */
  private static void rerecord(Path file, Expected expected) throws IOException {
    String base = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    Path src = Path.of("src/test/resources/dev/vigil/rules/file/testdata/broken",
        base + ".expected");
    if (Files.isDirectory(src.getParent())) {
      Files.writeString(src, expected.render());
    }
  }
}
