package dev.vigil.bench.scrape;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.manager.ManagerOptions;
import dev.vigil.collector.manager.ScrapeManager;
import dev.vigil.collector.remote.RemoteStorage;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Vigil's side of the scrape benchmark: what {@code vigil agent --config.file FILE} runs (the
 * app module's {@code Agent}: a {@link ScrapeManager} with default options appending into the
 * durable {@link RemoteStorage} sender of the file's {@code remote_write}), without the agent's
 * HTTP server and self-metrics, which the benchmark does not load. Runs until killed; the
 * shutdown hook stops the targets, then the sender, as the agent does.
 *
 * <p>Usage: {@code VigilScrapeRunner CONFIG_FILE DATA_DIR}.
 */
public final class VigilScrapeRunner {
  private static final System.Logger LOG = System.getLogger(VigilScrapeRunner.class.getName());

  private VigilScrapeRunner() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: VigilScrapeRunner CONFIG_FILE DATA_DIR");
    }
    Path configFile = Path.of(args[0]).toAbsolutePath();
    PrometheusConfig config = ConfigLoader.load(configFile);
    RemoteStorage sink = RemoteStorage.open(Path.of(args[1]), config.remoteWrite());
    ScrapeManager manager = new ScrapeManager(sink, ManagerOptions.defaults(configFile.getParent()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      manager.close();
      sink.close();
      stopped.countDown();
    }, "vigil-scrape-runner-stop"));
    manager.apply(config);
    LOG.log(System.Logger.Level.INFO, "scraping {0} job(s) into {1}", manager.jobNames().size(), sink.dir());
    stopped.await();
  }
}
