package dev.vigil.server.scrape;

import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import dev.vigil.server.tenant.TenantStorages;

/**
 * A tenant's store as an append target, looked up for every appender: the registry may close an
 * idle store and reopen it later, so a reference kept across scrapes would go stale.
 */
record TenantAppendable(TenantStorages storages, String tenant) implements Appendable {
  @Override
  public Appender appender() {
    return storages.forWrite(tenant).appender();
  }

  @Override
  public boolean ingestsStartTimestamps() {
    return storages.forWrite(tenant).ingestsStartTimestamps();
  }
}
