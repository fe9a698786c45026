package dev.vigil.server.peer;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.peer.PrometheusApi;
import dev.vigil.server.ServerConfig;
import dev.vigil.server.VigilServer;
import dev.vigil.server.api.BuildInfo;
import java.nio.file.Path;

/**
 * Vigil's side of a peer test: a real {@code vigil server} (TSDB storage, system clock, one
 * tenant) on a free loopback port, scraping the same {@code scrape_configs} YAML Prometheus runs
 * on its own schedule into its store, and read through its HTTP API with the very client code
 * that reads Prometheus.
 */
final class ScrapingServer implements AutoCloseable {
  static final String TENANT = "anonymous";

  private final VigilServer server;
  private final PrometheusApi api;

  ScrapingServer(Path dir, String scrapeYaml) {
    server = VigilServer.start(ServerConfig.defaults(dir.resolve("data")).withListen("127.0.0.1", 0)
        .withMultitenancy(false, TENANT), new BuildInfo("0.1.0-test", "abc", "main", "2026-11-25", false, false));
    try {
      server.scraping().apply(ConfigLoader.load(scrapeYaml), TENANT, ManagerOptions.defaults(dir));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    api = new PrometheusApi("http://127.0.0.1:" + server.port());
  }

  /** Prometheus's query API of this server. */
  PrometheusApi api() {
    return api;
  }

  VigilServer server() {
    return server;
  }

  /** The targets' last errors, for failure messages. */
  String diagnostics() {
    return server.scraping().targets().active().toString();
  }

  @Override
  public void close() {
    server.close();
  }
}
