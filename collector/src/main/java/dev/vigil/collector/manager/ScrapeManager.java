package dev.vigil.collector.manager;

import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.scrape.ScrapeLoop;
import dev.vigil.collector.scrape.ScrapePool;
import dev.vigil.collector.scrape.ScrapeResult;
import dev.vigil.collector.scrape.ScrapeTarget;
import dev.vigil.model.storage.Appendable;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scrapes what a Prometheus configuration's {@code scrape_configs} describe into one
 * {@link Appendable}: a {@link ScrapePool} per job, fed by the job's static, file and Kubernetes
 * discoveries. {@link #apply} starts the first configuration and reloads later ones: jobs whose
 * configuration is unchanged keep running (same loops, same schedule), changed jobs are reloaded
 * in place as Prometheus's {@code scrapePool.reload} does (targets keeping their labels and URL
 * keep their loops and series, without staleness markers), removed jobs stopped. A target that
 * disappears, or whose job goes, gets staleness markers for all its series. Each target scrapes at its own offset within the interval (a
 * hash of its labels and the options' seed), so load spreads and a target keeps its slot.
 *
 * <p>Thread-safe; {@link #apply} and {@link #close} are serialised.
 */
public final class ScrapeManager implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ScrapeManager.class.getName());

  private final Object lock = new Object();
  private final Appendable sink;
  private final ManagerOptions options;
  private final ScheduledExecutorService scrapes;
  private final ScheduledExecutorService discovery;
  private final String hostname;
  private final SharedKubernetesClients kubernetes;

  // Guarded by lock; in config order.
  private Map<String, ScrapeJob> jobs = new LinkedHashMap<>();
  private boolean closed;

  public ScrapeManager(Appendable sink, ManagerOptions options) {
    this.sink = sink;
    this.options = options;
    this.scrapes = Executors.newScheduledThreadPool(options.scrapeThreads(), threads("vigil-scrape-"));
    this.discovery = Executors.newSingleThreadScheduledExecutor(threads("vigil-file-sd-"));
    this.hostname = localHostname();
    this.kubernetes = new SharedKubernetesClients(options.kubernetesClients());
  }

  /**
   * Makes {@code config}'s jobs the running ones.
   *
   * @throws IllegalArgumentException when jobs cannot start (an unreadable TLS file, say), naming
   *     each; every other job runs, and a failing job that was running keeps its previous
   *     configuration
   */
  public void apply(PrometheusConfig config) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("scrape manager is closed");
      }
      Map<String, ScrapeJob> next = new LinkedHashMap<>();
      Map<String, ScrapeJob> old = new LinkedHashMap<>(jobs);
      List<String> reloaded = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      for (ScrapeConfig sc : config.scrapeConfigs()) {
        ScrapeJob running = old.remove(sc.jobName());
        if (running != null && running.config().equals(sc)) {
          next.put(sc.jobName(), running);
          continue;
        }
        if (running != null) {
          try {
            running.reload(sc);
            reloaded.add(sc.jobName());
          } catch (RuntimeException e) {
            failed.add("job " + sc.jobName() + " (previous configuration kept): " + e.getMessage());
          }
          next.put(sc.jobName(), running);
          continue;
        }
        try {
          next.put(sc.jobName(), ScrapeJob.start(sc, sink, scrapes, discovery, kubernetes, options));
        } catch (RuntimeException e) {
          failed.add("job " + sc.jobName() + ": " + e.getMessage());
        }
      }
      for (ScrapeJob gone : old.values()) {
        gone.close();
      }
      jobs = next;
      LOG.log(System.Logger.Level.INFO, "scrape configuration applied: {0} job(s) running, reloaded {1}, stopped {2}",
          next.size(), reloaded, List.copyOf(old.keySet()));
      if (!failed.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", failed));
      }
    }
  }

  /** Kubernetes API clients open now (one per distinct connection settings). */
  int kubernetesClientsOpen() {
    return kubernetes.open();
  }

  /** The pool of a running job (tests check that a reload keeps its loops). */
  ScrapePool pool(String job) {
    synchronized (lock) {
      ScrapeJob j = jobs.get(job);
      if (j == null) {
        throw new IllegalArgumentException("no job " + job);
      }
      return j.pool();
    }
  }

  /** The running job names, in config order. */
  public List<String> jobNames() {
    synchronized (lock) {
      return List.copyOf(jobs.keySet());
    }
  }

  /** Every running job's pool counters, in job order. */
  public List<PoolStats> pools() {
    List<ScrapeJob> snapshot;
    synchronized (lock) {
      snapshot = List.copyOf(jobs.values());
    }
    List<PoolStats> out = new ArrayList<>(snapshot.size());
    for (ScrapeJob job : snapshot) {
      ScrapePool pool = job.pool();
      out.add(new PoolStats(job.config().jobName(), pool.activeTargets().size(), job.config().targetLimit(),
          pool.targetLimitExceededTotal(), pool.droppedTargetCount(), pool.sampleLimitExceededTotal(),
          pool.exemplarsRejectedTotal()));
    }
    return out;
  }

  /**
   * Every active target's metric metadata from its scrapes, by job in config order: what
   * {@code /api/v1/targets/metadata} lists and {@code /api/v1/metadata} merges.
   */
  public List<TargetMetadata> targetMetadata() {
    List<ScrapeJob> snapshot;
    synchronized (lock) {
      snapshot = List.copyOf(jobs.values());
    }
    List<TargetMetadata> out = new ArrayList<>();
    for (ScrapeJob job : snapshot) {
      String name = job.config().jobName();
      for (ScrapeLoop loop : job.pool().activeTargets()) {
        out.add(new TargetMetadata(loop.target().labels(), name, loop.metadata()));
      }
    }
    return out;
  }

  /** Every job's targets now. */
  public TargetsView targets() {
    List<ScrapeJob> snapshot;
    synchronized (lock) {
      snapshot = List.copyOf(jobs.values());
    }
    List<ActiveTarget> active = new ArrayList<>();
    List<DroppedTarget> dropped = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ScrapeJob job : snapshot) {
      ScrapePool pool = job.pool();
      String name = job.config().jobName();
      for (ScrapeLoop loop : pool.activeTargets()) {
        active.add(active(name, pool, loop));
      }
      List<ScrapePool.DroppedTarget> drops = pool.droppedTargets();
      for (ScrapePool.DroppedTarget d : drops) {
        dropped.add(new DroppedTarget(ScrapeTarget.withDefaults(d.discoveredLabels(), job.config()), name, d.reason()));
      }
      // Prometheus's droppedTargetCounts: all dropped, also those keep_dropped_targets left out.
      counts.put(name, pool.droppedTargetCount());
    }
    return new TargetsView(active, dropped, counts);
  }

  private ActiveTarget active(String job, ScrapePool pool, ScrapeLoop loop) {
    ScrapeTarget t = loop.target();
    ScrapeResult r = loop.lastResult();
    TargetHealth health = r == null ? TargetHealth.UNKNOWN : r.up() ? TargetHealth.UP : TargetHealth.DOWN;
    return new ActiveTarget(ScrapeTarget.withDefaults(pool.discoveredLabels(t), pool.config()), t.labels(), job,
        t.url(), globalUrl(t.url()), r == null ? "" : r.error(), r == null ? null : r.time(),
        r == null ? Duration.ZERO : r.duration(), health, t.interval(), t.timeout());
  }

  private URI globalUrl(URI url) {
    String host = url.getHost();
    if (host == null || hostname.isEmpty()) {
      return url;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    // Prometheus's LocalhostRepresentations, exactly (not all of 127/8).
    boolean loopback = h.equals("localhost") || h.equals("127.0.0.1") || h.equals("::1");
    if (!loopback) {
      return url;
    }
    try {
      return new URI(url.getScheme(), url.getUserInfo(), hostname, url.getPort(), url.getPath(), url.getQuery(),
          url.getFragment());
    } catch (URISyntaxException e) {
      return url;
    }
  }

  /** Stops every job (all series go stale) and the threads. */
  @Override
  public void close() {
    Map<String, ScrapeJob> toClose;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = jobs;
      jobs = new LinkedHashMap<>();
    }
    for (ScrapeJob j : toClose.values()) {
      j.close();
    }
    discovery.shutdownNow();
    scrapes.shutdown();
    try {
      if (!scrapes.awaitTermination(5, TimeUnit.SECONDS)) {
        scrapes.shutdownNow();
      }
    } catch (InterruptedException e) {
      scrapes.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "";
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
