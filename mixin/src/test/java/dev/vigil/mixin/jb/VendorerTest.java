package dev.vigil.mixin.jb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorerTest {
  @TempDir Path tmp;
  Path project;
  FixtureRepo lib;
  FixtureRepo dep;
  String libV1;
  String depV1;

  @BeforeEach
  void repos() throws Exception {
    project = Files.createDirectories(tmp.resolve("project"));
    dep = FixtureRepo.create(tmp.resolve("git/example.com/acme/dep"));
    depV1 = dep.commit(Map.of("dep.libsonnet", "{ x: 1 }\n"), "dep v1");
    lib = FixtureRepo.create(tmp.resolve("git/example.com/acme/lib"));
    // lib/gen/v1 depends on the dep repo, as grafonnet-latest depends on grafonnet-v11.
    libV1 = lib.commit(Map.of(
        "gen/v1/main.libsonnet", "(import 'example.com/acme/dep/dep.libsonnet') + { y: 2 }\n",
        "gen/v1/jsonnetfile.json", Files.readString(writeJf(tmp.resolve("nested.json"),
            List.of(Dependency.git(dep.url(), "", "main")), false)),
        "README.md", "not vendored with a subdir\n"), "lib v1");
    lib.tag("v1.0.0");
  }

  private static Path writeJf(Path f, List<Dependency> deps, boolean legacy) throws Exception {
    Files.writeString(f, new JsonnetFile(deps, legacy).toJson());
    return f;
  }

  private Vendorer vendorer() {
    return new Vendorer(project, project.resolve("vendor"), Map.of());
  }

  @Test
  void installsDirectAndNestedDependenciesInJbLayoutAndWritesTheLock() throws Exception {
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(lib.url(), "gen/v1", "v1.0.0")), false);
    var result = vendorer().install();

    Path libDir = project.resolve("vendor/example.com/acme/lib/gen/v1");
    Path depDir = project.resolve("vendor/example.com/acme/dep");
    assertThat(libDir.resolve("main.libsonnet")).exists();
    assertThat(project.resolve("vendor/example.com/acme/lib/README.md")).doesNotExist();
    assertThat(depDir.resolve("dep.libsonnet")).hasContent("{ x: 1 }\n");
    assertThat(project.resolve("vendor/v1")).doesNotExist(); // legacyImports false: no links

    JsonnetFile lock = JsonnetFile.read(project.resolve(JsonnetFile.LOCK_FILE));
    assertThat(lock.dependencies()).extracting(Dependency::name)
        .containsExactly("example.com/acme/dep", "example.com/acme/lib/gen/v1");
    assertThat(lock.dependencies()).extracting(Dependency::version).containsExactly(depV1, libV1);
    assertThat(lock.dependencies().get(0).sum()).isEqualTo(JbSum.of(depDir));
    assertThat(lock.dependencies().get(1).sum()).isEqualTo(JbSum.of(libDir));
    assertThat(result.locked()).hasSize(2);
    // jb's lock file text: Go indentation, sum after version.
    assertThat(Files.readString(project.resolve(JsonnetFile.LOCK_FILE)))
        .startsWith("{\n  \"version\": 1,\n  \"dependencies\": [\n    {\n      \"source\": {\n        \"git\": {\n")
        .contains("\"version\": \"" + depV1 + "\",\n      \"sum\": \"")
        .endsWith("  ],\n  \"legacyImports\": false\n}\n");
  }

  @Test
  void legacyImportsAddShortNameLinks() throws Exception {
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(lib.url(), "gen/v1", "main")), true);
    vendorer().install();
    assertThat(Files.readSymbolicLink(project.resolve("vendor/v1"))).isEqualTo(Path.of("example.com/acme/lib/gen/v1"));
    assertThat(project.resolve("vendor/v1/main.libsonnet")).exists();
    assertThat(project.resolve("vendor/dep/dep.libsonnet")).exists();
  }

  @Test
  void installKeepsLockedCommitsAndUpdateMovesThem() throws Exception {
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(lib.url(), "gen/v1", "main")), false);
    vendorer().install();
    String libV2 = lib.commit(Map.of("gen/v1/new.libsonnet", "{}\n"), "lib v2");

    vendorer().install();
    assertThat(project.resolve("vendor/example.com/acme/lib/gen/v1/new.libsonnet")).doesNotExist();

    vendorer().update(Set.of());
    assertThat(project.resolve("vendor/example.com/acme/lib/gen/v1/new.libsonnet")).exists();
    assertThat(JsonnetFile.read(project.resolve(JsonnetFile.LOCK_FILE)).dependencies())
        .extracting(Dependency::version).contains(libV2);
  }

  @Test
  void brokenSumIsAClearErrorAndChangesNothing() throws Exception {
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(lib.url(), "gen/v1", "main")), false);
    vendorer().install();
    Path lockFile = project.resolve(JsonnetFile.LOCK_FILE);
    String bad = Files.readString(lockFile).replaceFirst("\"sum\": \"[^\"]+\"", "\"sum\": \"AAAA\"");
    Files.writeString(lockFile, bad);
    Files.writeString(project.resolve("vendor/marker"), "old tree");

    assertThatThrownBy(() -> vendorer().install())
        .isInstanceOf(VendorException.class)
        .hasMessageContaining("checksum mismatch for example.com/acme/dep")
        .hasMessageContaining("AAAA");
    assertThat(project.resolve("vendor/marker")).hasContent("old tree");
    assertThat(lockFile).hasContent(bad);
    try (var s = Files.list(project)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("vendor", JsonnetFile.FILE, JsonnetFile.LOCK_FILE);
    }
  }

  @Test
  void missingDependencyAndUnknownVersionAreClearErrors() throws Exception {
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(tmp.resolve("git/nowhere/x/y").toString(), "", "main")), false);
    assertThatThrownBy(() -> vendorer().install()).hasMessageContaining("does not exist");
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(lib.url(), "gen/v1", "v9")), false);
    assertThatThrownBy(() -> vendorer().install()).hasMessageContaining("version v9 not found");
    writeJf(project.resolve(JsonnetFile.FILE), List.of(Dependency.git(lib.url(), "gen/v2", "main")), false);
    assertThatThrownBy(() -> vendorer().install()).hasMessageContaining("subdir 'gen/v2' not found");
    assertThat(project.resolve("vendor")).doesNotExist();
  }

  @Test
  void mirrorRewritesRemotesButKeepsNamesAndLock() throws Exception {
    writeJf(project.resolve(JsonnetFile.FILE),
        List.of(Dependency.git("https://example.com/acme/dep.git", "", "main")), false);
    new Vendorer(project, project.resolve("vendor"),
        Map.of("https://example.com/", tmp.resolve("git/example.com").toUri().toString())).install();
    assertThat(project.resolve("vendor/example.com/acme/dep/dep.libsonnet")).exists();
    assertThat(Files.readString(project.resolve(JsonnetFile.LOCK_FILE))).contains("https://example.com/acme/dep.git");
  }

  @Test
  void namesFollowJb() {
    assertThat(new GitSource("https://github.com/grafana/grafonnet.git", "gen/grafonnet-latest").name())
        .isEqualTo("github.com/grafana/grafonnet/gen/grafonnet-latest");
    assertThat(new GitSource("git@github.com:jsonnet-libs/xtd.git", "").name()).isEqualTo("github.com/jsonnet-libs/xtd");
    assertThat(new GitSource("ssh://git@gitlab.com/a/b/c.git", "/x/").name()).isEqualTo("gitlab.com/a/b/c/x");
    assertThat(new GitSource("file:///srv/git/example.com/acme/lib", "gen").legacyName()).isEqualTo("gen");
  }
}
