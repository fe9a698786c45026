package dev.vigil.server.maintenance;

import dev.vigil.model.storage.Storage;
import dev.vigil.server.limits.LimitsChangeListener;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.server.limits.GoDuration;
import dev.vigil.server.tenant.TenantStorages;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.head.HeadOptions;
import java.time.Duration;

/**
 * Applies a tenant's changed {@code out_of_order_time_window} and
 * {@code max_global_exemplars_per_user} to its open TSDB at once (Mimir's ingester does the same
 * in {@code applyTSDBSettings} through Prometheus's {@code DB.ApplyConfig}): the next append
 * sees the new window, the exemplar ring is resized keeping its newest exemplars. A closed
 * database needs nothing: it opens with the limits in force then. Stores of another engine are
 * left alone.
 */
public final class TsdbLimitsUpdater implements LimitsChangeListener {
  private static final System.Logger LOG = System.getLogger(TsdbLimitsUpdater.class.getName());

  private final TenantStorages storages;

  public TsdbLimitsUpdater(TenantStorages storages) {
    this.storages = storages;
  }

  @Override
  public void limitsChanged(String tenant, TenantLimits before, TenantLimits after) {
    if (!before.storageLimitsDifferFrom(after)) {
      return;
    }
    // Under the tenant's open/close lock: a database opening meanwhile opens with `after`.
    storages.ifOpen(tenant, store -> apply(tenant, store, after));
  }

  private static void apply(String tenant, Storage store, TenantLimits limits) {
    if (!(store instanceof Tsdb db)) {
      return;
    }
    HeadOptions was = db.options().head();
    long window = limits.outOfOrderTimeWindow().toMillis();
    int exemplars = limits.maxGlobalExemplarsPerUser();
    if (was.outOfOrderWindowMs() == window && was.maxExemplars() == exemplars) {
      return; // opened after the change, with these limits already
    }
    int held = db.head().exemplars().size();
    db.updateLimits(window, exemplars);
    StringBuilder what = new StringBuilder();
    if (was.outOfOrderWindowMs() != window) {
      what.append("out_of_order_time_window ")
          .append(GoDuration.format(Duration.ofMillis(was.outOfOrderWindowMs()))).append(" -> ")
          .append(GoDuration.format(Duration.ofMillis(window)));
    }
    if (was.maxExemplars() != exemplars) {
      what.append(what.isEmpty() ? "" : ", ").append("max_global_exemplars_per_user ")
          .append(was.maxExemplars()).append(" -> ").append(exemplars).append(" (exemplars held ")
          .append(held).append(" -> ").append(db.head().exemplars().size()).append(')');
    }
    LOG.log(System.Logger.Level.INFO, "tenant {0}: applied to its open database: {1}", tenant,
        what);
  }
}
