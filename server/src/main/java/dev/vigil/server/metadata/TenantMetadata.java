package dev.vigil.server.metadata;

import dev.vigil.protocol.remote.MetricMetadata;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The metadata stores of all tenants, created on first write. Thread-safe. */
public final class TenantMetadata {
  private final Clock clock;
  private final MetadataOptions options;
  private final ConcurrentHashMap<String, MetadataStore> stores = new ConcurrentHashMap<>();

  public TenantMetadata(Clock clock, MetadataOptions options) {
    this.clock = clock;
    this.options = options;
  }

  /** Stores {@code batch} for {@code tenant}, as seen now. */
  public MetadataStore.Added add(String tenant, List<MetricMetadata> batch) {
    if (batch.isEmpty()) {
      return MetadataStore.Added.NOTHING;
    }
    return stores.computeIfAbsent(tenant, t -> new MetadataStore(options))
        .add(batch, clock.millis());
  }

  /**
   * The live metadata of {@code tenants} (several for a federated read; a family sent to more
   * than one lists each distinct combination once), sorted by family, only {@code metric}'s when
   * it is not empty.
   */
  public TreeMap<String, List<MetricMetadata>> read(List<String> tenants, String metric) {
    long now = clock.millis();
    TreeMap<String, List<MetricMetadata>> out = new TreeMap<>();
    for (String tenant : tenants) {
      MetadataStore store = stores.get(tenant);
      if (store == null) {
        continue;
      }
      for (Map.Entry<String, List<MetricMetadata>> e : store.snapshot(metric, now).entrySet()) {
        List<MetricMetadata> list = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>(2));
        for (MetricMetadata m : e.getValue()) {
          if (!list.contains(m)) {
            list.add(m);
          }
        }
      }
    }
    return out;
  }
}
