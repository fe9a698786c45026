package dev.vigil.app;

import dev.vigil.promql.engine.EngineOptions;
import dev.vigil.promql.parser.Parser;
import dev.vigil.protocol.remote.ValidationLimits;
import dev.vigil.server.ListenAddress;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.StorageEngine;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import dev.vigil.server.limits.TenantLimits;
import java.nio.file.Files;
import java.nio.file.Path;
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
    mixinStandardHelpOptions = true,
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
      description = "YAML configuration file (not read yet: every setting is a flag for now).")
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
          + "{ingestion_rate: ...}}), re-read every 10 s.")
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

  @Override
  public Integer call() throws Exception {
    OneLineLogFormat.installIfUnset();
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
    String yaml = "";
    if (configFile != null) {
      yaml = Files.readString(configFile);
      LOG.log(System.Logger.Level.WARNING, "--config.file {0} is shown by /api/v1/status/config "
          + "but not applied yet; use flags", configFile);
    }
    ServerConfig config = ServerConfig.defaults(dataDir.toAbsolutePath().normalize())
        .withListen(hp.host(), hp.port())
        .withStorage(storage)
        .withMultitenancy(multitenancy, noAuthTenant)
        .withMaxPushBytes(maxRecvMsgSize)
        .withLimits(new TenantLimits(ingestionRate, ingestionBurst,
            new ValidationLimits(maxLabelNames, maxLabelNameLength, maxLabelValueLength)))
        .withRuntimeConfigFile(runtimeConfigFile)
        .withEngine(EngineOptions.defaults().withMaxSamples(maxSamples).withTimeout(timeout))
        .withConfigYaml(yaml);
    String version = new VersionProvider().getVersion()[0].replace("vigil ", "");
    VigilServer server = VigilServer.start(config,
        new BuildInfo(version, "unknown", "unknown", "unknown", false, false));
    Thread hook = new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "signal received, shutting down");
      server.close();
    }, "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    server.join();
    return 0;
  }
}
