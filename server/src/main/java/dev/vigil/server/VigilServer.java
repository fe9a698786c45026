package dev.vigil.server;

import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.engine.Engine;
import dev.vigil.promql.parser.ParserOptions;
import dev.vigil.server.api.BuildInfo;
import dev.vigil.server.api.HeadStats;
import dev.vigil.server.api.PrometheusApi;
import dev.vigil.server.api.QueryLanguage;
import dev.vigil.server.auth.TokenAuthenticator;
import dev.vigil.server.http.Authenticator;
import dev.vigil.server.http.HttpReply;
import dev.vigil.server.http.JettyCacheLines;
import dev.vigil.server.http.Routes;
import dev.vigil.server.http.RoutingHandler;
import dev.vigil.server.ingest.OtlpEndpoint;
import dev.vigil.server.ingest.PushEndpoint;
import dev.vigil.server.limits.IngestionRateLimiter;
import dev.vigil.server.limits.RuntimeOverrides;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.server.maintenance.TsdbMaintenance;
import dev.vigil.server.monitoring.ServerMetrics;
import dev.vigil.server.query.PromqlLanguage;
import dev.vigil.server.ruler.RulerEndpoints;
import dev.vigil.server.ruler.RulerMetrics;
import dev.vigil.server.ruler.RulerService;
import dev.vigil.server.tenant.DirectoryTenantStorages;
import dev.vigil.server.tenant.TenantResolver;
import dev.vigil.server.tenant.TenantStorages;
import dev.vigil.tsdb.Tsdb;
import dev.vigil.tsdb.TsdbOptions;
import java.util.Set;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One running Vigil backend: Jetty serving remote write, the Prometheus API (at the root and
 * under {@code /prometheus}), health and metrics, over per-tenant stores. Start with
 * {@link #start}, stop with {@link #close()} (Jetty first, so no request writes into a closed
 * store, then the stores, which flushes and closes their WALs).
 */
public final class VigilServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(VigilServer.class.getName());
  private static final Set<String> GET = Set.of("GET", "HEAD");
  private static final Set<String> GET_POST = Set.of("GET", "POST");
  private static final Set<String> POST = Set.of("POST");
  private static final Set<String> RULER_METHODS = Set.of("GET", "HEAD", "POST", "DELETE");
  /** Mimir's {@code -runtime-config.reload-period} default. */
  private static final java.time.Duration RUNTIME_CONFIG_PERIOD = java.time.Duration.ofSeconds(10);

  private final ServerConfig config;
  private final TenantStorages storages;
  private final ServerMetrics metrics;
  private final RuntimeOverrides overrides;
  private final TsdbMaintenance maintenance;
  private final RulerService ruler;
  private final dev.vigil.server.scrape.LocalScraping scraping;
  private final Server jetty;
  private final ServerConnector connector;
  private volatile boolean closed;

  private VigilServer(ServerConfig config, TenantStorages storages, RuntimeOverrides overrides,
      QueryLanguage promql, BuildInfo buildInfo) {
    JettyCacheLines.configure(); // before Jetty's first class that reads it
    this.config = config;
    this.storages = storages;
    this.scraping = new dev.vigil.server.scrape.LocalScraping(storages);
    // First, so a bad certificate fails before any thread starts.
    org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl =
        config.tls() == null ? null : config.tls().sslContextFactory();
    Authenticator auth = config.authFile() == null ? Authenticator.NONE
        : TokenAuthenticator.load(config.authFile());
    this.metrics = new ServerMetrics();
    this.overrides = overrides;
    // Changed out-of-order windows and exemplar limits reach open databases at once.
    overrides.addListener(new dev.vigil.server.maintenance.TsdbLimitsUpdater(storages));
    this.ruler = config.ruler().enabled()
        ? RulerService.start(config.dataDir(), storages, overrides, new Engine(config.engine()),
            config.ruler(), "vigil-ruler-" + config.port())
        : null;
    if (ruler != null) {
      // Grafana offers rule editing when the config API is served.
      buildInfo = new BuildInfo(buildInfo.version(), buildInfo.revision(), buildInfo.branch(),
          buildInfo.buildDate(), true, buildInfo.alertmanagerConfigApi());
    }
    TenantResolver tenants = new TenantResolver(config.multitenancy(), config.noAuthTenant());
    PrometheusApi api = new PrometheusApi(promql, config.clock(), buildInfo, config.configYaml(),
        config.flags());
    Routes routes = routes(api, tenants);
    if (ruler != null) {
      metrics.registry().register(new RulerMetrics(ruler));
    }
    metrics.registry().register(new dev.vigil.server.scrape.ScrapeReloadMetrics(scraping));
    this.maintenance = TsdbMaintenance.start(storages, config.maintenance(), metrics.registry(),
        "vigil-tsdb-maintenance-" + config.port());

    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("vigil-http-" + config.port());
    jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    // Rule namespaces and groups may contain '/', sent as %2F (mimirtool, Grafana).
    http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("vigil",
        org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
        org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
    if (ssl == null) {
      connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    } else {
      // Clients reach the server by IP or any name; certificates are the operator's concern.
      http.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
      connector = new ServerConnector(jetty, new org.eclipse.jetty.server.SslConnectionFactory(
          ssl, "http/1.1"), new HttpConnectionFactory(http));
    }
    connector.setHost(config.host().isEmpty() ? null : config.host());
    connector.setPort(config.port());
    jetty.addConnector(connector);
    jetty.setHandler(new RoutingHandler(routes, metrics, auth));
    jetty.setStopTimeout(5_000);
  }

  private Routes routes(PrometheusApi api, TenantResolver tenants) {
    ApiEndpoints e = new ApiEndpoints(tenants, storages, overrides, config.maxFormBytes());
    Routes r = new Routes();
    // One limiter for both ingest paths: the rate is per tenant, whatever the protocol.
    IngestionRateLimiter rate = new IngestionRateLimiter(config.clock());
    // Metric metadata from both ingest paths, per tenant, for /api/v1/metadata.
    var metadata = new dev.vigil.server.metadata.TenantMetadata(config.clock(),
        dev.vigil.server.metadata.MetadataOptions.DEFAULTS);
    PushEndpoint push = new PushEndpoint(tenants, storages, metrics, overrides,
        config.maxPushBytes(), rate, metadata);
    r.add("/otlp/v1/metrics", POST, new OtlpEndpoint(tenants, storages, metrics,
        overrides, config.maxPushBytes(), rate, metadata));
    r.add("/api/v1/push", POST, push);
    r.add("/api/v1/write", POST, push);
    RulerEndpoints rulerApi = ruler == null ? null : new RulerEndpoints(ruler, tenants, overrides);
    if (rulerApi != null) {
      r.add(RulerEndpoints.CONFIG_PREFIX, RULER_METHODS, rulerApi::config);
      r.add(RulerEndpoints.CONFIG_PREFIX + "/**", RULER_METHODS, rulerApi::config);
    }
    for (String prefix : new String[] {"", "/prometheus"}) {
      String v1 = prefix + "/api/v1";
      r.add(v1 + "/query", GET_POST, e.query(api::query));
      r.add(v1 + "/query_range", GET_POST, e.query(api::queryRange));
      r.add(v1 + "/series", GET_POST, e.withTenant((p, q, x) -> api.series(p, q)));
      r.add(v1 + "/labels", GET_POST, e.withTenant((p, q, x) -> api.labelNames(p, q)));
      r.add(v1 + "/label/{name}/values", GET, e.withTenant(api::labelValuesOf));
      r.add(v1 + "/metadata", GET,
          e.withTenantIds((p, ids) -> api.metadata(p,
              m -> scraping.addScraped(ids, m, metadataOf(metadata, ids, m)))));
      r.add(v1 + "/query_exemplars", GET_POST,
          e.withTenant((p, q, x) -> api.queryExemplars(p, q)));
      r.add(v1 + "/format_query", GET_POST, e.withoutTenant(api::formatQuery));
      r.add(v1 + "/parse_query", GET_POST, e.withoutTenant(api::parseQuery));
      r.add(v1 + "/status/buildinfo", GET, e.withoutTenant(p -> api.buildInfo()));
      r.add(v1 + "/status/config", GET, e.withoutTenant(p -> api.config()));
      r.add(v1 + "/status/flags", GET, e.withoutTenant(p -> api.flags()));
      r.add(v1 + "/targets", GET, new dev.vigil.server.scrape.TargetsEndpoint(scraping::targets));
      r.add(v1 + "/targets/metadata", GET, e.withoutTenant(p ->
          dev.vigil.server.scrape.TargetMetadataEndpoint.answer(p, scraping.targetMetadata())));
      if (ruler != null) {
        r.add(v1 + "/rules", GET, rulerApi::rules);
        r.add(v1 + "/alerts", GET, rulerApi::alerts);
      } else {
        r.add(v1 + "/rules", GET, e.withoutTenant(p -> api.rules()));
        r.add(v1 + "/alerts", GET, e.withoutTenant(p -> api.alerts()));
      }
      r.add(v1 + "/status/tsdb", GET,
          e.withTenant((p, q, x) -> api.tsdbStatus(p, q, headStats(q))));
    }
    r.add("/ready", GET, call -> readiness());
    r.add("/-/ready", GET, call -> readiness());
    r.add("/-/healthy", GET, call -> HttpReply.text(200, "Vigil is Healthy."));
    r.add("/-/reload", Set.of("POST", "PUT"),
        new dev.vigil.server.scrape.ReloadEndpoint(this::reloadConfiguration));
    r.add("/metrics", GET, call -> metrics.scrape(call.header("Accept")));
    return r;
  }

  /**
   * Pushed metadata (in memory, Mimir's retention) merged with what the tenants' TSDBs keep per
   * series (remote write 2.0 and OTLP give it per series; it survives restarts).
   */
  private java.util.TreeMap<String, java.util.List<dev.vigil.protocol.remote.MetricMetadata>>
      metadataOf(dev.vigil.server.metadata.TenantMetadata pushed, java.util.List<String> ids,
          String metric) {
    var out = pushed.read(ids, metric);
    for (String id : ids) {
      storages.forRead(id).ifPresent(s -> {
        var stored = new java.util.TreeMap<String,
            java.util.List<dev.vigil.protocol.remote.MetricMetadata>>();
        if (s instanceof dev.vigil.server.tenant.TenantHandle h) {
          h.read(store -> {
            if (store instanceof Tsdb t) {
              dev.vigil.server.metadata.StoredMetadata.addTo(t.head(), metric, stored);
            }
            return null;
          });
        } else if (s instanceof Tsdb t) {
          dev.vigil.server.metadata.StoredMetadata.addTo(t.head(), metric, stored);
        }
        dev.vigil.server.metadata.StoredMetadata.merge(out, stored);
      });
    }
    return out;
  }

  /** The head of a single tenant's TSDB; null for other stores and federated reads. */
  private static HeadStats headStats(dev.vigil.model.storage.Queryable q) {
    if (!(q instanceof dev.vigil.model.storage.Storage s
        && dev.vigil.server.tenant.TenantHandle.unwrap(s) instanceof Tsdb t)) {
      return null;
    }
    int n = t.head().numSeries();
    // An empty head reports MAX/MIN_VALUE; Prometheus shows 0 then.
    return n == 0 ? new HeadStats(0, 0, 0, 0)
        : new HeadStats(n, 0, t.head().minTime(), t.head().maxTime());
  }

  private HttpReply readiness() {
    return closed ? HttpReply.text(503, "shutting down") : HttpReply.text(200, "ready");
  }

  /** Opens the tenant registry described by {@code config} and starts serving. */
  public static VigilServer start(ServerConfig config, BuildInfo buildInfo) {
    RuntimeOverrides overrides = startOverrides(config);
    DirectoryTenantStorages.StorageOpener opener = switch (config.storage()) {
      case TSDB -> (tenant, dir) ->
          Tsdb.open(dir, tsdbOptions(overrides.forTenant(tenant), config.wal(),
              config.startTimestampZeroSamples())
              .withSnapshotOnShutdown(config.headSnapshot()), config.clock());
      case MEMORY -> (tenant, dir) -> new InMemoryStorage();
    };
    DirectoryTenantStorages storages = new DirectoryTenantStorages(config.dataDir(), opener,
        config.clock());
    if (config.storage() == StorageEngine.TSDB) {
      // After a crash, replays start now, alongside the rest of the start-up.
      storages.openInBackground(Tsdb::hasWalToReplay, "vigil-tenant-recovery-" + config.port());
    }
    QueryLanguage promql = new PromqlLanguage(new Engine(config.engine()),
        ParserOptions.ALL_FEATURES);
    try {
      return start(config, storages, overrides, promql, buildInfo);
    } catch (RuntimeException e) {
      storages.close(); // the recovery thread may have opened tenants
      throw e;
    }
  }

  /**
   * The options a tenant's database opens with: its out-of-order window and exemplar capacity
   * from its limits at that moment (a later change is applied to the open database by
   * {@link dev.vigil.server.maintenance.TsdbLimitsUpdater}), the server's WAL fsync policy and
   * whether start timestamps become zero samples.
   */
  static TsdbOptions tsdbOptions(TenantLimits limits, WalOptions wal,
      boolean startTimestampZeroSamples) {
    TsdbOptions defaults = TsdbOptions.defaults().withWal(wal);
    return defaults.withHead(defaults.head()
        .withOutOfOrderWindowMs(limits.outOfOrderTimeWindow().toMillis())
        .withMaxExemplars(limits.maxGlobalExemplarsPerUser())
        .withStartTimestampZeroSamples(startTimestampZeroSamples));
  }

  /** Before anything else: a bad runtime config file fails startup with no thread started. */
  private static RuntimeOverrides startOverrides(ServerConfig config) {
    return RuntimeOverrides.start(config.limits(), config.runtimeConfigFile(),
        RUNTIME_CONFIG_PERIOD);
  }

  /** Starts serving over the given stores and query language (tests swap either). */
  public static VigilServer start(ServerConfig config, TenantStorages storages,
      QueryLanguage promql, BuildInfo buildInfo) {
    return start(config, storages, startOverrides(config), promql, buildInfo);
  }

  private static VigilServer start(ServerConfig config, TenantStorages storages,
      RuntimeOverrides overrides, QueryLanguage promql, BuildInfo buildInfo) {
    VigilServer server;
    try {
      server = new VigilServer(config, storages, overrides, promql, buildInfo);
    } catch (RuntimeException e) {
      overrides.close();
      throw e;
    }
    try {
      server.jetty.start();
    } catch (Exception e) {
      server.close();
      throw new IllegalStateException("cannot start the HTTP server on "
          + (config.host().isEmpty() ? "*" : config.host()) + ":" + config.port() + ": " + e, e);
    }
    LOG.log(System.Logger.Level.INFO, "vigil server listening on {0}:{1,number,#}, data in {2}, "
        + "storage {3}, multi-tenancy {4}", config.host().isEmpty() ? "*" : config.host(),
        server.port(), config.dataDir(), config.storage(), config.multitenancy() ? "on" : "off");
    return server;
  }

  /** The bound port (the real one when configured with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** Per-tenant limits in force (flags plus runtime overrides). */
  public RuntimeOverrides limits() {
    return overrides;
  }

  /** The TSDB upkeep (tests run a pass with {@code runOnce()}). */
  public TsdbMaintenance maintenance() {
    return maintenance;
  }

  public TenantStorages storages() {
    return storages;
  }

  /** Local scraping into a tenant's store; idle until a scrape configuration is applied. */
  public dev.vigil.server.scrape.LocalScraping scraping() {
    return scraping;
  }

  /**
   * {@code POST /-/reload} and SIGHUP: re-reads the runtime config file (per-tenant limits,
   * applied to open databases at once) when there is one, and the scrape configuration when it
   * is reloadable. Both are tried; the running configuration of a part that fails stays.
   *
   * @throws IllegalArgumentException naming what failed to load
   * @throws IllegalStateException when there is nothing to reload
   */
  public void reloadConfiguration() {
    boolean scrapes = scraping.reloadStatus() != null;
    if (!overrides.hasFile() && !scrapes) {
      scraping.reload(); // throws, saying what to start the server with
    }
    java.util.List<String> failures = new java.util.ArrayList<>();
    if (overrides.hasFile()) {
      try {
        overrides.reload();
      } catch (IllegalArgumentException e) {
        LOG.log(System.Logger.Level.ERROR, e.getMessage() + "; keeping the previous overrides");
        failures.add(e.getMessage());
      }
    }
    if (scrapes) {
      try {
        scraping.reload();
      } catch (IllegalArgumentException e) {
        failures.add(e.getMessage()); // LocalScraping has logged it
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", failures));
    }
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops accepting requests, lets running ones finish (5 s at most), closes every store. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      jetty.stop();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "stopping the HTTP server failed", e);
    }
    scraping.close(); // before the stores: its staleness markers are the last writes
    if (ruler != null) {
      ruler.close(); // before the stores: no evaluation writes into a closed store
    }
    maintenance.close();
    overrides.close();
    storages.close();
    LOG.log(System.Logger.Level.INFO, "vigil server stopped");
  }
}
