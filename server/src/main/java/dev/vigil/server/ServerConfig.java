package dev.vigil.server;

import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.protocol.remote.ValidationLimits;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.server.maintenance.MaintenanceOptions;
import dev.vigil.server.ruler.RulerOptions;
import dev.vigil.tsdb.wal.FsyncPolicy;
import dev.vigil.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Everything a {@link VigilServer} needs, immutable. Defaults follow Mimir where Mimir has one:
 * port 9009, multi-tenancy on, tenant {@code anonymous} when it is off, 100 MiB push messages,
 * Mimir's per-tenant limits.
 *
 * @param host interface to bind ("" for all)
 * @param port TCP port; 0 picks a free one (tests)
 * @param dataDir where tenants' data lives ({@code <dataDir>/tenants/<tenant>/})
 * @param storage which store each tenant gets
 * @param multitenancy whether {@code X-Scope-OrgID} is required ({@code -auth.multitenancy-enabled})
 * @param noAuthTenant the tenant of every request when multi-tenancy is off
 * @param limits every tenant's limits unless the runtime config overrides them
 * @param runtimeConfigFile Mimir-style runtime config with per-tenant {@code overrides}, re-read
 *     every 10 s; null for none
 * @param maxPushBytes largest push body, compressed and decoded ({@code -distributor.max-recv-msg-size})
 * @param maxFormBytes largest form-encoded query body
 * @param engine PromQL engine limits
 * @param clock time source for queries without a time and for rate limits
 * @param configYaml what {@code /api/v1/status/config} shows
 * @param maintenance block cutting, compaction, retention and idle-close schedule
 * @param ruler the ruler (rule config API, evaluation, alerts)
 * @param tls serve HTTPS with these PEM files; null for plain HTTP
 * @param authFile per-tenant tokens every request must present (see
 *     {@code auth.TokenAuthenticator}); null for none, as in Mimir
 * @param wal the fsync policy of every tenant's WAL: per commit (the default: nothing
 *     acknowledged is lost even on power loss) or every N ms (faster on slow disks; a power loss
 *     may lose the last interval, as Prometheus and Mimir, which sync only at segment ends)
 * @param headSnapshot whether closing a tenant's database (shutdown, idle close) writes a head
 *     snapshot that its next open restores instead of replaying the WAL (on by default; a crash
 *     still replays the WAL)
 * @param startTimestampZeroSamples whether every tenant's database stores the start timestamps
 *     of pushed and scraped samples (remote write 2.0 {@code created_timestamp}, OTLP
 *     {@code start_time_unix_nano}, protobuf scrapes' {@code created_timestamp}, OpenMetrics
 *     {@code _created} lines, which are then no series) as zero samples, Prometheus's
 *     {@code created-timestamp-zero-ingestion} (off by default, as there)
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    StorageEngine storage,
    boolean multitenancy,
    String noAuthTenant,
    TenantLimits limits,
    Path runtimeConfigFile,
    int maxPushBytes,
    int maxFormBytes,
    EngineOptions engine,
    Clock clock,
    String configYaml,
    MaintenanceOptions maintenance,
    RulerOptions ruler,
    TlsFiles tls,
    Path authFile,
    WalOptions wal,
    boolean headSnapshot,
    boolean startTimestampZeroSamples) {
  public static final int DEFAULT_PORT = 9009;

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(noAuthTenant, "noAuthTenant");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(configYaml, "configYaml");
    Objects.requireNonNull(maintenance, "maintenance");
    Objects.requireNonNull(ruler, "ruler");
    Objects.requireNonNull(wal, "wal");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (maxPushBytes <= 0 || maxFormBytes <= 0) {
      throw new IllegalArgumentException("body limits must be positive");
    }
  }

  /** Mimir-like defaults: all interfaces, port 9009, TSDB storage, multi-tenancy on. */
  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig("", DEFAULT_PORT, dataDir, StorageEngine.TSDB, true, "anonymous",
        TenantLimits.MIMIR_DEFAULTS, null, 100 << 20, 10 << 20, EngineOptions.defaults(),
        Clock.systemUTC(), "", MaintenanceOptions.DEFAULTS,
        RulerOptions.DEFAULTS, null, null, WalOptions.defaults(), true, false);
  }

  public ServerConfig withListen(String host, int port) {
    return with(b -> {
      b.host = host;
      b.port = port;
    });
  }

  public ServerConfig withStorage(StorageEngine storage) {
    return with(b -> b.storage = storage);
  }

  public ServerConfig withMultitenancy(boolean multitenancy, String noAuthTenant) {
    return with(b -> {
      b.multitenancy = multitenancy;
      b.noAuthTenant = noAuthTenant;
    });
  }

  public ServerConfig withLimits(TenantLimits limits) {
    return with(b -> b.limits = limits);
  }

  /** Mimir's ingestion rate limit for every tenant; a rate of 0 disables it. */
  public ServerConfig withIngestionRate(double rate, long burst) {
    return withLimits(limits.withIngestion(rate, burst));
  }

  public ServerConfig withValidation(ValidationLimits validation) {
    return withLimits(limits.withValidation(validation));
  }

  public ServerConfig withRuntimeConfigFile(Path runtimeConfigFile) {
    return with(b -> b.runtimeConfigFile = runtimeConfigFile);
  }

  public ServerConfig withMaxPushBytes(int maxPushBytes) {
    return with(b -> b.maxPushBytes = maxPushBytes);
  }

  public ServerConfig withEngine(EngineOptions engine) {
    return with(b -> b.engine = engine);
  }

  public ServerConfig withClock(Clock clock) {
    return with(b -> b.clock = clock);
  }

  public ServerConfig withConfigYaml(String configYaml) {
    return with(b -> b.configYaml = configYaml);
  }

  public ServerConfig withMaintenance(MaintenanceOptions maintenance) {
    return with(b -> b.maintenance = maintenance);
  }

  public ServerConfig withRuler(RulerOptions ruler) {
    return with(b -> b.ruler = ruler);
  }

  public ServerConfig withTls(TlsFiles tls) {
    return with(b -> b.tls = tls);
  }

  public ServerConfig withAuthFile(Path authFile) {
    return with(b -> b.authFile = authFile);
  }

  /** How every tenant's WAL reaches the disk (see {@link FsyncPolicy}). */
  public ServerConfig withWal(WalOptions wal) {
    return with(b -> b.wal = wal);
  }

  /** Whether closing a tenant's database writes a head snapshot for its next open. */
  public ServerConfig withHeadSnapshot(boolean on) {
    return with(b -> b.headSnapshot = on);
  }

  /** Whether every tenant's database stores start timestamps as zero samples. */
  public ServerConfig withStartTimestampZeroSamples(boolean on) {
    return with(b -> b.startTimestampZeroSamples = on);
  }

  private ServerConfig with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** A mutable copy, so that each wither names only what it changes. */
  private static final class Copy {
    String host;
    int port;
    Path dataDir;
    StorageEngine storage;
    boolean multitenancy;
    String noAuthTenant;
    TenantLimits limits;
    Path runtimeConfigFile;
    int maxPushBytes;
    int maxFormBytes;
    EngineOptions engine;
    Clock clock;
    String configYaml;
    MaintenanceOptions maintenance;
    RulerOptions ruler;
    TlsFiles tls;
    Path authFile;
    WalOptions wal;
    boolean headSnapshot;
    boolean startTimestampZeroSamples;

    Copy(ServerConfig c) {
      host = c.host;
      port = c.port;
      dataDir = c.dataDir;
      storage = c.storage;
      multitenancy = c.multitenancy;
      noAuthTenant = c.noAuthTenant;
      limits = c.limits;
      runtimeConfigFile = c.runtimeConfigFile;
      maxPushBytes = c.maxPushBytes;
      maxFormBytes = c.maxFormBytes;
      engine = c.engine;
      clock = c.clock;
      configYaml = c.configYaml;
      maintenance = c.maintenance;
      ruler = c.ruler;
      tls = c.tls;
      authFile = c.authFile;
      wal = c.wal;
      headSnapshot = c.headSnapshot;
      startTimestampZeroSamples = c.startTimestampZeroSamples;
    }

    ServerConfig build() {
      return new ServerConfig(host, port, dataDir, storage, multitenancy, noAuthTenant, limits,
          runtimeConfigFile, maxPushBytes, maxFormBytes, engine, clock, configYaml,
          maintenance, ruler, tls, authFile, wal, headSnapshot, startTimestampZeroSamples);
    }
  }

  /** The flags {@code /api/v1/status/flags} reports, named as Mimir names them. */
  Map<String, String> flags() {
    ValidationLimits v = limits.validation();
    Map<String, String> m = new TreeMap<>();
    m.put("server.http-listen-address", host);
    m.put("server.http-listen-port", Integer.toString(port));
    m.put("data-dir", dataDir.toString());
    m.put("storage.engine", storage.name().toLowerCase(Locale.ROOT));
    m.put("auth.multitenancy-enabled", Boolean.toString(multitenancy));
    m.put("auth.no-auth-tenant", noAuthTenant);
    m.put("runtime-config.file", runtimeConfigFile == null ? "" : runtimeConfigFile.toString());
    m.put("validation.max-label-names-per-series", Integer.toString(v.maxLabelNamesPerSeries()));
    m.put("validation.max-length-label-name", Integer.toString(v.maxLabelNameLength()));
    m.put("validation.max-length-label-value", Integer.toString(v.maxLabelValueLength()));
    m.put("distributor.max-recv-msg-size", Integer.toString(maxPushBytes));
    m.put("distributor.ingestion-rate-limit", Double.toString(limits.ingestionRate()));
    m.put("distributor.ingestion-burst-size", Long.toString(limits.ingestionBurstSize()));
    m.put("ingester.max-global-series-per-user", Integer.toString(limits.maxGlobalSeriesPerUser()));
    m.put("ingester.max-global-exemplars-per-user",
        Integer.toString(limits.maxGlobalExemplarsPerUser()));
    m.put("ingester.out-of-order-time-window",
        dev.vigil.server.limits.GoDuration.format(limits.outOfOrderTimeWindow()));
    m.put("query-frontend.max-total-query-length",
        dev.vigil.server.limits.GoDuration.format(limits.maxTotalQueryLength()));
    m.put("querier.max-samples", Integer.toString(engine.maxSamples()));
    m.put("blocks-storage.tsdb.head-compaction-interval",
        dev.vigil.server.limits.GoDuration.format(maintenance.interval()));
    m.put("blocks-storage.tsdb.close-idle-tsdb-timeout",
        dev.vigil.server.limits.GoDuration.format(maintenance.closeIdleTimeout()));
    m.put("storage.tsdb.retention.time",
        dev.vigil.server.limits.GoDuration.format(maintenance.retentionTime()));
    m.put("storage.tsdb.retention.size", Long.toString(maintenance.retentionBytes()));
    m.put("blocks-storage.tsdb.wal-fsync", wal.fsync() == FsyncPolicy.PER_COMMIT ? "commit"
        : wal.fsyncIntervalMs() + "ms");
    m.put("blocks-storage.tsdb.memory-snapshot-on-shutdown", Boolean.toString(headSnapshot));
    m.put("blocks-storage.tsdb.start-timestamp-zero-ingestion-enabled",
        Boolean.toString(startTimestampZeroSamples));
    m.put("blocks-storage.tsdb.head-snapshot-interval",
        dev.vigil.server.limits.GoDuration.format(maintenance.headSnapshotInterval()));
    m.put("server.http-tls-cert-path", tls == null ? "" : tls.certFile().toString());
    m.put("server.http-tls-key-path", tls == null ? "" : tls.keyFile().toString());
    m.put("auth.tokens-file", authFile == null ? "" : authFile.toString());
    m.put("ruler.enabled", Boolean.toString(ruler.enabled()));
    m.put("ruler.max-rules-per-rule-group", Integer.toString(limits.rulerMaxRulesPerRuleGroup()));
    m.put("ruler.max-rule-groups-per-tenant",
        Integer.toString(limits.rulerMaxRuleGroupsPerTenant()));
    m.put("ruler.alertmanager-url", String.join(",",
        ruler.alertmanagers().stream().map(Object::toString).toList()));
    m.put("ruler.external.url", ruler.externalUrl() == null ? "" : ruler.externalUrl().toString());
    m.put("ruler.evaluation-interval",
        dev.vigil.server.limits.GoDuration.format(ruler.evaluationInterval()));
    m.put("ruler.poll-interval", dev.vigil.server.limits.GoDuration.format(ruler.pollInterval()));
    m.put("querier.timeout", engine.timeout().toString());
    m.put("querier.lookback-delta", engine.lookbackDeltaMillis() + "ms");
    return m;
  }
}
