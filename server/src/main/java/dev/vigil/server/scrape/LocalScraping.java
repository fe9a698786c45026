package dev.vigil.server.scrape;

import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.manager.ScrapeManager;
import dev.vigil.collector.manager.TargetsView;
import dev.vigil.server.tenant.TenantStorages;

/**
 * The server's scraping: idle until a configuration with {@code scrape_configs} is applied, then
 * a {@link ScrapeManager} writing into one tenant's store. Applying again reloads (unchanged jobs
 * keep running); applying for another tenant restarts everything for that tenant.
 */
public final class LocalScraping implements AutoCloseable {
  private final Object lock = new Object();
  private final TenantStorages storages;

  // Guarded by lock.
  private ScrapeManager manager;
  private String tenant;
  private boolean closed;

  public LocalScraping(TenantStorages storages) {
    this.storages = storages;
  }

  /**
   * Scrapes {@code config}'s jobs into {@code tenant}'s store.
   *
   * @throws IllegalArgumentException when a job cannot start (see {@link ScrapeManager#apply})
   */
  public void apply(PrometheusConfig config, String tenant, ManagerOptions options) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the server is shutting down");
      }
      if (manager != null && !tenant.equals(this.tenant)) {
        manager.close();
        manager = null;
      }
      if (manager == null) {
        try {
          // Now rather than in a scrape thread: an unusable tenant must fail the start.
          storages.forWrite(tenant);
        } catch (RuntimeException e) {
          throw new IllegalArgumentException("scrape tenant " + tenant + ": " + e.getMessage(), e);
        }
        manager = new ScrapeManager(new TenantAppendable(storages, tenant), options);
        this.tenant = tenant;
      }
      manager.apply(config);
    }
  }

  /** The targets now; empty when nothing is scraped. */
  public TargetsView targets() {
    ScrapeManager m;
    synchronized (lock) {
      m = manager;
    }
    return m == null ? TargetsView.EMPTY : m.targets();
  }

  /** Stops scraping (series go stale in the store, so call before closing the stores). */
  @Override
  public void close() {
    ScrapeManager m;
    synchronized (lock) {
      closed = true;
      m = manager;
      manager = null;
    }
    if (m != null) {
      m.close();
    }
  }
}
