package dev.vigil.rules.ruler;

import dev.vigil.rules.manager.RuleManager;
import dev.vigil.rules.manager.RuleManagerOptions;
import dev.vigil.rules.metrics.MetricSample;
import dev.vigil.rules.store.RuleStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The multi-tenant ruler: one {@link RuleManager} per tenant that has rule groups in the {@link
 * RuleStore}, kept in step with it by {@link #sync()} (all tenants: at start and periodically) and
 * {@link #sync(String)} (one tenant: after a config API write). A tenant whose stored groups
 * cannot be loaded keeps running its previous groups. Thread-safe.
 */
public final class Ruler implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Ruler.class.getName());

  private final RuleStore store;
  private final Function<String, RuleManagerOptions> optionsForTenant;
  private final Map<String, RuleManager> managers = new TreeMap<>();
  private boolean closed;

  /**
   * @param optionsForTenant builds a tenant's manager options (its query function and storage,
   *     the shared scheduler, notifier and metrics); called once per tenant
   */
  public Ruler(RuleStore store, Function<String, RuleManagerOptions> optionsForTenant) {
    this.store = store;
    this.optionsForTenant = optionsForTenant;
  }

  /** Starts, updates and stops managers so that they match every tenant in the store. */
  public synchronized void sync() {
    checkOpen();
    Set<String> tenants = new HashSet<>(store.tenants());
    for (String t : List.copyOf(managers.keySet())) {
      if (!tenants.contains(t)) {
        syncTenant(t);
      }
    }
    for (String t : tenants) {
      syncTenant(t);
    }
  }

  /** Brings one tenant's manager in step with the store (starting or stopping it as needed). */
  public synchronized void sync(String tenant) {
    checkOpen();
    syncTenant(tenant);
  }

  private void syncTenant(String tenant) {
    try {
      var files = store.ruleFiles(tenant);
      RuleManager m = managers.get(tenant);
      if (files.isEmpty()) {
        if (m != null) {
          m.update(List.of()); // marks the tenant's rule series stale, then stops
          managers.remove(tenant);
        }
        return;
      }
      if (m == null) {
        m = new RuleManager(optionsForTenant.apply(tenant));
        managers.put(tenant, m);
      }
      m.update(files);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "ruler: loading rule groups of tenant \"" + tenant
          + "\" failed; its previous groups keep running", e);
    }
  }

  public synchronized Optional<RuleManager> manager(String tenant) {
    return Optional.ofNullable(managers.get(tenant));
  }

  public synchronized List<String> tenants() {
    return List.copyOf(managers.keySet());
  }

  /** Every manager's metrics with a {@code user} label (Mimir's name for the tenant). */
  public synchronized List<MetricSample> collect() {
    List<MetricSample> out = new ArrayList<>();
    managers.forEach((tenant, m) -> m.metrics().collect().forEach(s -> out.add(new MetricSample(
        s.name(), s.labels().toBuilder().set("user", tenant).build(), s.value(), s.counter()))));
    return out;
  }

  /** Stops every manager (no staleness markers, as at shutdown). Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    managers.values().forEach(RuleManager::close);
    managers.clear();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("ruler is closed");
    }
  }
}
