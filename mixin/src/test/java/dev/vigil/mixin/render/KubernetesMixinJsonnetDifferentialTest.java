package dev.vigil.mixin.render;

import static dev.vigil.mixin.render.KubernetesMixinConformanceTest.assertSameBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubernetes-mixin rendered by Vigil and by Debian's C++ {@code jsonnet} (installed by
 * {@code .ci/run}) from the same vendor tree, which Vigil's vendoring installs from the local
 * mirror of the checked-in upstream sources (as in {@link KubernetesMixinConformanceTest}).
 */
class KubernetesMixinJsonnetDifferentialTest {
  @TempDir static Path tmp;
  static Path project;
  static Path out;

  @BeforeAll
  static void vendorAndRender() throws Exception {
    var k8s = KubernetesMixinConformanceTest.vendorAndRender(tmp);
    project = k8s.project();
    out = k8s.out();
  }

  /** The three commands of conformance/README.md with Debian's jsonnet, on Vigil's vendor tree. */
  @Test
  void cppJsonnetOnTheSameVendorTreeRendersTheSameFiles() throws Exception {
    Path cppOut = Files.createDirectories(tmp.resolve("cpp-dashboards"));
    // Dashboards take most of C++ jsonnet's time; run them beside the two rule files.
    CompletableFuture<String> dashboards = CompletableFuture.supplyAsync(() -> {
      try {
        return CppJsonnet.run(project, "-J", "vendor", "-m", cppOut.toString(), "lib/dashboards.jsonnet");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    String alerts = CppJsonnet.run(project, "-J", "vendor", "-S", "lib/alerts.jsonnet");
    String rules = CppJsonnet.run(project, "-J", "vendor", "-S", "lib/rules.jsonnet");
    assertThat(dashboards.join().lines().count()).isEqualTo(23);

    assertSameBytes(Files.readString(out.resolve("alerts.yaml")), alerts, "alerts.yaml vs jsonnet");
    assertSameBytes(Files.readString(out.resolve("rules.yaml")), rules, "rules.yaml vs jsonnet");
    List<String> names = names(cppOut);
    assertThat(names(out.resolve("dashboards"))).isEqualTo(names).hasSize(23);
    for (String name : names) {
      // jsonnet -m writes the manifested JSON and a newline, as Vigil does.
      assertSameBytes(Files.readString(out.resolve("dashboards").resolve(name)), Files.readString(cppOut.resolve(name)),
          name + " vs jsonnet");
    }
  }

  private static List<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
