package dev.vigil.server.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.model.metadata.MetricType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataStoreTest {
  private static MetricMetadata m(String family, String help) {
    return new MetricMetadata(family, MetricType.GAUGE, help, "");
  }

  @Test
  void distinctEntriesPerFamilyInArrivalOrderDuplicatesOnce() {
    MetadataStore store = new MetadataStore(MetadataOptions.DEFAULTS);
    assertThat(store.add(List.of(m("a", "one"), m("a", "two"), m("a", "one"), m("b", "")), 0))
        .isEqualTo(new MetadataStore.Added(4, 0, 0, 0, 0, 0));
    assertThat(store.snapshot("", 0)).containsExactly(
        java.util.Map.entry("a", List.of(m("a", "one"), m("a", "two"))),
        java.util.Map.entry("b", List.of(m("b", ""))));
    assertThat(store.snapshot("b", 0)).containsOnlyKeys("b");
  }

  @Test
  void boundsDropNewFamiliesAndCombinationsButKeepKnownOnes() {
    MetadataStore store = new MetadataStore(new MetadataOptions(Duration.ofMinutes(10), 2, 2, 8));
    MetadataStore.Added added = store.add(List.of(m("a", "1"), m("b", "1"), m("c", "1"),
        m("a", "2"), m("a", "3"), m("a", "1")), 0);
    assertThat(added).isEqualTo(new MetadataStore.Added(4, 0, 0, 0, 1, 1));
    assertThat(store.snapshot("", 0).keySet()).containsExactly("a", "b");
    assertThat(store.snapshot("a", 0).get("a")).containsExactly(m("a", "1"), m("a", "2"));
  }

  @Test
  void longHelpIsCutOnACharacterBoundaryLongNamesAndUnitsAreDropped() {
    MetadataStore store = new MetadataStore(new MetadataOptions(Duration.ofMinutes(10), 10, 10, 8));
    MetadataStore.Added added = store.add(List.of(m("h", "abcdéfghij"), m("too_long_name", ""),
        new MetricMetadata("u", MetricType.COUNTER, "", "nanoseconds"), m("", "no name")), 0);
    assertThat(added).isEqualTo(new MetadataStore.Added(1, 1, 1, 1, 0, 0));
    assertThat(added.dropped()).isEqualTo(3);
    assertThat(store.snapshot("h", 0).get("h")).containsExactly(m("h", "abcdéfg"));
    assertThat(MetadataStore.truncate("€€€", 7)).isEqualTo("€€");
    assertThat(MetadataStore.truncate("a😀b", 4)).isEqualTo("a");
  }

  @Test
  void entriesNotResentWithinTheRetentionAreForgotten() {
    MetadataStore store = new MetadataStore(MetadataOptions.DEFAULTS);
    store.add(List.of(m("old", "x"), m("kept", "x")), 0);
    store.add(List.of(m("kept", "x")), 9 * 60_000);
    long later = 10 * 60_000 + 1;
    assertThat(store.snapshot("", later).keySet()).containsExactly("kept");
    store.purge(later);
    assertThat(store.families()).isEqualTo(1);
    // A purge also runs from add, at most once a minute.
    store.add(List.of(m("new", "y")), 30 * 60_000);
    assertThat(store.families()).isEqualTo(1);
    assertThat(store.snapshot("", 30 * 60_000).keySet()).containsExactly("new");
  }

  @Test
  void tenantsAreSeparateAndFederatedReadsMergeWithoutDuplicates() {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1000), ZoneId.of("UTC"));
    TenantMetadata tenants = new TenantMetadata(clock, MetadataOptions.DEFAULTS);
    tenants.add("a", List.of(m("x", "1"), m("y", "1")));
    tenants.add("b", List.of(m("x", "1"), m("x", "2")));
    assertThat(tenants.read(List.of("a"), "").get("x")).containsExactly(m("x", "1"));
    assertThat(tenants.read(List.of("c"), "")).isEmpty();
    assertThat(tenants.read(List.of("a", "b"), "").get("x"))
        .containsExactly(m("x", "1"), m("x", "2"));
    assertThat(tenants.read(List.of("a", "b"), "y").keySet()).containsExactly("y");
  }

  @Test
  void optionsMustBePositive() {
    assertThatThrownBy(() -> new MetadataOptions(Duration.ZERO, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
  }
}
