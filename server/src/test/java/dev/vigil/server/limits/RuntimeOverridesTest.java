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
  void seriesAndQueryLimits() {
    TenantLimits t = RuntimeOverrides.parse("""
        overrides:
          t:
            max_global_series_per_user: 500
            max_samples_per_query: 1000
            query_timeout: 30s
            max_total_query_length: 32d
        """, D, "rc.yaml").get("t");
    assertThat(t.maxGlobalSeriesPerUser()).isEqualTo(500);
    assertThat(t.maxSamplesPerQuery()).isEqualTo(1000);
    assertThat(t.queryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.maxTotalQueryLength()).isEqualTo(Duration.ofDays(32));
    assertThat(D.maxGlobalSeriesPerUser()).isEqualTo(150_000);
    assertThatThrownBy(() -> RuntimeOverrides.parse("overrides:\n  t:\n    query_timeout: soon\n",
        D, "rc.yaml")).hasMessage("runtime config rc.yaml: limit 'query_timeout' of tenant 't' "
            + "must be a duration such as 2m, got 'soon'");
  }

  @Test
  void goDurations() {
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("1w2d")).isEqualTo(Duration.ofDays(9));
    assertThat(GoDuration.parse("1500ms")).isEqualTo(Duration.ofMillis(1500));
    assertThatThrownBy(() -> GoDuration.parse("1m1h")).isInstanceOf(IllegalArgumentException.class);
    assertThat(GoDuration.format(Duration.ofDays(30).plusHours(1))).isEqualTo("721h0m0s");
    assertThat(GoDuration.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
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

  @Test
  void storageLimitsAndTheirBounds() {
    TenantLimits t = RuntimeOverrides.parse("""
        overrides:
          t:
            out_of_order_time_window: 30m
            max_global_exemplars_per_user: 5
        """, D, "rc.yaml").get("t");
    assertThat(t.outOfOrderTimeWindow()).isEqualTo(Duration.ofMinutes(30));
    assertThat(t.maxGlobalExemplarsPerUser()).isEqualTo(5);
    assertThat(D.outOfOrderTimeWindow()).isZero();
    assertThat(D.maxGlobalExemplarsPerUser())
        .isEqualTo(TenantLimits.DEFAULT_MAX_GLOBAL_EXEMPLARS_PER_USER);
    assertThatThrownBy(() -> RuntimeOverrides.parse(
        "overrides:\n  t:\n    out_of_order_time_window: 2h\n", D, "rc.yaml"))
        .hasMessage("runtime config rc.yaml: tenant 't': out-of-order time window PT2H is not "
            + "in [0, 1h] (it may be at most half the 2h block range)");
    assertThatThrownBy(() -> RuntimeOverrides.parse(
        "overrides:\n  t:\n    max_global_exemplars_per_user: -1\n", D, "rc.yaml"))
        .hasMessage("runtime config rc.yaml: tenant 't': exemplar limit -1 must not be negative");
  }
}
