package dev.vigil.collector.manager;

import dev.vigil.collector.config.FileSdConfig;
import dev.vigil.collector.config.KubernetesSdConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.discovery.FileDiscovery;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.collector.discovery.kubernetes.KubernetesDiscovery;
import dev.vigil.collector.scrape.HttpClientFactory;
import dev.vigil.collector.scrape.ScrapePool;
import dev.vigil.model.storage.Appendable;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One job at run time: its scrape pool and the discoveries that feed it. Each discovery owns a
 * slot; whenever one publishes, the pool is synced with the groups of all slots together, so a
 * job with static and file targets scrapes both.
 */
final class ScrapeJob implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ScrapeJob.class.getName());

  private final Object lock = new Object();
  private final ScrapeConfig config;
  private final ScrapePool pool;
  private final HttpClient client;
  private final List<AutoCloseable> resources = new ArrayList<>();

  // Guarded by lock: the latest groups of each discovery, in config order.
  private final List<List<TargetGroup>> slots = new ArrayList<>();
  private boolean closed;

  private ScrapeJob(ScrapeConfig config, ScrapePool pool, HttpClient client) {
    this.config = config;
    this.pool = pool;
    this.client = client;
  }

  /**
   * Starts the job's discoveries; static groups are synced before this returns, file groups
   * after the first read, Kubernetes groups once the informers have listed.
   */
  static ScrapeJob start(ScrapeConfig config, Appendable sink, ScheduledExecutorService scrapes,
      ScheduledExecutorService discovery, SharedKubernetesClients kubernetes, ManagerOptions options) {
    HttpClient client = HttpClientFactory.create(config.httpClient());
    ScrapePool pool = new ScrapePool(config, client, sink, options.clock(), scrapes, options.offsetSeed());
    ScrapeJob job = new ScrapeJob(config, pool, client);
    int slotCount = (config.staticConfigs().isEmpty() ? 0 : 1) + config.fileSdConfigs().size()
        + config.kubernetesSdConfigs().size();
    synchronized (job.lock) {
      for (int i = 0; i < slotCount; i++) {
        job.slots.add(List.of());
      }
    }
    int slot = 0;
    try {
      if (!config.staticConfigs().isEmpty()) {
        List<TargetGroup> groups = new ArrayList<>();
        for (int i = 0; i < config.staticConfigs().size(); i++) {
          groups.add(TargetGroup.fromStatic(config.staticConfigs().get(i), i));
        }
        job.update(slot++, groups);
      }
      for (FileSdConfig f : config.fileSdConfigs()) {
        FileDiscovery d = new FileDiscovery(f, options.baseDir());
        job.resources.add(d);
        int s = slot++;
        d.start(discovery, groups -> job.update(s, groups));
      }
      for (KubernetesSdConfig k : config.kubernetesSdConfigs()) {
        SharedKubernetesClients.Lease lease = kubernetes.acquire(k);
        int s = slot++;
        KubernetesDiscovery d = new KubernetesDiscovery(k, lease.client(), groups -> job.update(s, groups));
        // Discovery before its client: informers stop first, then the client is released.
        job.resources.add(lease);
        job.resources.add(d);
        d.start().exceptionally(e -> {
          LOG.log(System.Logger.Level.WARNING, "kubernetes_sd_configs of job {0} (role {1}) failed to start: {2}",
              config.jobName(), k.role(), e.toString());
          return null;
        });
      }
    } catch (RuntimeException e) {
      job.close();
      throw e;
    }
    return job;
  }

  ScrapeConfig config() {
    return config;
  }

  ScrapePool pool() {
    return pool;
  }

  private void update(int slot, List<TargetGroup> groups) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      slots.set(slot, List.copyOf(groups));
      List<TargetGroup> all = new ArrayList<>();
      for (List<TargetGroup> s : slots) {
        all.addAll(s);
      }
      // Under the job lock so that two discoveries' updates reach the pool in order.
      pool.sync(all);
    }
  }

  /** Stops discovering, then stops every target (their series go stale). */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing a discovery of job " + config.jobName() + " failed", e);
      }
    }
    pool.close();
    // After the pool: no scrape is in flight any more, so this does not wait.
    client.close();
  }
}
