package dev.vigil.collector.manager;

import dev.vigil.collector.config.KubernetesSdConfig;
import dev.vigil.collector.discovery.kubernetes.KubernetesClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Objects;
import java.util.function.Function;

/**
 * How a {@link ScrapeManager} runs.
 *
 * @param clock time of scrapes and staleness markers
 * @param scrapeThreads threads scraping concurrently (a scrape holds its thread for the HTTP
 *     request, so this bounds how many targets are fetched at once)
 * @param offsetSeed mixed into every target's schedule offset; Prometheus uses a hash of the
 *     hostname and external labels so that HA pairs scrape at different moments
 * @param baseDir resolves relative {@code file_sd_configs} paths (the config file's directory)
 * @param kubernetesClients builds the API client of a {@code kubernetes_sd_configs} entry
 */
public record ManagerOptions(
    InstantSource clock,
    int scrapeThreads,
    long offsetSeed,
    Path baseDir,
    Function<KubernetesSdConfig, KubernetesClient> kubernetesClients) {

  public ManagerOptions {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(kubernetesClients, "kubernetesClients");
    if (scrapeThreads < 1) {
      throw new IllegalArgumentException("scrapeThreads must be at least 1, got " + scrapeThreads);
    }
  }

  /** System clock, 8 scrape threads, a seed from the host name, real Kubernetes clients. */
  public static ManagerOptions defaults(Path baseDir) {
    return new ManagerOptions(InstantSource.system(), 8, hostSeed(), baseDir, KubernetesClients::create);
  }

  public ManagerOptions withClock(InstantSource clock) {
    return new ManagerOptions(clock, scrapeThreads, offsetSeed, baseDir, kubernetesClients);
  }

  public ManagerOptions withKubernetesClients(Function<KubernetesSdConfig, KubernetesClient> clients) {
    return new ManagerOptions(clock, scrapeThreads, offsetSeed, baseDir, clients);
  }

  public ManagerOptions withOffsetSeed(long seed) {
    return new ManagerOptions(clock, scrapeThreads, seed, baseDir, kubernetesClients);
  }

  private static long hostSeed() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "";
    }
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < host.length(); i++) {
      h ^= host.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
