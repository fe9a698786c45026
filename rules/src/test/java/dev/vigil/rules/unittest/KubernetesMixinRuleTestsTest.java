package dev.vigil.rules.unittest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes-mixin's own rule unit tests (promtool format, Prometheus 3 semantics) must all
 * pass, and a broken expectation must be reported as promtool reports it.
 */
class KubernetesMixinRuleTestsTest {
  static Path mixinDir() {
    return Path.of(System.getProperty("vigil.conformance.dir", "../../shared/conformance"),
        "kubernetes-mixin");
  }

  private static String run(List<Path> files, RuleUnitTester.Summary[] summary) {
    StringWriter sw = new StringWriter();
    summary[0] = new RuleUnitTester(new PrintWriter(sw)).run(files);
    return sw.toString();
  }

  @Test
  void allEightTestFilesPass() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(mixinDir().resolve("tests"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSize(8);
    RuleUnitTester.Summary[] summary = new RuleUnitTester.Summary[1];
    String out = run(files, summary);
    assertThat(out).doesNotContain("FAILED");
    assertThat(summary[0].failed()).isZero();
    assertThat(summary[0].passed()).isGreaterThanOrEqualTo(100);
    assertThat(out).endsWith(summary[0].passed() + " passed, 0 failed\n");
  }

  @Test
  void aWrongAnnotationAndAWrongValueAreReported(@TempDir Path dir) throws IOException {
    Files.copy(mixinDir().resolve("prometheus_alerts.yaml"), dir.resolve("prometheus_alerts.yaml"));
    Files.copy(mixinDir().resolve("prometheus_rules.yaml"), dir.resolve("prometheus_rules.yaml"));
    Path tests = Files.createDirectories(dir.resolve("tests"));
    String alerts = Files.readString(mixinDir().resolve("tests/tests.yaml"))
        .replaceFirst("only 1\\.562% free", "only 9.99% free");
    Files.writeString(tests.resolve("alerts.yaml"), alerts);
    String owner = Files.readString(mixinDir().resolve("tests/rules-pod-owner-test.yaml"))
        .replaceFirst("value: 1\n", "value: 2\n");
    Files.writeString(tests.resolve("owner.yaml"), owner);

    RuleUnitTester.Summary[] summary = new RuleUnitTester.Summary[1];
    String out = run(List.of(tests.resolve("alerts.yaml"), tests.resolve("owner.yaml")), summary);
    assertThat(summary[0].failed()).isEqualTo(2);
    assertThat(summary[0].exitCode()).isEqualTo(1);
    assertThat(out)
        .contains("alertname: KubePersistentVolumeFillingUp, time: 4m")
        .contains("only 9.99% free").contains("only 1.562% free")
        .contains("expr: \"namespace_workload_pod:kube_pod_owner:relabel\", time: 1m")
        .contains("} 2E+00");
  }

  @Test
  void unknownFieldsAndMissingRuleFilesAreFileErrors(@TempDir Path dir) throws IOException {
    Path t = dir.resolve("t.yaml");
    Files.writeString(t, "rule_files: [missing.yaml]\ntests: []\n");
    RuleUnitTester.Summary[] summary = new RuleUnitTester.Summary[1];
    String out = run(List.of(t), summary);
    assertThat(summary[0].exitCode()).isEqualTo(1);
    assertThat(out).contains("FAILED").contains("missing.yaml");

    Files.writeString(t, "rule_files: []\nbogus: 1\ntests: []\n");
    out = run(List.of(t), summary);
    assertThat(out).contains("field bogus not found");
  }

  @Test
  void goFloatFormatting() {
    assertThat(RuleUnitTester.goFloatE(50)).isEqualTo("5E+01");
    assertThat(RuleUnitTester.goFloatE(1)).isEqualTo("1E+00");
    assertThat(RuleUnitTester.goFloatE(0.0015)).isEqualTo("1.5E-03");
    assertThat(RuleUnitTester.goFloatE(-123.25)).isEqualTo("-1.2325E+02");
    assertThat(RuleUnitTester.goFloatE(Double.NaN)).isEqualTo("NaN");
  }
}
