package dev.vigil.collector.manager;

import dev.vigil.collector.auth.OAuth2TokenSource;
import dev.vigil.collector.config.FileSdConfig;
import dev.vigil.collector.config.KubernetesSdConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.config.StaticConfig;
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
 * job with static and file targets scrapes both. {@link #reload} applies a changed configuration
 * in place: discoveries whose configuration is unchanged keep running, the pool keeps the loops
 * of targets that survive.
 */
final class ScrapeJob implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ScrapeJob.class.getName());

  /** The latest groups of one discovery. Guarded by the job's lock. */
  private static final class Slot {
    List<TargetGroup> groups;

    Slot(List<TargetGroup> groups) {
      this.groups = groups;
    }
  }

  /**
   * A running discovery: the configuration it was started from (a {@link FileSdConfig}, a
   * {@link KubernetesSdConfig}, or the job's list of {@link StaticConfig}s), its slot and what
   * to close when it goes, in closing order.
   */
  private record Discovery(Object config, Slot slot, List<AutoCloseable> resources) {}

  private final Object lock = new Object();
  private final ScheduledExecutorService discoveryExecutor;
  private final SharedKubernetesClients kubernetes;
  private final ManagerOptions options;
  private final ScrapePool pool;

  // Guarded by lock.
  private ScrapeConfig config;
  private HttpClient client;
  private OAuth2TokenSource tokens;
  private List<Discovery> discoveries = List.of();
  private boolean closed;

  private ScrapeJob(ScrapeConfig config, ScrapePool pool, HttpClient client, OAuth2TokenSource tokens,
      ScheduledExecutorService discovery, SharedKubernetesClients kubernetes, ManagerOptions options) {
    this.config = config;
    this.pool = pool;
    this.client = client;
    this.tokens = tokens;
    this.discoveryExecutor = discovery;
    this.kubernetes = kubernetes;
    this.options = options;
  }

  /**
   * Starts the job's discoveries; static groups are synced before this returns, file groups
   * after the first read, Kubernetes groups once the informers have listed.
   */
  static ScrapeJob start(ScrapeConfig config, Appendable sink, ScheduledExecutorService scrapes,
      ScheduledExecutorService discovery, SharedKubernetesClients kubernetes, ManagerOptions options) {
    HttpClient client = HttpClientFactory.create(config.httpClient());
    OAuth2TokenSource tokens;
    try {
      tokens = HttpClientFactory.oauth2(config.httpClient(), options.clock());
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    ScrapePool pool = new ScrapePool(config, client, tokens, sink, options.clock(), scrapes, options.offsetSeed());
    ScrapeJob job = new ScrapeJob(config, pool, client, tokens, discovery, kubernetes, options);
    try {
      synchronized (job.lock) {
        job.discoveries = job.startDiscoveries(config, List.of());
        job.syncLocked();
      }
    } catch (RuntimeException e) {
      job.close();
      throw e;
    }
    return job;
  }

  ScrapeConfig config() {
    synchronized (lock) {
      return config;
    }
  }

  ScrapePool pool() {
    return pool;
  }

  /**
   * Makes {@code next} (same job name) this job's configuration without restarting it: a new
   * HTTP client only when the HTTP settings changed, new discoveries only for changed discovery
   * settings (each starts with the groups of the one it replaces, so its targets do not blink
   * out until it first reports), and the pool reloaded in place.
   *
   * @throws IllegalArgumentException when the new HTTP client cannot be built (an unreadable
   *     TLS file); the job then keeps running with its previous configuration
   */
  void reload(ScrapeConfig next) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("job " + config.jobName() + " is closed");
      }
      HttpClient oldClient = client;
      OAuth2TokenSource oldTokens = tokens;
      boolean sameHttp = next.httpClient().equals(config.httpClient());
      HttpClient newClient = sameHttp ? oldClient : HttpClientFactory.create(next.httpClient());
      OAuth2TokenSource newTokens = oldTokens;
      if (!sameHttp) {
        try {
          newTokens = HttpClientFactory.oauth2(next.httpClient(), options.clock());
        } catch (RuntimeException e) {
          newClient.close();
          throw e;
        }
      }
      List<Discovery> nextDiscoveries;
      try {
        nextDiscoveries = startDiscoveries(next, discoveries);
      } catch (RuntimeException e) {
        if (!sameHttp) {
          newClient.close();
          if (newTokens != null) {
            newTokens.close();
          }
        }
        throw e;
      }
      for (Discovery d : discoveries) {
        if (!nextDiscoveries.contains(d)) {
          closeResources(d);
        }
      }
      discoveries = nextDiscoveries;
      config = next;
      client = newClient;
      tokens = newTokens;
      pool.reload(next, newClient, newTokens, allGroups());
      if (!sameHttp) {
        // The pool reconfigured every loop before returning, so no scrape uses them any more.
        oldClient.close();
        if (oldTokens != null) {
          oldTokens.close();
        }
      }
    }
  }

  /**
   * The discoveries of {@code cfg}: running ones from {@code running} whose configuration is
   * equal are kept, others are started. Caller holds lock. On failure, what was started here is
   * closed again.
   */
  private List<Discovery> startDiscoveries(ScrapeConfig cfg, List<Discovery> running) {
    List<Discovery> out = new ArrayList<>();
    List<Discovery> unused = new ArrayList<>(running);
    try {
      if (!cfg.staticConfigs().isEmpty()) {
        Discovery kept = take(unused, cfg.staticConfigs());
        if (kept != null) {
          out.add(kept);
        } else {
          List<TargetGroup> groups = new ArrayList<>();
          for (int i = 0; i < cfg.staticConfigs().size(); i++) {
            groups.add(TargetGroup.fromStatic(cfg.staticConfigs().get(i), i));
          }
          out.add(new Discovery(cfg.staticConfigs(), new Slot(List.copyOf(groups)), List.of()));
        }
      }
      for (FileSdConfig f : cfg.fileSdConfigs()) {
        Discovery kept = take(unused, f);
        if (kept != null) {
          out.add(kept);
          continue;
        }
        Slot slot = new Slot(inherit(unused, FileSdConfig.class));
        FileDiscovery d = new FileDiscovery(f, options.baseDir());
        out.add(new Discovery(f, slot, List.of(d)));
        d.start(discoveryExecutor, groups -> update(slot, groups));
      }
      for (KubernetesSdConfig k : cfg.kubernetesSdConfigs()) {
        Discovery kept = take(unused, k);
        if (kept != null) {
          out.add(kept);
          continue;
        }
        Slot slot = new Slot(inherit(unused, KubernetesSdConfig.class));
        SharedKubernetesClients.Lease lease = kubernetes.acquire(k);
        KubernetesDiscovery d;
        try {
          d = new KubernetesDiscovery(k, lease.client(), groups -> update(slot, groups));
        } catch (RuntimeException e) {
          lease.close();
          throw e;
        }
        // Discovery before its client: informers stop first, then the client is released.
        out.add(new Discovery(k, slot, List.of(d, lease)));
        String job = cfg.jobName();
        d.start().exceptionally(e -> {
          LOG.log(System.Logger.Level.WARNING, "kubernetes_sd_configs of job {0} (role {1}) failed to start: {2}",
              job, k.role(), e.toString());
          return null;
        });
      }
    } catch (RuntimeException e) {
      for (Discovery d : out) {
        if (!running.contains(d)) {
          closeResources(d);
        }
      }
      throw e;
    }
    return out;
  }

  /** Removes and returns the running discovery started from a configuration equal to {@code cfg}. */
  private static Discovery take(List<Discovery> unused, Object cfg) {
    for (int i = 0; i < unused.size(); i++) {
      if (unused.get(i).config().equals(cfg)) {
        return unused.remove(i);
      }
    }
    return null;
  }

  /**
   * The groups of the first unused running discovery of the same kind: a changed file or
   * Kubernetes discovery takes its predecessor's targets until it reports its own.
   */
  private static List<TargetGroup> inherit(List<Discovery> unused, Class<?> kind) {
    for (int i = 0; i < unused.size(); i++) {
      if (kind.isInstance(unused.get(i).config())) {
        return unused.remove(i).slot().groups;
      }
    }
    return List.of();
  }

  private void update(Slot slot, List<TargetGroup> groups) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      slot.groups = List.copyOf(groups);
      // A discovery replaced by a reload may still report once; its slot is no longer read.
      syncLocked();
    }
  }

  // Caller holds lock, so that two discoveries' updates reach the pool in order.
  private void syncLocked() {
    pool.sync(allGroups());
  }

  // Caller holds lock.
  private List<TargetGroup> allGroups() {
    List<TargetGroup> all = new ArrayList<>();
    for (Discovery d : discoveries) {
      all.addAll(d.slot().groups);
    }
    return all;
  }

  private void closeResources(Discovery d) {
    for (AutoCloseable r : d.resources()) {
      try {
        r.close();
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "closing a discovery of job " + config.jobName() + " failed", e);
      }
    }
  }

  /** Stops discovering, then stops every target (their series go stale). */
  @Override
  public void close() {
    List<Discovery> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = discoveries;
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      closeResources(toClose.get(i));
    }
    pool.close();
    // After the pool: no scrape is in flight any more, so this does not wait.
    client.close();
    if (tokens != null) {
      tokens.close();
    }
  }
}
