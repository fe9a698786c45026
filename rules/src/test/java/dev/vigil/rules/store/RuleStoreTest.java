package dev.vigil.rules.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.file.LoadResult;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleFileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class RuleStoreTest {
  @TempDir Path dir;

  private RuleStore store() {
    return new RuleStore(dir.resolve("rules"),
        new RuleFileLoader(PromqlExprValidator.allFeatures()));
  }

  private static String group(String name) {
    return """
        name: %s
        interval: 30s
        rules:
          - record: job:up:sum
            expr: sum by (job) (up)
          - alert: Down
            expr: up == 0
            for: 5m
            annotations:
              description: |
                Instance {{ $labels.instance }}
                is down.
        """.formatted("\"" + name + "\"");
  }

  @Test
  void setGetListDelete() {
    RuleStore s = store();
    s.setGroup("t1", "ns-b", group("g2"));
    s.setGroup("t1", "ns-a", group("g1"));
    s.setGroup("t1", "ns-a", group("g0"));
    s.setGroup("t2", "other", group("x"));

    assertThat(s.tenants()).containsExactly("t1", "t2");
    Map<String, List<StoredGroup>> all = s.listAll("t1");
    assertThat(all.keySet()).containsExactly("ns-a", "ns-b");
    assertThat(all.get("ns-a")).extracting(StoredGroup::name).containsExactly("g0", "g1");
    assertThat(s.getNamespace("t1", "ns-b").orElseThrow()).singleElement()
        .satisfies(g -> assertThat(g.yaml()).isEqualTo(group("g2")));
    StoredGroup g1 = s.getGroup("t1", "ns-a", "g1").orElseThrow();
    assertThat(g1.group().rules()).hasSize(2);
    assertThat(g1.group().interval()).hasSeconds(30);
    assertThat(s.getGroup("t1", "ns-a", "nope")).isEmpty();
    assertThat(s.getNamespace("t1", "nope")).isEmpty();
    assertThat(s.listAll("nobody")).isEmpty();

    assertThat(s.deleteGroup("t1", "ns-a", "g0")).isTrue();
    assertThat(s.deleteGroup("t1", "ns-a", "g0")).isFalse();
    assertThat(s.listAll("t1").get("ns-a")).extracting(StoredGroup::name).containsExactly("g1");
    assertThat(s.deleteNamespace("t1", "ns-a")).isTrue();
    assertThat(s.deleteNamespace("t1", "ns-a")).isFalse();
    assertThat(s.listAll("t1").keySet()).containsExactly("ns-b");
    assertThat(s.deleteGroup("t1", "ns-b", "g2")).isTrue();
    assertThat(s.listAll("t1")).isEmpty();
    assertThat(dir.resolve("rules/t1/ns-b")).doesNotExist(); // last group took its directory
  }

  @Test
  void setReplacesAGroupOfTheSameNameAtomically() throws IOException {
    RuleStore s = store();
    s.setGroup("t", "ns", group("g"));
    s.setGroup("t", "ns", group("g").replace("30s", "1m"));
    assertThat(s.getGroup("t", "ns", "g").orElseThrow().group().interval()).hasMinutes(1);
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()))
          .containsExactly("rules/t/ns/g.yaml");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "with space", "..", ".", "%2F", "ünï", "a:b", "-", "x.yaml"})
  void anyNameIsOneSafeFileName(String name) {
    RuleStore s = store();
    s.setGroup(name, name, group(name));
    assertThat(s.tenants()).containsExactly(name);
    assertThat(s.listAll(name).keySet()).containsExactly(name);
    assertThat(s.getGroup(name, name, name).orElseThrow().name()).isEqualTo(name);
    assertThat(RuleStore.encode(name)).doesNotContain("/", ".").isNotEmpty();
    assertThat(dir.resolve("rules").toFile().list()).hasSize(1);
  }

  @Test
  void invalidGroupsAreRejectedWithTheLoadersMessagesAndNotWritten() {
    RuleStore s = store();
    assertThatThrownBy(() -> s.setGroup("t", "ns", """
        name: g
        rules:
          - record: "bad name"
            expr: up
        """)).isInstanceOf(InvalidRuleGroupException.class)
        .hasMessageContaining("invalid recording rule name: bad name");
    assertThatThrownBy(() -> s.setGroup("t", "ns", "name: g\nrules:\n  - alert: A\n    expr: up ==\n"))
        .isInstanceOf(InvalidRuleGroupException.class)
        .hasMessageContaining("parse error");
    assertThatThrownBy(() -> s.setGroup("t", "ns", "name: [g\n"))
        .isInstanceOf(InvalidRuleGroupException.class)
        .satisfies(e -> assertThat(((InvalidRuleGroupException) e).errors()).hasSize(1));
    assertThatThrownBy(() -> s.setGroup("t", "ns", "name: g\nrulez: []\n"))
        .isInstanceOf(InvalidRuleGroupException.class).hasMessageContaining("rulez");
    assertThatThrownBy(() -> s.setGroup("t", "ns", "   \n"))
        .isInstanceOf(InvalidRuleGroupException.class).hasMessage("ns: empty rule group");
    assertThatThrownBy(() -> s.setGroup("t", "ns", "name: ''\nrules: []\n"))
        .isInstanceOf(InvalidRuleGroupException.class);
    assertThat(s.listAll("t")).isEmpty();
  }

  @Test
  void documentMarkersAndCommentsAreAccepted() {
    RuleStore s = store();
    StoredGroup g = s.setGroup("t", "ns", "---\n# comment first\nname: g\nrules: []\n");
    assertThat(g.name()).isEqualTo("g");
    assertThat(s.getGroup("t", "ns", "g")).isPresent();
  }

  @Test
  void renderedNamespacesAreMimirsYamlAndRuleFilesFeedTheManager() {
    RuleStore s = store();
    s.setGroup("t", "ns a", group("g1"));
    s.setGroup("t", "ns a", group("g2"));
    s.setGroup("t", "b", group("g3"));
    String yaml = RuleStore.renderNamespaces(s.listAll("t"));
    @SuppressWarnings("unchecked")
    Map<String, List<Map<String, Object>>> parsed =
        (Map<String, List<Map<String, Object>>>) new Load(LoadSettings.builder().build())
            .loadFromString(yaml);
    assertThat(parsed.keySet()).containsExactly("b", "ns a");
    assertThat(parsed.get("ns a")).extracting(m -> m.get("name")).containsExactly("g1", "g2");
    @SuppressWarnings("unchecked")
    var rules = (List<Map<String, Object>>) parsed.get("b").getFirst().get("rules");
    assertThat(((Map<?, ?>) rules.get(1).get("annotations")).get("description"))
        .isEqualTo("Instance {{ $labels.instance }}\nis down.\n");

    List<RuleFile> files = s.ruleFiles("t");
    assertThat(files).extracting(RuleFile::path).containsExactly("b", "ns a");
    assertThat(files.get(1).groups()).extracting(g -> g.name()).containsExactly("g1", "g2");
  }

  @Test
  void storedFilesAreReadableByThePromtoolCompatibleLoaderWhenWrapped() {
    RuleStore s = store();
    s.setGroup("t", "ns", group("g"));
    LoadResult r = new RuleFileLoader(PromqlExprValidator.allFeatures()).load("x",
        "groups:\n" + RuleStore.renderNamespaces(s.listAll("t")).lines().skip(1)
            .map(l -> l.substring(2)).reduce("", (a, b) -> a + b + "\n"));
    assertThat(r).isInstanceOf(LoadResult.Loaded.class);
  }
}
