package dev.vigil.server.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeOverridesTest {
  private static final TenantLimits D = TenantLimits.MIMIR_DEFAULTS;

  @Test
  void overridesReplaceOnlyTheFieldsTheyName() {
    Map<String, TenantLimits> m = RuntimeOverrides.parse("""
        overrides:
          big:
            ingestion_rate: 50000
            max_label_names_per_series: 40
        """, D, "rc.yaml");
    TenantLimits big = m.get("big");
    assertThat(big.ingestionRate()).isEqualTo(50000);
    assertThat(big.ingestionBurstSize()).isEqualTo(200_000);
    assertThat(big.validation().maxLabelNamesPerSeries()).isEqualTo(40);
    assertThat(big.validation().maxLabelValueLength()).isEqualTo(2048);
    assertThat(RuntimeOverrides.parse("", D, "rc.yaml")).isEmpty();
  }

  @Test
  void mistakesNameTheFileTenantAndField() {
    assertThatThrownBy(() -> RuntimeOverrides.parse("overrides:\n  t:\n    ingestion_rat: 1\n",
        D, "rc.yaml")).hasMessageStartingWith("runtime config rc.yaml: unknown limit "
            + "'ingestion_rat' for tenant 't'");
    assertThatThrownBy(() -> RuntimeOverrides.parse("overrides:\n  t:\n    ingestion_rate: x\n",
        D, "rc.yaml")).hasMessage("runtime config rc.yaml: limit 'ingestion_rate' of tenant 't' "
            + "must be a number, got 'x'");
    assertThatThrownBy(() -> RuntimeOverrides.parse("overrides: [", D, "rc.yaml"))
        .hasMessageStartingWith("runtime config rc.yaml is not valid YAML");
  }

  @Test
  void reloadKeepsTheLastGoodOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("runtime.yaml");
    Files.writeString(file, "overrides:\n  a:\n    ingestion_rate: 5\n    "
        + "ingestion_burst_size: 5\n");
    try (RuntimeOverrides o = RuntimeOverrides.start(D, file, Duration.ofHours(1))) {
      assertThat(o.forTenant("a").ingestionRate()).isEqualTo(5);
      assertThat(o.forTenant("b")).isEqualTo(D);
      Files.writeString(file, "overrides:\n  a:\n    ingestion_rate: 7\n    "
          + "ingestion_burst_size: 7\n");
      o.reload();
      assertThat(o.forTenant("a").ingestionRate()).isEqualTo(7);
      Files.writeString(file, "overrides: [");
      assertThatThrownBy(o::reload).isInstanceOf(IllegalArgumentException.class);
      assertThat(o.forTenant("a").ingestionRate()).isEqualTo(7);
    }
  }
}
