package dev.vigil.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a reload, the listeners hear of every tenant whose limits changed, and only those. */
class RuntimeOverridesListenerTest {
  private static final TenantLimits D = TenantLimits.MIMIR_DEFAULTS;

  @TempDir
  Path dir;

  /** One call of a listener: tenant, and the changes as {@link TenantLimits#changesTo} says. */
  private record Heard(String tenant, List<String> changes) {}

  @Test
  void changedTenantsAreToldWithTheirOldAndNewLimits() throws Exception {
    Path rc = dir.resolve("rc.yaml");
    Files.writeString(rc, """
        overrides:
          a:
            out_of_order_time_window: 10m
          b:
            ingestion_rate: 5
        """);
    List<Heard> heard = new ArrayList<>();
    try (RuntimeOverrides o = RuntimeOverrides.start(D, rc, Duration.ofHours(1))) {
      o.addListener((tenant, before, after) -> {
        assertThat(o.forTenant(tenant)).as("in force when told").isEqualTo(after);
        heard.add(new Heard(tenant, before.changesTo(after)));
      });
      o.reload(); // the same file: nothing changed
      assertThat(heard).isEmpty();

      Files.writeString(rc, """
          overrides:
            b:
              ingestion_rate: 5
            c:
              max_global_exemplars_per_user: 7
              query_timeout: 30s
          """);
      o.reload();
      assertThat(heard).containsExactly(
          new Heard("a", List.of("out_of_order_time_window 10m0s -> 0s")),
          new Heard("c", List.of("query_timeout 0s -> 30s",
              "max_global_exemplars_per_user 100000 -> 7")));
    }
  }

  @Test
  void aFileThatDoesNotParseTellsNobodyAndAFailingListenerStopsNoOther() throws Exception {
    Path rc = dir.resolve("rc.yaml");
    Files.writeString(rc, "");
    List<String> heard = new ArrayList<>();
    try (RuntimeOverrides o = RuntimeOverrides.start(D, rc, Duration.ofHours(1))) {
      o.addListener((tenant, before, after) -> {
        throw new IllegalStateException("broken listener");
      });
      o.addListener((tenant, before, after) -> heard.add(tenant));
      Files.writeString(rc, "overrides:\n  a:\n    nonsense: 1\n");
      assertThatThrownBy(o::reload).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown limit 'nonsense'");
      assertThat(heard).isEmpty();
      Files.writeString(rc, "overrides:\n  a:\n    max_global_series_per_user: 3\n");
      o.reload();
      assertThat(heard).containsExactly("a");
      assertThat(o.forTenant("a").maxGlobalSeriesPerUser()).isEqualTo(3);
    }
  }

  @Test
  void withoutAFileThereIsNothingToReload() {
    try (RuntimeOverrides o = RuntimeOverrides.start(D, null, Duration.ofHours(1))) {
      assertThat(o.hasFile()).isFalse();
      assertThatThrownBy(o::reload).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("--runtime-config.file");
    }
  }

  @Test
  void changesNameEachDifferingLimitAndStorageLimitsAreTheWindowAndExemplars() {
    TenantLimits other = D.withIngestion(5, 10).withRulerLimits(1, 2);
    assertThat(D.changesTo(other)).containsExactly("ingestion_rate 10000.0 -> 5.0",
        "ingestion_burst_size 200000 -> 10", "ruler_max_rules_per_rule_group 20 -> 1",
        "ruler_max_rule_groups_per_tenant 70 -> 2");
    assertThat(D.changesTo(D)).isEmpty();
    assertThat(D.storageLimitsDifferFrom(other)).isFalse();
    assertThat(D.storageLimitsDifferFrom(D.withStorageLimits(Duration.ZERO, 5))).isTrue();
    assertThat(D.storageLimitsDifferFrom(D.withStorageLimits(Duration.ofMinutes(1),
        D.maxGlobalExemplarsPerUser()))).isTrue();
  }
}
