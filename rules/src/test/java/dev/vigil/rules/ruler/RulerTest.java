package dev.vigil.rules.ruler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.rules.eval.EngineRuleQuery;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.rules.manager.GroupKey;
import dev.vigil.rules.manager.ManualTime;
import dev.vigil.rules.manager.RuleManagerOptions;
import dev.vigil.rules.store.RuleStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulerTest {
  @TempDir Path dir;

  @Test
  void oneManagerPerTenantFollowingTheStore() {
    ManualTime time = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
    Engine engine = new Engine(EngineOptions.forTests());
    Map<String, InMemoryStorage> storages = new HashMap<>();
    RuleStore store = new RuleStore(dir.resolve("rules"),
        new RuleFileLoader(PromqlExprValidator.allFeatures()));
    store.setGroup("t1", "ns", "name: g\ninterval: 1m\nrules:\n- record: r\n  expr: vector(1)\n");
    try (Ruler ruler = new Ruler(store, tenant -> {
      InMemoryStorage s = storages.computeIfAbsent(tenant, t -> new InMemoryStorage());
      return RuleManagerOptions.builder().clock(time).scheduler(time).storage(s)
          .query(new EngineRuleQuery(engine, s)).build();
    })) {
      ruler.sync();
      assertThat(ruler.tenants()).containsExactly("t1");

      store.setGroup("t2", "ns", "name: h\nrules:\n- record: r\n  expr: vector(2)\n");
      ruler.sync("t2");
      time.advance(Duration.ofMinutes(2));
      assertThat(ruler.tenants()).containsExactly("t1", "t2");
      assertThat(storages.get("t2").seriesCount()).isEqualTo(1);
      assertThat(ruler.manager("t1").orElseThrow().group(new GroupKey("ns", "g"))).isPresent();
      assertThat(ruler.collect()).anySatisfy(s -> assertThat(s.labels()).isEqualTo(
          Labels.of("rule_group", "ns;h", "user", "t2")));

      store.deleteNamespace("t1", "ns");
      ruler.sync();
      assertThat(ruler.tenants()).containsExactly("t2");
    }
  }
}
