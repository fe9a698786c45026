package dev.vigil.app;

import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.parser.Parser;
import dev.vigil.protocol.remote.ValidationLimits;
import dev.vigil.server.ListenAddress;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.StorageEngine;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import dev.vigil.server.limits.GoDuration;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.server.maintenance.MaintenanceOptions;
import dev.vigil.server.ruler.RulerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil server}: the Mimir-compatible backend in one process. Parses flags (named as
 * Mimir names them where Mimir has one), starts {@link VigilServer} and stops it cleanly on
 * SIGTERM/SIGINT through a shutdown hook (HTTP first, then the stores, which closes their WALs).
 */
@Command(
    name = "server",
    description = "Run the metrics backend: remote write in, Prometheus API out, per tenant.")
final class ServerCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(ServerCommand.class.getName());

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = ":9009",
      description = "Address to serve HTTP on (default: ${DEFAULT-VALUE}, all interfaces).")
  String listen;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "Where tenants' data lives, under DIR/tenants/<tenant>/ "
          + "(default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--config.file", paramLabel = "FILE",
      description = "YAML configuration file in Mimir's layout (server, limits, querier, "
          + "blocks_storage, compactor, ruler...), plus Prometheus's global and scrape_configs for "
          + "local scraping (re-read on POST /-/reload and SIGHUP); flags given on the command line win.")
  Path configFile;

  @Option(names = "--auth.multitenancy-enabled", arity = "0..1", defaultValue = "true",
      fallbackValue = "true",
      description = "Require X-Scope-OrgID on every request, as Mimir does "
          + "(default: ${DEFAULT-VALUE}). When false, everything belongs to the no-auth tenant.")
  boolean multitenancy;

  @Option(names = "--auth.no-auth-tenant", defaultValue = "anonymous",
      description = "Tenant of every request when multi-tenancy is off (default: ${DEFAULT-VALUE}).")
  String noAuthTenant;

  @Option(names = "--storage.engine", defaultValue = "tsdb",
      description = "tsdb (durable, default) or memory (lost on exit).")
  StorageEngine storage;

  @Option(names = "--distributor.max-recv-msg-size", defaultValue = "104857600",
      description = "Largest remote-write body in bytes (default: ${DEFAULT-VALUE}).")
  int maxRecvMsgSize;

  @Option(names = "--distributor.ingestion-rate-limit", defaultValue = "10000",
      description = "Samples per second each tenant may push; 0 = unlimited "
          + "(default: ${DEFAULT-VALUE}, Mimir's).")
  double ingestionRate;

  @Option(names = "--distributor.ingestion-burst-size", defaultValue = "200000",
      description = "Samples a tenant may push at once above the rate (default: ${DEFAULT-VALUE}).")
  long ingestionBurst;

  @Option(names = "--runtime-config.file", paramLabel = "FILE",
      description = "Per-tenant limit overrides (Mimir's runtime config: overrides: {tenant: "
          + "{ingestion_rate: ...}}), re-read every 10 s and on POST /-/reload and SIGHUP; "
          + "changed limits apply to open tenant databases at once.")
  Path runtimeConfigFile;

  @Option(names = "--validation.max-label-names-per-series", defaultValue = "30",
      description = "Labels a series may have (default: ${DEFAULT-VALUE}).")
  int maxLabelNames;

  @Option(names = "--validation.max-length-label-name", defaultValue = "1024",
      description = "Longest label name in bytes (default: ${DEFAULT-VALUE}).")
  int maxLabelNameLength;

  @Option(names = "--validation.max-length-label-value", defaultValue = "2048",
      description = "Longest label value in bytes (default: ${DEFAULT-VALUE}).")
  int maxLabelValueLength;

  @Option(names = "--querier.max-samples", defaultValue = "50000000",
      description = "Most samples one query may hold in memory (default: ${DEFAULT-VALUE}).")
  int maxSamples;

  @Option(names = "--querier.timeout", defaultValue = "2m",
      description = "Longest a query may run, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
  String queryTimeout;

  @Option(names = "--ingester.max-global-series-per-user", defaultValue = "150000",
      description = "Series each tenant may have in memory; 0 = unlimited "
          + "(default: ${DEFAULT-VALUE}, Mimir's).")
  int maxSeriesPerUser;

  @Option(names = "--ingester.out-of-order-time-window", defaultValue = "0",
      description = "How far behind its newest sample a tenant still accepts samples, e.g. "
          + "10m, at most 1h; 0 = none out of order (default: ${DEFAULT-VALUE}, Mimir's).")
  String outOfOrderTimeWindow;

  @Option(names = "--ingester.max-global-exemplars-per-user", defaultValue = "100000",
      description = "Exemplars each tenant keeps, oldest overwritten; 0 = none "
          + "(default: ${DEFAULT-VALUE}, Prometheus's; Mimir's is 0).")
  int maxExemplarsPerUser;

  @Option(names = "--query-frontend.max-total-query-length", defaultValue = "0",
      description = "Longest time range of a range query, e.g. 32d; 0 = unlimited "
          + "(default: ${DEFAULT-VALUE}).")
  String maxTotalQueryLength;

  @Option(names = "--storage.tsdb.retention.time", defaultValue = "15d",
      description = "Delete blocks older than this before each tenant's newest sample; 0 = keep "
          + "(default: ${DEFAULT-VALUE}, Prometheus's).")
  String retentionTime;

  @Option(names = "--storage.tsdb.retention.size", defaultValue = "0",
      description = "Delete each tenant's oldest blocks while its blocks exceed this, e.g. "
          + "10GB; 0 = no limit (default: ${DEFAULT-VALUE}).")
  String retentionSize;

  @Option(names = "--blocks-storage.tsdb.head-compaction-interval", defaultValue = "1m",
      description = "How often heads are cut into blocks, blocks compacted and retention "
          + "applied (default: ${DEFAULT-VALUE}).")
  String maintenanceInterval;

  @Option(names = "--blocks-storage.tsdb.wal-fsync", defaultValue = "commit",
      description = "When tenants' WALs are fsynced: 'commit' (before each write is "
          + "acknowledged: nothing acknowledged is lost even on power loss) or an interval such "
          + "as 200ms (faster on slow disks; a power loss may lose that interval, as in "
          + "Prometheus and Mimir) (default: ${DEFAULT-VALUE}).")
  String walFsync;

  @Option(names = "--blocks-storage.tsdb.memory-snapshot-on-shutdown", arity = "0..1",
      defaultValue = "true", fallbackValue = "true",
      description = "Write each tenant's head to a snapshot when its TSDB closes (shutdown, "
          + "idle close), which the next start restores instead of replaying the WAL; a crash "
          + "still replays the WAL (default: ${DEFAULT-VALUE}).")
  boolean headSnapshot;

  @Option(names = "--blocks-storage.tsdb.start-timestamp-zero-ingestion-enabled", arity = "0..1",
      defaultValue = "false", fallbackValue = "true",
      description = "Store the start timestamp of a counter's sample (remote write 2.0 "
          + "created_timestamp, OTLP start_time_unix_nano, created_timestamp of protobuf "
          + "scrapes, OpenMetrics _created lines, which are then no series) as a zero sample at "
          + "that time when "
          + "the counter is new or was reset, so that rate() and increase() count its first "
          + "increase, as Prometheus's created-timestamp-zero-ingestion "
          + "(default: ${DEFAULT-VALUE}).")
  boolean startTimestampZeroSamples;

  @Option(names = "--blocks-storage.tsdb.head-snapshot-interval", defaultValue = "15m",
      description = "How often each tenant's head is also written to a snapshot while it takes "
          + "writes, so that a restart after a crash restores it and replays only the WAL "
          + "written since (a shorter interval: faster restarts after a crash, ~0.2-0.3 KB "
          + "written per series each time: at 15m about what the WAL takes for 15 s scrapes); "
          + "commits wait only while the WAL moves to a new segment, not "
          + "while the head is written out (longest commit during a snapshot of 1M series: "
          + "~0.15 s); 0 = only at shutdown (default: ${DEFAULT-VALUE}).")
  String headSnapshotInterval;

  @Option(names = "--blocks-storage.tsdb.close-idle-tsdb-timeout", defaultValue = "0",
      description = "Close a tenant's TSDB after this long without requests, e.g. 1h; "
          + "0 = never (default: ${DEFAULT-VALUE}, Mimir's).")
  String closeIdleTimeout;

  @Option(names = "--ruler.enabled", arity = "0..1", defaultValue = "true", fallbackValue = "true",
      description = "Serve Mimir's rule config API and evaluate the tenants' rule groups "
          + "(default: ${DEFAULT-VALUE}).")
  boolean rulerEnabled;

  @Option(names = "--ruler.alertmanager-url", defaultValue = "",
      description = "Comma-separated Alertmanager URLs that receive alerts; empty: none.")
  String alertmanagerUrls;

  @Option(names = "--ruler.external.url", defaultValue = "",
      description = "URL of this server in alerts' generatorURL and $externalURL.")
  String rulerExternalUrl;

  @Option(names = "--ruler.evaluation-interval", defaultValue = "1m",
      description = "Interval of rule groups that set none (default: ${DEFAULT-VALUE}).")
  String evaluationInterval;

  @Option(names = "--ruler.poll-interval", defaultValue = "1m",
      description = "How often rule groups are re-read from the data directory "
          + "(default: ${DEFAULT-VALUE}).")
  String rulerPollInterval;

  @Option(names = "--ruler.max-rules-per-rule-group", defaultValue = "20",
      description = "Rules one group may hold; 0 = unlimited (default: ${DEFAULT-VALUE}, Mimir's).")
  int maxRulesPerGroup;

  @Option(names = "--ruler.max-rule-groups-per-tenant", defaultValue = "70",
      description = "Rule groups a tenant may have; 0 = unlimited "
          + "(default: ${DEFAULT-VALUE}, Mimir's).")
  int maxRuleGroups;

  @Option(names = "--server.http-tls-cert-path", paramLabel = "FILE",
      description = "PEM certificate (chain) to serve HTTPS with; needs the key too.")
  Path tlsCert;

  @Option(names = "--server.http-tls-key-path", paramLabel = "FILE",
      description = "Unencrypted PKCS#8 PEM private key of that certificate.")
  Path tlsKey;

  @Option(names = "--auth.tokens-file", paramLabel = "FILE",
      description = "Per-tenant tokens (tenants: {id: {tokens: [...]}}): every request but the "
          + "health checks must present one, by basic auth (tenant as user) or bearer.")
  Path authFile;

  @CommandLine.Mixin ScrapeOptions scrape;

  // The settings --config.file gave at startup (flag name to value), to tell on reload what needs a restart.
  private Map<String, String> startupFileSettings = Map.of();

  @Option(names = "--scrape.tenant", paramLabel = "TENANT",
      description = "Tenant whose store local scrapes (scrape_configs in --config.file, --preset) go to "
          + "(default: the --auth.no-auth-tenant).")
  String scrapeTenant;

  private java.time.Duration duration(String flag, String value) {
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
    }
  }

  /**
   * Sets the options the config file names and the command line does not (flags win).
   *
   * @throws CommandLine.ParameterException for a bad file or value
   */
  private void applyConfigFile(String yaml) {
    Map<String, String> values;
    try {
      values = ServerConfigFile.flags(yaml, configFile.toString());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    startupFileSettings = values;
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    for (var e : values.entrySet()) {
      CommandLine.Model.OptionSpec o = spec.findOption(e.getKey());
      if (o == null || (given != null && given.hasMatchedOption(e.getKey()))) {
        continue;
      }
      try {
        o.setValue(convert(o.type(), e.getValue()));
      } catch (RuntimeException ex) {
        throw new CommandLine.ParameterException(spec.commandLine(), "config file " + configFile
            + ": invalid value '" + e.getValue() + "' for " + e.getKey() + ": " + ex.getMessage());
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(Class<?> type, String v) {
    if (type == int.class || type == Integer.class) {
      return Integer.parseInt(v);
    }
    if (type == long.class || type == Long.class) {
      return Long.parseLong(v);
    }
    if (type == double.class || type == Double.class) {
      return Double.parseDouble(v);
    }
    if (type == boolean.class || type == Boolean.class) {
      if (!v.equals("true") && !v.equals("false")) {
        throw new IllegalArgumentException("expected true or false");
      }
      return Boolean.parseBoolean(v);
    }
    if (type == Path.class) {
      return Path.of(v);
    }
    if (type.isEnum()) {
      return Enum.valueOf((Class) type, v.toUpperCase(java.util.Locale.ROOT));
    }
    return v;
  }

  @Override
  public Integer call() throws Exception {
    OneLineLogFormat.installIfUnset();
    VigilServer server = start();
    Thread hook = new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "signal received, shutting down");
      server.close();
    }, "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.join();
    return 0;
  }

  /** Starts the server with its scraping and reloading (SIGHUP included); the caller joins or closes it. */
  VigilServer start() throws java.io.IOException {
    ServerConfig config = config();
    dev.vigil.collector.config.PrometheusConfig scrapeConfig = scrapeConfig(config.configYaml());
    String version = new VersionProvider().getVersion()[0].replace("vigil ", "");
    VigilServer server = VigilServer.start(config,
        new BuildInfo(version, "unknown", "unknown", "unknown", false, false));
    if (scrapeConfig != null) {
      startScraping(server, scrapeConfig);
    }
    if (configFile != null || scrape.preset != null || runtimeConfigFile != null) {
      enableReload(server);
    }
    return server;
  }

  /**
   * The scrape jobs of the config file's Prometheus sections and of {@code --preset}, or null
   * for none. {@code remote_write} there is refused: local scrapes go straight to the store.
   */
  dev.vigil.collector.config.PrometheusConfig scrapeConfig(String yaml) {
    try {
      return loadScrapeConfig(yaml);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * {@link #scrapeConfig} for reloads: reads {@code --config.file} again.
   *
   * @throws IllegalArgumentException naming the file (and the YAML position) when it is unusable
   */
  dev.vigil.collector.config.PrometheusConfig reloadScrapeConfig() {
    String yaml = "";
    if (configFile != null) {
      try {
        yaml = Files.readString(configFile);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("cannot read config file " + configFile + ": " + e.getMessage(), e);
      }
      // The whole file must still be valid; changed server settings only apply at restart.
      Map<String, String> now = ServerConfigFile.flags(yaml, configFile.toString());
      java.util.Set<String> changed = new java.util.TreeSet<>();
      for (String k : now.keySet()) {
        if (!now.get(k).equals(startupFileSettings.get(k))) {
          changed.add(k);
        }
      }
      for (String k : startupFileSettings.keySet()) {
        if (!now.containsKey(k)) {
          changed.add(k);
        }
      }
      if (!changed.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "config file {0}: {1} changed; only the scrape configuration is "
            + "reloaded, restart vigil server to apply the rest", configFile, changed);
      }
    }
    return loadScrapeConfig(yaml);
  }

  private dev.vigil.collector.config.PrometheusConfig loadScrapeConfig(String yaml) {
    dev.vigil.collector.config.PrometheusConfig fromFile = null;
    String source = configFile == null ? "" : configFile.toString();
    try {
      String sections = yaml.isEmpty() ? null : PrometheusSections.extract(yaml, source);
      if (sections != null) {
        fromFile = dev.vigil.collector.config.ConfigLoader.load(sections);
      }
    } catch (dev.vigil.collector.config.ConfigException e) {
      throw new IllegalArgumentException("config file " + source + ":" + e.getMessage(), e);
    }
    if (fromFile != null && !fromFile.remoteWrite().isEmpty()) {
      throw new IllegalArgumentException("config file " + source
          + ": remote_write is not supported in vigil server (local scrapes are stored here); run vigil agent "
          + "to forward to another backend");
    }
    return scrape.combine(fromFile);
  }

  /**
   * POST /-/reload and SIGHUP re-read the scrape sections of --config.file (and the preset) and
   * the --runtime-config.file (whose limits reach open tenant databases at once).
   */
  private void enableReload(VigilServer server) {
    if (configFile != null || scrape.preset != null) {
      server.scraping().enableReload(this::reloadScrapeConfig, scrapeTenantName(), scrapeManagerOptions());
    }
    HangupSignal.onHangup(() -> {
      try {
        server.reloadConfiguration();
      } catch (RuntimeException e) {
        // Logged where it failed; the running configuration stays.
      }
    });
  }

  private String scrapeTenantName() {
    return scrapeTenant == null ? noAuthTenant : scrapeTenant;
  }

  private dev.vigil.collector.manager.ManagerOptions scrapeManagerOptions() {
    Path baseDir = configFile == null ? Path.of("").toAbsolutePath() : configFile.toAbsolutePath().getParent();
    return dev.vigil.collector.manager.ManagerOptions.defaults(baseDir);
  }

  private void startScraping(VigilServer server, dev.vigil.collector.config.PrometheusConfig cfg) {
    String tenant = scrapeTenantName();
    try {
      server.scraping().apply(cfg, tenant, scrapeManagerOptions());
    } catch (IllegalArgumentException e) {
      server.close();
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot start scraping: " + e.getMessage());
    }
    LOG.log(System.Logger.Level.INFO, "scraping {0} job(s) into tenant {1}", cfg.scrapeConfigs().size(), tenant);
  }

  /** The server's configuration from the flags and the config file (flags win). */
  ServerConfig config() throws java.io.IOException {
    String yaml = "";
    if (configFile != null) {
      yaml = Files.readString(configFile);
      applyConfigFile(yaml);
    }
    ListenAddress hp;
    try {
      hp = ListenAddress.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    java.time.Duration timeout;
    try {
      timeout = java.time.Duration.ofMillis(Parser.parseDuration(queryTimeout));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--querier.timeout: " + e.getMessage());
    }
    MaintenanceOptions maintenance;
    TenantLimits limits;
    try {
      maintenance = new MaintenanceOptions(
          duration("--blocks-storage.tsdb.head-compaction-interval", maintenanceInterval),
          duration("--storage.tsdb.retention.time", retentionTime),
          MaintenanceOptions.parseBytes(retentionSize),
          duration("--blocks-storage.tsdb.close-idle-tsdb-timeout", closeIdleTimeout),
          duration("--blocks-storage.tsdb.head-snapshot-interval", headSnapshotInterval));
      limits = new TenantLimits(ingestionRate, ingestionBurst,
          new ValidationLimits(maxLabelNames, maxLabelNameLength, maxLabelValueLength))
          .withMaxGlobalSeriesPerUser(maxSeriesPerUser)
          .withQueryLimits(0, java.time.Duration.ZERO,
              duration("--query-frontend.max-total-query-length", maxTotalQueryLength))
          .withRulerLimits(maxRulesPerGroup, maxRuleGroups)
          .withStorageLimits(
              duration("--ingester.out-of-order-time-window", outOfOrderTimeWindow),
              maxExemplarsPerUser);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    RulerOptions rulerOptions;
    try {
      java.util.List<java.net.URI> ams = new java.util.ArrayList<>();
      for (String u : alertmanagerUrls.split(",")) {
        if (!u.isBlank()) {
          ams.add(java.net.URI.create(u.trim()));
        }
      }
      rulerOptions = new RulerOptions(rulerEnabled, ams,
          rulerExternalUrl.isBlank() ? null : java.net.URI.create(rulerExternalUrl.trim()),
          duration("--ruler.evaluation-interval", evaluationInterval),
          duration("--ruler.poll-interval", rulerPollInterval));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--server.http-tls-cert-path and --server.http-tls-key-path go together");
    }

    WalOptions wal = WalOptions.defaults();
    if (!walFsync.equals("commit")) {
      java.time.Duration every = duration("--blocks-storage.tsdb.wal-fsync", walFsync);
      if (every.toMillis() <= 0) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--blocks-storage.tsdb.wal-fsync: 'commit' or a positive interval such as 200ms, got "
                + walFsync);
      }
      wal = new WalOptions(wal.segmentSize(), FsyncPolicy.INTERVAL, every.toMillis());
    }

    ServerConfig config = ServerConfig.defaults(dataDir.toAbsolutePath().normalize())
        .withListen(hp.host(), hp.port())
        .withStorage(storage)
        .withMultitenancy(multitenancy, noAuthTenant)
        .withMaxPushBytes(maxRecvMsgSize)
        .withLimits(limits)
        .withWal(wal)
        .withHeadSnapshot(headSnapshot)
        .withStartTimestampZeroSamples(startTimestampZeroSamples)
        .withMaintenance(maintenance)
        .withRuler(rulerOptions)
        .withTls(tlsCert == null ? null : new dev.vigil.server.TlsFiles(tlsCert, tlsKey))
        .withAuthFile(authFile)
        .withRuntimeConfigFile(runtimeConfigFile)
        .withEngine(EngineOptions.defaults().withMaxSamples(maxSamples).withTimeout(timeout))
        .withConfigYaml(yaml);
    return config;
  }
}
