package dev.vigil.server.maintenance;

import dev.vigil.model.storage.Storage;
import dev.vigil.server.tenant.TenantStorages;
import dev.vigil.tsdb.Tsdb;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the TSDB upkeep the tsdb module leaves to its owner, for every open tenant, on one
 * background thread: {@link Tsdb#loadNewBlocks()} (blocks backfilled beside the server),
 * {@link Tsdb#cutBlocks()} (head → 2 h blocks, WAL checkpoint),
 * {@link Tsdb#writeHeadSnapshotIfDue} (bounds the WAL a crash restart replays),
 * {@link Tsdb#compact()}, {@link Tsdb#applyRetention} and then
 * {@link TenantStorages#closeIdle}. A failure of one tenant is logged and counted and does
 * not stop the others. Only tenants opened since start are visited; a tenant never asked for
 * keeps its blocks untouched until it is.
 *
 * <p>{@link #close()} stops scheduling and waits (at most {@link #STOP_WAIT_SECONDS} s) for a
 * running pass to finish the tenant it is on: cuts and compactions are never interrupted
 * mid-write, and a pass checks for shutdown between tenants and steps.
 */
public final class TsdbMaintenance implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TsdbMaintenance.class.getName());
  static final int STOP_WAIT_SECONDS = 10;

  private final TenantStorages storages;
  private final MaintenanceOptions options;
  private final ScheduledExecutorService scheduler;
  private final Counter blocksLoaded;
  private final Counter blocksCut;
  private final Counter headSnapshots;
  private final Counter compactions;
  private final Counter retentionDeleted;
  private final Counter failures;
  private final Counter idleClosed;
  private final Histogram duration;
  private final Histogram snapshotDuration;
  private volatile boolean stopping;

  private TsdbMaintenance(TenantStorages storages, MaintenanceOptions options,
      PrometheusRegistry registry, String threadName) {
    this.storages = storages;
    this.options = options;
    blocksLoaded = Counter.builder().name("vigil_tsdb_blocks_loaded_total")
        .help("Blocks that appeared in a tenant's directory while it was open (a backfill beside"
            + " the server, or copied in) and were taken up, per tenant.").labelNames("user")
        .register(registry);
    blocksCut = Counter.builder().name("vigil_tsdb_blocks_cut_total")
        .help("Blocks written from the head, per tenant.").labelNames("user").register(registry);
    headSnapshots = Counter.builder().name("vigil_tsdb_head_snapshots_total")
        .help("Head snapshots written while running (not at shutdown), per tenant.")
        .labelNames("user").register(registry);
    compactions = Counter.builder().name("vigil_tsdb_compactions_total")
        .help("Blocks written by compacting blocks, per tenant.").labelNames("user")
        .register(registry);
    retentionDeleted = Counter.builder().name("vigil_tsdb_retention_deleted_blocks_total")
        .help("Blocks deleted by time or size retention, per tenant.").labelNames("user")
        .register(registry);
    failures = Counter.builder().name("vigil_tsdb_maintenance_failures_total")
        .help("Failed block loading, cut, head snapshot, compaction, retention or idle-close"
            + " steps, by step.")
        .labelNames("step").register(registry);
    idleClosed = Counter.builder().name("vigil_tsdb_idle_tenants_closed_total")
        .help("Tenant TSDBs closed because they were idle.").register(registry);
    snapshotDuration = Histogram.builder().name("vigil_tsdb_head_snapshot_duration_seconds")
        .help("Time a head snapshot written while running took (commits go on meanwhile), per"
            + " tenant: the cost of --blocks-storage.tsdb.head-snapshot-interval.")
        .labelNames("user").classicUpperBounds(.01, .1, 1, 10, 60).register(registry);
    GaugeWithCallback.builder().name("vigil_tsdb_head_snapshot_bytes")
        .help("Size of the head snapshot the tenant's TSDB last wrote while running (0: none"
            + " since it opened).")
        .labelNames("user")
        .callback(cb -> forEachTsdb(storages, (user, t) -> cb.call(t.headSnapshotBytes(), user)))
        .register(registry);
    duration = Histogram.builder().name("vigil_tsdb_maintenance_duration_seconds")
        .help("Time of one maintenance pass over all open tenants.")
        .classicUpperBounds(.01, .1, 1, 10, 60, 300).register(registry);
    // How the open tenants' TSDBs came back at their last open (Prometheus's
    // prometheus_tsdb_data_replay_duration_seconds, per tenant).
    GaugeWithCallback.builder().name("vigil_tsdb_data_replay_duration_seconds")
        .help("Time the last open of the tenant's TSDB took to restore its head snapshot and"
            + " replay its WAL.")
        .labelNames("user")
        .callback(cb -> forEachTsdb(storages, (user, t) ->
            cb.call(t.replayStats().millis() / 1000.0, user)))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_tsdb_data_replay_samples")
        .help("WAL samples replayed by the last open of the tenant's TSDB.")
        .labelNames("user")
        .callback(cb -> forEachTsdb(storages, (user, t) ->
            cb.call(t.replayStats().samples(), user)))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_tsdb_head_snapshot_restored_series")
        .help("Series the last open of the tenant's TSDB restored from a head snapshot (0: it"
            + " replayed the whole WAL).")
        .labelNames("user")
        .callback(cb -> forEachTsdb(storages, (user, t) ->
            cb.call(t.replayStats().snapshotSeries(), user)))
        .register(registry);
    // Prometheus counts these among prometheus_tsdb_out_of_order_samples_total; they were
    // acknowledged to their sender, so an operator must see them apart.
    CounterWithCallback.builder().name("vigil_tsdb_samples_dropped_at_commit_total")
        .help("Samples an appender of the tenant's TSDB took but its commit dropped, having lost"
            + " a race (another commit at the same timestamp, a block cut, a narrowed"
            + " out-of-order window), since the TSDB opened.")
        .labelNames("user")
        .callback(cb -> forEachTsdb(storages, (user, t) ->
            cb.call(t.head().droppedAtCommit(), user)))
        .register(registry);
    GaugeWithCallback.builder().name("vigil_ingester_memory_users")
        .help("Tenants whose store is open.")
        .callback(cb -> cb.call(storages.openStores().size())).register(registry);
    GaugeWithCallback.builder().name("vigil_ingester_memory_series")
        .help("Series in the heads of the open tenants' TSDBs.")
        .callback(cb -> cb.call(sumOverTsdbs(storages, t -> t.head().numSeries())))
        .register(registry);
    // Mimir's cortex_ingester_tsdb_exemplar_* (Prometheus's prometheus_tsdb_exemplar_*), summed
    // over the open tenants.
    GaugeWithCallback.builder().name("vigil_ingester_tsdb_exemplar_exemplars_in_storage")
        .help("Exemplars in the exemplar rings of the open tenants' TSDBs.")
        .callback(cb -> cb.call(sumOverTsdbs(storages, t -> t.head().exemplars().size())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_ingester_tsdb_exemplar_series_with_exemplars_in_storage")
        .help("Series with at least one exemplar in the open tenants' exemplar rings.")
        .callback(cb -> cb.call(sumOverTsdbs(storages,
            t -> t.head().exemplars().seriesCount())))
        .register(registry);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  private static void forEachTsdb(TenantStorages storages,
      java.util.function.BiConsumer<String, Tsdb> action) {
    for (Map.Entry<String, Storage> e : storages.openStores().entrySet()) {
      if (e.getValue() instanceof Tsdb t) {
        action.accept(e.getKey(), t);
      }
    }
  }

  private static long sumOverTsdbs(TenantStorages storages,
      java.util.function.ToLongFunction<Tsdb> f) {
    long[] n = new long[1];
    forEachTsdb(storages, (user, t) -> n[0] += f.applyAsLong(t));
    return n[0];
  }

  /**
   * Registers the metrics and, unless {@code options.interval()} is zero, schedules a pass
   * every interval (the first one interval after start).
   */
  public static TsdbMaintenance start(TenantStorages storages, MaintenanceOptions options,
      PrometheusRegistry registry, String threadName) {
    TsdbMaintenance m = new TsdbMaintenance(storages, options, registry, threadName);
    long every = options.interval().toMillis();
    if (every > 0) {
      m.scheduler.scheduleWithFixedDelay(m::runQuietly, every, every, TimeUnit.MILLISECONDS);
    }
    return m;
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "BUG: TSDB maintenance pass failed", e);
    }
  }

  /** One pass over every open tenant, now, on the caller's thread (tests, and the schedule). */
  public synchronized void runOnce() {
    long began = System.nanoTime();
    for (Map.Entry<String, Storage> e : storages.openStores().entrySet()) {
      if (stopping) {
        return;
      }
      if (e.getValue() instanceof Tsdb tsdb) {
        maintain(e.getKey(), tsdb);
      }
    }
    if (!stopping && options.closeIdleTimeout().isPositive()) {
      try {
        idleClosed.inc(storages.closeIdle(options.closeIdleTimeout()));
      } catch (RuntimeException ex) {
        failures.labelValues("close_idle").inc();
        LOG.log(System.Logger.Level.ERROR, "closing idle tenants failed", ex);
      }
    }
    duration.observe((System.nanoTime() - began) / 1e9);
  }

  /** One step of a tenant's upkeep; returns how many blocks it wrote or deleted. */
  @FunctionalInterface
  private interface Step {
    int run();
  }

  private void maintain(String tenant, Tsdb tsdb) {
    long age = options.retentionTime().toMillis();
    long bytes = options.retentionBytes();
    long snapshotEvery = options.headSnapshotInterval().toMillis();
    if (!step(tenant, "load_blocks", tsdb::loadNewBlocks, blocksLoaded)
        || !step(tenant, "cut", () -> tsdb.cutBlocks().size(), blocksCut)
        || !step(tenant, "head_snapshot", () -> snapshotIfDue(tenant, tsdb, snapshotEvery),
            headSnapshots)
        || !step(tenant, "compact", () -> tsdb.compact().size(), compactions)
        || (age == 0 && bytes == 0)) {
      return;
    }
    step(tenant, "retention", () -> tsdb.applyRetention(age, bytes), retentionDeleted);
  }

  /** Writes the tenant's head snapshot when due; 1 when it did. */
  private int snapshotIfDue(String tenant, Tsdb tsdb, long everyMs) {
    long t0 = System.nanoTime();
    if (tsdb.writeHeadSnapshotIfDue(everyMs) == 0) {
      return 0;
    }
    snapshotDuration.labelValues(tenant).observe((System.nanoTime() - t0) / 1e9);
    return 1;
  }

  /** Runs one step; false when the pass should leave this tenant (closed, or shutting down). */
  private boolean step(String tenant, String name, Step step, Counter done) {
    if (stopping) {
      return false;
    }
    try {
      int n = step.run();
      if (n > 0) {
        done.labelValues(tenant).inc(n);
      }
      return true;
    } catch (IllegalStateException ex) {
      if (ex.getMessage() != null && ex.getMessage().endsWith(" is closed")) {
        return false; // closed meanwhile (idle close or shutdown): nothing left to keep
      }
      failures.labelValues(name).inc();
      LOG.log(System.Logger.Level.ERROR, "BUG: TSDB " + name + " of tenant " + tenant
          + " failed", ex);
      return false;
    } catch (RuntimeException ex) {
      failures.labelValues(name).inc();
      LOG.log(System.Logger.Level.ERROR, "TSDB " + name + " of tenant " + tenant + " failed", ex);
      return false;
    }
  }

  /** Stops the schedule; waits for a running pass to leave its current step. Idempotent. */
  @Override
  public void close() {
    stopping = true;
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "TSDB maintenance still running after "
            + STOP_WAIT_SECONDS + " s; closing the stores anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
