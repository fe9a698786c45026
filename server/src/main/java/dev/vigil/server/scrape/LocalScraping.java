package dev.vigil.server.scrape;

import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.manager.ScrapeManager;
import dev.vigil.collector.manager.TargetMetadata;
import dev.vigil.collector.manager.TargetsView;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.server.tenant.TenantStorages;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The server's scraping: idle until a configuration with {@code scrape_configs} is applied, then
 * a {@link ScrapeManager} writing into one tenant's store. Applying again reloads in place
 * (unchanged jobs keep running, changed ones keep their surviving targets' series); applying for
 * another tenant restarts everything for that tenant. With {@link #enableReload}, {@link #reload}
 * (served as {@code POST /-/reload}, and on SIGHUP) reads the configuration again; a
 * configuration that does not load leaves the running one alone.
 */
public final class LocalScraping implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LocalScraping.class.getName());

  /**
   * The outcome of reloads so far (Prometheus's {@code prometheus_config_last_reload_*}).
   *
   * @param lastSuccessMillis when the configuration last loaded (startup counts)
   */
  public record ReloadStatus(boolean lastSuccessful, long lastSuccessMillis, long failures) {}

  private final Object lock = new Object();
  private final TenantStorages storages;

  // Guarded by lock.
  private ScrapeManager manager;
  private String tenant;
  private boolean closed;
  private ScrapeConfigSource source;
  private ManagerOptions reloadOptions;
  private String reloadTenant;
  private volatile ReloadStatus status;

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

  /**
   * Lets {@link #reload} read the configuration from {@code source} and apply it to
   * {@code tenant} with {@code options}; the configuration applied at startup (if any) counts
   * as the first successful load.
   */
  public void enableReload(ScrapeConfigSource source, String tenant, ManagerOptions options) {
    synchronized (lock) {
      this.source = source;
      this.reloadTenant = tenant;
      this.reloadOptions = options;
      status = new ReloadStatus(true, options.clock().millis(), 0);
    }
  }

  /**
   * Reads the scrape configuration again and applies it in place.
   *
   * @throws IllegalStateException when reloading was not enabled (nothing to read from)
   * @throws IllegalArgumentException when the configuration does not load (the running one stays)
   *     or some jobs cannot start (they keep their previous configuration, the others are
   *     applied), with the reason
   */
  public void reload() {
    synchronized (lock) {
      if (source == null) {
        throw new IllegalStateException("no scrape configuration to reload: start vigil server with --config.file "
            + "or --preset");
      }
      ReloadStatus before = status;
      try {
        PrometheusConfig next = source.load();
        if (next == null) {
          next = new PrometheusConfig(dev.vigil.collector.config.GlobalConfig.DEFAULT, java.util.List.of(),
              java.util.List.of());
        }
        if (manager != null || !next.scrapeConfigs().isEmpty()) {
          apply(next, reloadTenant, reloadOptions);
        }
      } catch (RuntimeException e) {
        status = new ReloadStatus(false, before.lastSuccessMillis(), before.failures() + 1);
        LOG.log(System.Logger.Level.ERROR, "reloading the scrape configuration failed: {0}", e.getMessage());
        throw e instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(e.getMessage(), e);
      }
      status = new ReloadStatus(true, reloadOptions.clock().millis(), before.failures());
      LOG.log(System.Logger.Level.INFO, "scrape configuration reloaded");
    }
  }

  /** Reload outcomes; null until {@link #enableReload}. */
  public ReloadStatus reloadStatus() {
    return status;
  }

  /** The targets now; empty when nothing is scraped. */
  public TargetsView targets() {
    ScrapeManager m;
    synchronized (lock) {
      m = manager;
    }
    return m == null ? TargetsView.EMPTY : m.targets();
  }

  /** Every active target's metadata from its scrapes; empty when nothing is scraped. */
  public List<TargetMetadata> targetMetadata() {
    ScrapeManager m;
    synchronized (lock) {
      m = manager;
    }
    return m == null ? List.of() : m.targetMetadata();
  }

  /**
   * Adds to {@code into} (family to distinct metadata, as {@code /api/v1/metadata} serves it) the
   * metadata of the scraped targets when {@code tenants} include the scrape tenant, only
   * {@code metric}'s when it is not empty: Prometheus answers {@code /api/v1/metadata} from its
   * targets' scrapes, so locally scraped families show up there as pushed ones do.
   */
  public TreeMap<String, List<MetricMetadata>> addScraped(List<String> tenants, String metric,
      TreeMap<String, List<MetricMetadata>> into) {
    ScrapeManager m;
    String t;
    synchronized (lock) {
      m = manager;
      t = tenant;
    }
    if (m == null || !tenants.contains(t)) {
      return into;
    }
    for (TargetMetadata target : m.targetMetadata()) {
      for (MetricMetadata md : target.metadata()) {
        if (!metric.isEmpty() && !metric.equals(md.family())) {
          continue;
        }
        List<MetricMetadata> list = into.computeIfAbsent(md.family(), k -> new ArrayList<>(2));
        if (!list.contains(md)) {
          list.add(md);
        }
        dropSeriesNamedTwin(into, md);
      }
    }
    return into;
  }

  /** Series-name suffixes OpenMetrics adds to a family name (counters, info metrics). */
  private static final String[] OPENMETRICS_SERIES_SUFFIXES = {"_total", "_created", "_info"};

  /**
   * The TSDB keeps metadata per series, so an OpenMetrics counter {@code x} scraped here is also
   * listed under its series name {@code x_total}; the scrape knows the family's real name, so
   * that twin (same type, help and unit) is dropped.
   */
  static void dropSeriesNamedTwin(TreeMap<String, List<MetricMetadata>> into,
      MetricMetadata md) {
    for (String suffix : OPENMETRICS_SERIES_SUFFIXES) {
      String seriesName = md.family() + suffix;
      List<MetricMetadata> twins = into.get(seriesName);
      if (twins != null && twins.remove(
          new MetricMetadata(seriesName, md.type(), md.help(), md.unit())) && twins.isEmpty()) {
        into.remove(seriesName);
      }
    }
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
