package dev.vigil.server.ruler;

import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Storage;
import dev.vigil.server.ingest.SeriesLimit;
import dev.vigil.server.limits.LimitsProvider;
import dev.vigil.server.tenant.EmptyQueryable;
import dev.vigil.server.tenant.TenantStorages;

/**
 * One tenant's store, looked up at every use: a rule manager lives long, and the tenant's
 * store may be closed when idle and reopened, so the manager must not hold it.
 */
final class TenantStorage implements Storage {
  private final TenantStorages storages;
  private final String tenant;
  private final LimitsProvider limits;

  TenantStorage(TenantStorages storages, String tenant, LimitsProvider limits) {
    this.storages = storages;
    this.tenant = tenant;
    this.limits = limits;
  }

  /** The tenant's appender under its series limit (recording rules create series too). */
  @Override
  public Appender appender() {
    Storage s = storages.forWrite(tenant);
    return SeriesLimit.wrap(s, s.appender(), limits.forTenant(tenant).maxGlobalSeriesPerUser());
  }

  @Override
  public Querier querier(long minT, long maxT) {
    return storages.forRead(tenant).map(s -> s.querier(minT, maxT))
        .orElseGet(() -> EmptyQueryable.INSTANCE.querier(minT, maxT));
  }
}
