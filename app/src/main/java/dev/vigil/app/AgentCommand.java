package dev.vigil.app;

import dev.vigil.collector.config.ConfigException;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.remote.RemoteStorageOptions;
import dev.vigil.collector.preset.KubernetesPreset;
import dev.vigil.server.ListenAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil agent}: the collector alone, like Prometheus in agent mode. Discovers and scrapes
 * what {@code --config.file} (Prometheus's format) and/or {@code --preset} describe and sends the
 * samples to the {@code remote_write} endpoints through a disk buffer, so an outage of the
 * backend loses nothing. Stops cleanly on SIGTERM/SIGINT: targets go stale, the buffer is
 * flushed and closed.
 */
@Command(
    name = "agent",
    description = "Run the collector alone: discover, scrape and remote-write to any Prometheus-compatible "
        + "backend (Vigil, Mimir, Prometheus).")
final class AgentCommand implements Callable<Integer> {
  private static final System.Logger LOG = System.getLogger(AgentCommand.class.getName());

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--config.file", paramLabel = "FILE",
      description = "Prometheus configuration file (global, scrape_configs, remote_write).")
  Path configFile;

  @Mixin ScrapeOptions scrape;

  @Option(names = "--print-config",
      description = "Print the scrape configuration --preset generates (Prometheus's format, ready for "
          + "--config.file) and exit.")
  boolean printConfig;

  @Option(names = "--remote-write.url", paramLabel = "URL",
      description = "Send to this remote-write endpoint (e.g. http://vigil:9009/api/v1/push), in addition to "
          + "the config file's remote_write entries.")
  List<String> remoteWriteUrls = new ArrayList<>();

  @Option(names = "--web.listen-address", paramLabel = "HOST:PORT", defaultValue = ":9090",
      description = "Where /api/v1/targets, /-/healthy, /-/ready and POST /-/reload are served "
          + "(default: ${DEFAULT-VALUE}, as Prometheus's agent).")
  String listen;

  @Option(names = "--storage.agent.path", paramLabel = "DIR", defaultValue = "./data-agent",
      description = "Where the remote-write buffer (WAL) lives (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--enable-feature", paramLabel = "NAME", split = ",",
      description = "Prometheus's feature flags the agent knows: created-timestamp-zero-ingestion "
          + "(send a counter's start timestamp, from protobuf created_timestamp or OpenMetrics _created "
          + "lines, as a zero sample when the counter is new or was reset, and no _created series). "
          + "Others are ignored with a warning, as Prometheus does.")
  List<String> features = new ArrayList<>();

  /** The sender's options the feature flags ask for. */
  RemoteStorageOptions sinkOptions() {
    boolean startZero = false;
    for (String f : features) {
      if (f.equals("created-timestamp-zero-ingestion")) {
        startZero = true;
      } else {
        LOG.log(System.Logger.Level.WARNING, "unknown option for --enable-feature: {0} (ignored)", f);
      }
    }
    return RemoteStorageOptions.defaults().withStartTimestampZeroSamples(startZero);
  }

  @Override
  public Integer call() throws Exception {
    if (printConfig) {
      if (scrape.preset == null) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--print-config prints the configuration of a preset: add --preset kubernetes");
      }
      spec.commandLine().getOut().print(KubernetesPreset.yaml(scrape.presetOptions()));
      spec.commandLine().getOut().flush();
      return 0;
    }
    OneLineLogFormat.installIfUnset();
    PrometheusConfig config = config();
    Path baseDir = configFile == null ? Path.of("").toAbsolutePath() : configFile.toAbsolutePath().getParent();
    Path dir = dataDir.toAbsolutePath().normalize();
    ListenAddress address;
    try {
      address = ListenAddress.parse(listen);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--web.listen-address: " + e.getMessage());
    }
    Agent agent;
    try {
      agent = Agent.start(config, dir, ManagerOptions.defaults(baseDir), sinkOptions());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    AgentWeb web;
    try {
      web = AgentWeb.start(address, agent, this::config);
    } catch (java.io.IOException e) {
      agent.close();
      throw new CommandLine.ParameterException(spec.commandLine(), "cannot serve on " + listen + ": " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.log(System.Logger.Level.INFO, "signal received, shutting down");
      web.close();
      agent.close();
      stopped.countDown();
    }, "vigil-agent-shutdown"));
    LOG.log(System.Logger.Level.INFO, "vigil agent scraping {0} job(s), sending to {1} remote-write endpoint(s), "
        + "buffer in {2}, API on port {3,number,#}", config.scrapeConfigs().size(), config.remoteWrite().size(), dir,
        web.port());
    stopped.await();
    return 0;
  }

  /** The file's configuration plus the preset's jobs and the --remote-write.url endpoints. */
  PrometheusConfig config() throws java.io.IOException {
    PrometheusConfig fromFile = null;
    if (configFile != null) {
      try {
        fromFile = ConfigLoader.load(Files.readString(configFile));
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "config file " + configFile + ":" + e.getMessage());
      }
    }
    PrometheusConfig combined;
    try {
      combined = scrape.combine(fromFile);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (combined == null || combined.scrapeConfigs().isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "nothing to scrape: give --config.file with scrape_configs, or --preset kubernetes");
    }
    List<RemoteWriteConfig> rw = new ArrayList<>(combined.remoteWrite());
    for (String url : remoteWriteUrls) {
      try {
        // Through the loader, so the endpoint gets exactly the defaults a file entry gets.
        rw.addAll(ConfigLoader.load("remote_write:\n  - url: " + quoted(url) + "\n").remoteWrite());
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--remote-write.url " + url + ": " + e.detail());
      }
    }
    return new PrometheusConfig(combined.global(), combined.scrapeConfigs(), rw);
  }

  private static String quoted(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }
}
