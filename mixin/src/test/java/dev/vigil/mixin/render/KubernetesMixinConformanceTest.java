package dev.vigil.mixin.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mixin.jb.JsonnetFile;
import dev.vigil.mixin.jb.Vendorer;
import dev.vigil.mixin.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The acceptance check of issue 6, opt-in because it needs the public repositories, which tests
 * may not download: with {@code -Dvigil.mixin.k8sMixin=DIR} (a checkout of kubernetes-mixin at
 * aa38e2bf) and {@code -Dvigil.mixin.gitMirror=URL} (a folder URL holding
 * {@code github.com/OWNER/REPO.git} repositories), vendors with Vigil's own vendoring and compares
 * the render with {@code ../shared/conformance/kubernetes-mixin}.
 */
class KubernetesMixinConformanceTest {
  @Test
  void rendersTheReferenceOutput(@TempDir Path tmp) throws Exception {
    String checkout = System.getProperty("vigil.mixin.k8sMixin");
    String mirror = System.getProperty("vigil.mixin.gitMirror");
    Assumptions.assumeTrue(checkout != null && mirror != null, "set -Dvigil.mixin.k8sMixin and -Dvigil.mixin.gitMirror");
    Path conformance = Path.of(System.getProperty("vigil.conformance.dir", "../../shared/conformance"), "kubernetes-mixin");

    Path project = Files.createDirectories(tmp.resolve("kubernetes-mixin"));
    try (var s = Files.walk(Path.of(checkout))) {
      for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/vendor/")).toList()) {
        Path dest = project.resolve(Path.of(checkout).relativize(p).toString());
        Files.createDirectories(dest.getParent());
        Files.copy(p, dest);
      }
    }
    String lockBefore = Files.readString(project.resolve(JsonnetFile.LOCK_FILE));
    new Vendorer(project, project.resolve("vendor"), Map.of("https://github.com/", mirror)).install();
    assertThat(project.resolve(JsonnetFile.LOCK_FILE)).hasContent(lockBefore);

    Path out = tmp.resolve("build");
    new MixinBuilder(new JsonnetEngine(List.of(project.resolve("vendor"))))
        .build(new BuildOptions(project.resolve("mixin.libsonnet"), List.of(project.resolve("vendor")), out, "kubernetes"));

    Load yaml = new Load(LoadSettings.builder().build());
    assertThat(yaml.loadFromString(Files.readString(out.resolve("alerts.yaml"))))
        .isEqualTo(yaml.loadFromString(Files.readString(conformance.resolve("prometheus_alerts.yaml"))));
    assertThat(yaml.loadFromString(Files.readString(out.resolve("rules.yaml"))))
        .isEqualTo(yaml.loadFromString(Files.readString(conformance.resolve("prometheus_rules.yaml"))));
    try (var s = Files.list(conformance.resolve("dashboards"))) {
      List<Path> want = s.sorted().toList();
      assertThat(want).hasSize(23);
      for (Path d : want) {
        Path got = out.resolve("dashboards").resolve(d.getFileName().toString());
        assertThat(Json.parse(Files.readString(got), got.toString())).isEqualTo(Json.parse(Files.readString(d), d.toString()));
      }
    }
  }
}
