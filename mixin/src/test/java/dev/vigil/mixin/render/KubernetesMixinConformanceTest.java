package dev.vigil.mixin.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.mixin.jb.Dependency;
import dev.vigil.mixin.jb.JsonnetFile;
import dev.vigil.mixin.jb.UpstreamMirror;
import dev.vigil.mixin.jb.Vendorer;
import dev.vigil.mixin.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The acceptance check of issue 6, run in every build: kubernetes-mixin at aa38e2bf and its four
 * pinned dependency packages (checked in under {@code src/test/fixtures/upstream}) become local
 * Git repositories, Vigil's own vendoring installs them from there with the mixin's real lock
 * sums, Vigil renders the mixin, and the result is compared with the reference render in
 * {@code ../shared/conformance/kubernetes-mixin}. {@link KubernetesMixinJsonnetDifferentialTest}
 * compares the same render with Debian's C++ {@code jsonnet} run on the same vendor tree.
 */
class KubernetesMixinConformanceTest {
  private static final Path CONFORMANCE = Path.of(System.getProperty("vigil.conformance.dir", "../../shared/conformance"));
  private static final Path REFERENCE = CONFORMANCE.resolve("kubernetes-mixin");
  private static final Pattern SUM_ROW = Pattern.compile("(?m)^\\| (github\\.com/\\S+) \\| ([0-9a-f]{40}) \\| (\\S+=) \\|$");

  @TempDir static Path tmp;
  static Vendored k8s;

  /**
   * kubernetes-mixin vendored from the local mirror and rendered into {@code out}.
   *
   * @param upstreamLock the real lock file (upstream commits)
   * @param mirrorLock the lock file given to the vendoring: mirror commits, the real sums
   */
  record Vendored(Path project, Path out, Map<String, String> mirrorCommits, JsonnetFile upstreamLock,
      JsonnetFile mirrorLock) {}

  static Vendored vendorAndRender(Path tmp) throws Exception {
    Path mirror = tmp.resolve("mirror");
    Map<String, String> mirrorCommits = UpstreamMirror.build(mirror);
    Path project = tmp.resolve("kubernetes-mixin");
    Path fixture = UpstreamMirror.FIXTURES.resolve("kubernetes-mixin");
    try (var s = Files.walk(fixture)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Path dest = project.resolve(fixture.relativize(p).toString());
        Files.createDirectories(dest.getParent());
        Files.copy(p, dest);
      }
    }
    // The real lock pins the upstream commits; the mirror holds the same trees under other commit
    // ids. Point the lock at those and keep its sums: vendoring then checks every package's sum.
    JsonnetFile upstreamLock = JsonnetFile.read(project.resolve(JsonnetFile.LOCK_FILE));
    List<Dependency> repinned = new ArrayList<>();
    for (Dependency d : upstreamLock.dependencies()) {
      repinned.add(d.withVersion(mirrorCommits.get(d.git().remote())));
    }
    JsonnetFile mirrorLock = new JsonnetFile(repinned, upstreamLock.legacyImports());
    Files.writeString(project.resolve(JsonnetFile.LOCK_FILE), mirrorLock.toJson());

    new Vendorer(project, project.resolve("vendor"), UpstreamMirror.insteadOf(mirror)).install();

    Path out = tmp.resolve("build");
    new MixinBuilder(new JsonnetEngine(List.of(project.resolve("vendor"))))
        .build(new BuildOptions(project.resolve("mixin.libsonnet"), List.of(project.resolve("vendor")), out, "kubernetes"));
    return new Vendored(project, out, mirrorCommits, upstreamLock, mirrorLock);
  }

  @BeforeAll
  static void setUp() throws Exception {
    k8s = vendorAndRender(tmp);
  }

  @Test
  void vendoringFromTheMirrorReproducesTheRealLockSums() throws Exception {
    Map<String, String[]> table = new TreeMap<>();
    Matcher m = SUM_ROW.matcher(Files.readString(CONFORMANCE.resolve("README.md")));
    while (m.find()) {
      table.put(m.group(1), new String[] {m.group(2), m.group(3)});
    }
    assertThat(table).as("rows of the jb sum table in conformance/README.md").hasSize(4);

    JsonnetFile written = JsonnetFile.read(k8s.project().resolve(JsonnetFile.LOCK_FILE));
    assertThat(written).isEqualTo(k8s.mirrorLock());
    assertThat(written.dependencies()).hasSize(4);
    for (Dependency d : written.dependencies()) {
      assertThat(table).containsKey(d.name());
      assertThat(d.sum()).as(d.name()).isEqualTo(table.get(d.name())[1]);
      assertThat(d.version()).as(d.name()).isEqualTo(k8s.mirrorCommits().get(d.git().remote()));
    }
    for (Dependency d : k8s.upstreamLock().dependencies()) {
      assertThat(d.version()).as("the fixture's lock is the real one: " + d.name()).isEqualTo(table.get(d.name())[0]);
    }
    assertThat(k8s.project().resolve("vendor/github.com/grafana/grafonnet/gen/grafonnet-v11.1.0/main.libsonnet")).isRegularFile();
  }

  @Test
  void alertsAndRulesAreByteIdenticalToTheReference() throws Exception {
    Load yaml = new Load(LoadSettings.builder().build());
    for (String[] pair : new String[][] {{"alerts.yaml", "prometheus_alerts.yaml"}, {"rules.yaml", "prometheus_rules.yaml"}}) {
      String got = Files.readString(k8s.out().resolve(pair[0]));
      String want = Files.readString(REFERENCE.resolve(pair[1]));
      assertThat(yaml.loadFromString(got)).as(pair[0] + " normalised").isEqualTo(yaml.loadFromString(want));
      assertSameBytes(got, want, pair[0]);
    }
    assertThat(Files.readString(k8s.out().resolve("alerts.yaml"))).contains("\"alert\": \"KubePodCrashLooping\"");
  }

  @Test
  void all23DashboardsAreByteIdenticalToTheReference() throws Exception {
    List<String> want = names(REFERENCE.resolve("dashboards"));
    assertThat(want).hasSize(23);
    assertThat(names(k8s.out().resolve("dashboards"))).isEqualTo(want);
    for (String name : want) {
      String got = Files.readString(k8s.out().resolve("dashboards").resolve(name));
      String ref = Files.readString(REFERENCE.resolve("dashboards").resolve(name));
      assertThat(Json.parse(got, name)).as(name + " normalised").isEqualTo(Json.parse(ref, name));
      assertSameBytes(got, ref, name);
    }
  }

  /** Equal text, or a failure that shows the first differing line instead of two whole files. */
  static void assertSameBytes(String got, String want, String what) {
    if (got.equals(want)) {
      return;
    }
    List<String> g = got.lines().toList();
    List<String> w = want.lines().toList();
    int i = 0;
    while (i < g.size() && i < w.size() && g.get(i).equals(w.get(i))) {
      i++;
    }
    throw new AssertionError(what + " differs at line " + (i + 1) + " (lengths " + got.length() + " vs " + want.length()
        + "):\n  vigil: " + (i < g.size() ? g.get(i) : "<end>") + "\n  want:  " + (i < w.size() ? w.get(i) : "<end>"));
  }

  private static List<String> names(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
