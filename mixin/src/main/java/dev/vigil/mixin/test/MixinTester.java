package dev.vigil.mixin.test;

import dev.vigil.rules.unittest.RuleUnitTester;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Runs rule unit tests against rendered rule files without touching the project: the tests are
 * copied into a scratch copy of the project layout in which the rendered alerts and rules exist
 * under the names mixins' tests refer to ({@code prometheus_alerts.yaml},
 * {@code prometheus_rules.yaml}, as in kubernetes-mixin's Makefile) and Vigil's own
 * ({@code alerts.yaml}, {@code rules.yaml}).
 */
public final class MixinTester {
  private MixinTester() {}

  /**
   * @param projectDir the folder test paths are relative to
   * @param rendered the output of {@code MixinBuilder.render}
   * @param tests test files inside {@code projectDir}
   */
  public static RuleUnitTester.Summary run(Path projectDir, Map<String, String> rendered, List<Path> tests, PrintWriter out) {
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("vigil-mixin-test");
      for (String[] names : new String[][] {{"alerts.yaml", "prometheus_alerts.yaml"}, {"rules.yaml", "prometheus_rules.yaml"}}) {
        String content = rendered.getOrDefault(names[0], "groups: []\n");
        Files.writeString(scratch.resolve(names[0]), content);
        Files.writeString(scratch.resolve(names[1]), content);
      }
      Path root = projectDir.toAbsolutePath().normalize();
      List<Path> copies = new ArrayList<>();
      for (Path t : tests) {
        Path abs = t.toAbsolutePath().normalize();
        if (!abs.startsWith(root)) {
          throw new IllegalArgumentException(t + " is outside the project folder " + projectDir);
        }
        if (!Files.isRegularFile(abs)) {
          throw new IllegalArgumentException(t + ": test file not found");
        }
        Path copy = scratch.resolve(root.relativize(abs).toString());
        Files.createDirectories(copy.getParent());
        Files.copy(abs, copy);
        copies.add(copy);
      }
      return new RuleUnitTester(out).run(copies);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the rule tests", e);
    } finally {
      if (scratch != null) {
        try (var s = Files.walk(scratch)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        } catch (IOException ignored) {
          // a leftover temp folder is harmless; the test result matters more
        }
      }
    }
  }
}
