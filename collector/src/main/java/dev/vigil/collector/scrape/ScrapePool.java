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
 * the reason, for the targets page.
 */
public final class ScrapePool implements AutoCloseable {
  private final Object lock = new Object();
  private final ScrapeConfig config;
  private final HttpClient client;
  private final Appendable storage;
  private final InstantSource clock;
  private final ScheduledExecutorService executor;
  private final long offsetSeed;

  // Guarded by lock. Keyed by all target labels (URL included), as Prometheus keys by hash.
  private Map<Labels, ScrapeLoop> active = new LinkedHashMap<>();
  private Map<Labels, Labels> discoveredOf = new HashMap<>();
  private List<DroppedTarget> dropped = List.of();
  private int droppedCount;
  private boolean targetLimitHit;
  private long targetLimitExceeded;
  private final java.util.concurrent.atomic.LongAdder sampleLimitHits = new java.util.concurrent.atomic.LongAdder();

  /** A discovered target that is not scraped, and why ("" when relabelling dropped it). */
  public record DroppedTarget(Labels discoveredLabels, String reason) {}

  public ScrapePool(ScrapeConfig config, HttpClient client, Appendable storage, InstantSource clock,
      ScheduledExecutorService executor, long offsetSeed) {
    this.config = config;
    this.client = client;
    this.storage = storage;
    this.clock = clock;
    this.executor = executor;
    this.offsetSeed = offsetSeed;
  }

  public ScrapeConfig config() {
    return config;
  }

  /** Replaces the job's targets with those of {@code groups}. */
  public void sync(List<TargetGroup> groups) {
    Map<Labels, ScrapeTarget> wanted = new LinkedHashMap<>();
    Map<Labels, Labels> discoveredByTarget = new HashMap<>();
    List<DroppedTarget> drops = new ArrayList<>();
    for (TargetGroup g : groups) {
      for (int i = 0; i < g.targets().size(); i++) {
        Labels discovered = g.merged(i);
        try {
          ScrapeTarget t = ScrapeTarget.populate(discovered, config);
          if (t == null) {
            drops.add(new DroppedTarget(discovered, ""));
          } else {
            if (wanted.putIfAbsent(t.allLabels(), t) == null) {
              discoveredByTarget.put(t.allLabels(), discovered);
            }
          }
        } catch (IllegalArgumentException e) {
          drops.add(new DroppedTarget(discovered, e.getMessage()));
        }
      }
    }
    List<ScrapeLoop> toStop = new ArrayList<>();
    // Prometheus fails the whole pool rather than pick which targets to keep.
    long limit = config.targetLimit();
    String forced = limit > 0 && wanted.size() > limit
        ? "target_limit exceeded (number of targets: " + wanted.size() + ", limit: " + limit + ")"
        : null;
    synchronized (lock) {
      Map<Labels, ScrapeLoop> next = new LinkedHashMap<>();
      Map<Labels, ScrapeLoop> old = new HashMap<>(active);
      for (Map.Entry<Labels, ScrapeTarget> e : wanted.entrySet()) {
        ScrapeLoop loop = old.remove(e.getKey());
        if (loop == null) {
          ScrapeTarget t = e.getValue();
          loop = new ScrapeLoop(t, config, new HttpScraper(client, t, config), storage, clock, sampleLimitHits);
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
    // Outside the pool lock: stopping waits for a running scrape of that loop.
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
      return discoveredOf.getOrDefault(target.allLabels(), Labels.EMPTY);
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
