package dev.vigil.collector.scrape;

import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appendable;
import java.net.http.HttpClient;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The scrape loops of one job. {@link #sync} takes the current target groups, relabels them into
 * targets, starts loops for new targets and stops (which marks stale) those that disappeared,
 * the way Prometheus's scrape pool does. Targets the relabelling dropped or refused are kept with
 * the reason, for the targets page. {@link #reload} applies a changed job configuration in place.
 *
 * <p>A target is identified by its final labels and URL (Prometheus hashes all its labels,
 * internal ones included), so a reload that only changes {@code __scrape_interval__} or
 * {@code __scrape_timeout__} keeps the target and its loop.
 */
public final class ScrapePool implements AutoCloseable {
  private final Object lock = new Object();
  // Written by reload; sync and reload are serialised by the caller (the job).
  private volatile ScrapeConfig config;
  private volatile HttpClient client;
  // The job's oauth2 tokens (null without oauth2), shared by its targets; replaced with the client.
  private volatile dev.vigil.collector.auth.OAuth2TokenSource tokens;
  private final Appendable storage;
  private final InstantSource clock;
  private final ScheduledExecutorService executor;
  private final long offsetSeed;

  // Guarded by lock.
  private Map<TargetKey, ScrapeLoop> active = new LinkedHashMap<>();
  private Map<TargetKey, Labels> discoveredOf = new HashMap<>();
  private List<DroppedTarget> dropped = List.of();
  private int droppedCount;
  private boolean targetLimitHit;
  private long targetLimitExceeded;
  private final java.util.concurrent.atomic.LongAdder sampleLimitHits = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder exemplarsRejected = new java.util.concurrent.atomic.LongAdder();

  /** A discovered target that is not scraped, and why ("" when relabelling dropped it). */
  public record DroppedTarget(Labels discoveredLabels, String reason) {}

  /** What makes two targets of a job the same one across syncs and reloads. */
  private record TargetKey(Labels labels, java.net.URI url) {
    static TargetKey of(ScrapeTarget t) {
      return new TargetKey(t.labels(), t.url());
    }
  }

  /** A pool whose job has no {@code oauth2} block. */
  public ScrapePool(ScrapeConfig config, HttpClient client, Appendable storage, InstantSource clock,
      ScheduledExecutorService executor, long offsetSeed) {
    this(config, client, null, storage, clock, executor, offsetSeed);
  }

  /**
   * @param client the job's HTTP client, and {@code tokens} its {@code oauth2} tokens (null
   *     without oauth2; see {@link HttpClientFactory#oauth2}); both stay the caller's to close
   */
  public ScrapePool(ScrapeConfig config, HttpClient client, dev.vigil.collector.auth.OAuth2TokenSource tokens,
      Appendable storage, InstantSource clock, ScheduledExecutorService executor, long offsetSeed) {
    this.config = config;
    this.client = client;
    this.storage = storage;
    this.clock = clock;
    this.tokens = tokens;
    this.executor = executor;
    this.offsetSeed = offsetSeed;
  }

  public ScrapeConfig config() {
    return config;
  }

  /** Replaces the job's targets with those of {@code groups}. */
  public void sync(List<TargetGroup> groups) {
    sync(groups, false);
  }

  /**
   * Makes {@code newConfig} (same job name) this pool's configuration, scraping with
   * {@code newClient} and {@code newTokens}, and syncs {@code groups} under it: targets that keep their labels
   * and URL keep their loops (no staleness markers; new interval, timeout, limits and rules from
   * the next scrape on), targets the new relabelling changes or drops are stopped (stale), new
   * ones start. The caller closes the old client and tokens once this returns (no loop uses it any more).
   */
  public void reload(ScrapeConfig newConfig, HttpClient newClient, dev.vigil.collector.auth.OAuth2TokenSource newTokens,
      List<TargetGroup> groups) {
    if (!newConfig.jobName().equals(config.jobName())) {
      throw new IllegalArgumentException("pool of job " + config.jobName() + " cannot take job " + newConfig.jobName());
    }
    config = newConfig;
    client = newClient;
    tokens = newTokens;
    sync(groups, true);
  }

  private void sync(List<TargetGroup> groups, boolean reloaded) {
    ScrapeConfig config = this.config;
    HttpClient client = this.client;
    dev.vigil.collector.auth.OAuth2TokenSource tokens = this.tokens;
    Map<TargetKey, ScrapeTarget> wanted = new LinkedHashMap<>();
    Map<TargetKey, Labels> discoveredByTarget = new HashMap<>();
    List<DroppedTarget> drops = new ArrayList<>();
    for (TargetGroup g : groups) {
      for (int i = 0; i < g.targets().size(); i++) {
        Labels discovered = g.merged(i);
        try {
          ScrapeTarget t = ScrapeTarget.populate(discovered, config);
          if (t == null) {
            drops.add(new DroppedTarget(discovered, ""));
          } else {
            TargetKey key = TargetKey.of(t);
            if (wanted.putIfAbsent(key, t) == null) {
              discoveredByTarget.put(key, discovered);
            }
          }
        } catch (IllegalArgumentException e) {
          drops.add(new DroppedTarget(discovered, e.getMessage()));
        }
      }
    }
    List<ScrapeLoop> toStop = new ArrayList<>();
    List<ScrapeLoop> toReconfigure = new ArrayList<>();
    List<ScrapeTarget> reconfiguredTargets = new ArrayList<>();
    // Prometheus fails the whole pool rather than pick which targets to keep.
    long limit = config.targetLimit();
    String forced = limit > 0 && wanted.size() > limit
        ? "target_limit exceeded (number of targets: " + wanted.size() + ", limit: " + limit + ")"
        : null;
    synchronized (lock) {
      Map<TargetKey, ScrapeLoop> next = new LinkedHashMap<>();
      Map<TargetKey, ScrapeLoop> old = new HashMap<>(active);
      for (Map.Entry<TargetKey, ScrapeTarget> e : wanted.entrySet()) {
        ScrapeLoop loop = old.remove(e.getKey());
        if (loop != null && (reloaded || !loop.target().equals(e.getValue()))) {
          // Same labels and URL, but a new configuration or changed internal labels.
          toReconfigure.add(loop);
          reconfiguredTargets.add(e.getValue());
        }
        if (loop == null) {
          ScrapeTarget t = e.getValue();
          loop = new ScrapeLoop(t, config, new HttpScraper(client, t, config, tokens), storage, clock, sampleLimitHits,
              exemplarsRejected);
          // Before start, so that not even the first scrape reaches the target.
          loop.setForcedError(forced);
          loop.start(executor, offsetSeed);
        }
        next.put(e.getKey(), loop);
      }
      toStop.addAll(old.values());
      active = next;
      discoveredOf = discoveredByTarget;
      droppedCount = drops.size();
      long keep = config.keepDroppedTargets();
      dropped = List.copyOf(keep > 0 && drops.size() > keep ? drops.subList(0, (int) keep) : drops);
      if (forced != null) {
        targetLimitExceeded++;
      }
      targetLimitHit = forced != null;
      for (ScrapeLoop l : next.values()) {
        l.setForcedError(forced);
      }
    }
    // Outside the pool lock: stopping and reconfiguring wait for a running scrape of that loop.
    for (int i = 0; i < toReconfigure.size(); i++) {
      ScrapeTarget t = reconfiguredTargets.get(i);
      toReconfigure.get(i).reconfigure(t, config, new HttpScraper(client, t, config, tokens));
    }
    for (ScrapeLoop l : toStop) {
      l.stop();
    }
  }

  public List<ScrapeLoop> activeTargets() {
    synchronized (lock) {
      return List.copyOf(active.values());
    }
  }

  /** The labels discovery gave {@code target} (before defaults and relabelling), or empty. */
  public Labels discoveredLabels(ScrapeTarget target) {
    synchronized (lock) {
      return discoveredOf.getOrDefault(TargetKey.of(target), Labels.EMPTY);
    }
  }

  /** Whether the last sync found more targets than {@code target_limit}. */
  public boolean targetLimitHit() {
    synchronized (lock) {
      return targetLimitHit;
    }
  }

  /**
   * How many syncs found more targets than {@code target_limit} (Prometheus's
   * {@code prometheus_target_scrape_pool_exceeded_target_limit_total}).
   */
  public long targetLimitExceededTotal() {
    synchronized (lock) {
      return targetLimitExceeded;
    }
  }

  /** Scrapes of this pool's targets that failed for {@code sample_limit}. */
  public long sampleLimitExceededTotal() {
    return sampleLimitHits.sum();
  }

  /** Exemplars of this pool's scrapes that the store refused (they never fail a scrape). */
  public long exemplarsRejectedTotal() {
    return exemplarsRejected.sum();
  }

  /** All targets the last sync dropped, also those beyond {@code keep_dropped_targets}. */
  public int droppedTargetCount() {
    synchronized (lock) {
      return droppedCount;
    }
  }

  /** At most {@code keep_dropped_targets} (0: all) of the targets the last sync dropped. */
  public List<DroppedTarget> droppedTargets() {
    synchronized (lock) {
      return dropped;
    }
  }

  /** Stops every loop; their series go stale. */
  @Override
  public void close() {
    List<ScrapeLoop> loops;
    synchronized (lock) {
      loops = new ArrayList<>(active.values());
      active = new LinkedHashMap<>();
      discoveredOf = new HashMap<>();
    }
    for (ScrapeLoop l : loops) {
      l.stop();
    }
  }
}
