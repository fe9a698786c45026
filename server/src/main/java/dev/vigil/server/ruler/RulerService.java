package dev.vigil.server.ruler;

import dev.vigil.model.labels.Labels;
import dev.vigil.promql.engine.Engine;
import dev.vigil.rules.eval.EngineRuleQuery;
import dev.vigil.rules.eval.PromqlExprValidator;
import dev.vigil.rules.eval.RuleEvalOptions;
import dev.vigil.rules.file.RuleFileLoader;
import dev.vigil.rules.manager.RuleManagerOptions;
import dev.vigil.rules.manager.RuleScheduler;
import dev.vigil.rules.notify.AlertSender;
import dev.vigil.rules.notify.AlertmanagerNotifier;
import dev.vigil.rules.notify.AlertmanagerNotifierOptions;
import dev.vigil.rules.ruler.Ruler;
import dev.vigil.rules.store.RuleStore;
import dev.vigil.server.limits.LimitsProvider;
import dev.vigil.server.tenant.TenantStorages;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ruler of one server: rule groups per tenant in {@code <data-dir>/rules/} (the rules
 * module's {@link RuleStore}), one rule manager per tenant with groups (its {@link Ruler}),
 * evaluating through the server's engine against the tenant's store and writing recording-rule
 * results and {@code ALERTS} back into it, alerts to the configured Alertmanagers. Every tenant
 * is re-synced from disk each poll interval; API writes sync their tenant at once.
 */
public final class RulerService implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(RulerService.class.getName());

  private final RuleStore store;
  private final Ruler ruler;
  private final AlertmanagerNotifier notifier;
  private final ScheduledExecutorService executor;

  private RulerService(Path dataDir, TenantStorages storages, LimitsProvider limits,
      Engine engine, RulerOptions options, String threadName) {
    store = new RuleStore(dataDir.resolve("rules"),
        new RuleFileLoader(PromqlExprValidator.allFeatures()));
    AtomicInteger n = new AtomicInteger();
    executor = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    if (options.alertmanagers().isEmpty()) {
      notifier = null;
    } else {
      notifier = new AlertmanagerNotifier(AlertmanagerNotifierOptions.defaults(
          options.alertmanagers(), Labels.EMPTY));
      notifier.start();
    }
    AlertSender sender = notifier == null ? AlertSender.NONE : notifier;
    RuleEvalOptions eval = options.externalUrl() == null ? RuleEvalOptions.defaults()
        : RuleEvalOptions.defaults().withExternal(Labels.EMPTY, options.externalUrl());
    RuleScheduler scheduler = RuleScheduler.of(executor);
    ruler = new Ruler(store, tenant -> {
      TenantStorage storage = new TenantStorage(storages, tenant, limits);
      return RuleManagerOptions.builder()
          .clock(InstantSource.system())
          .scheduler(scheduler)
          .query(new EngineRuleQuery(engine, storage))
          .storage(storage)
          .alertSender(sender)
          .evalOptions(eval)
          .defaultInterval(options.evaluationInterval())
          .build();
    });
  }

  /** Loads every tenant's groups, starts their managers and the periodic re-sync. */
  public static RulerService start(Path dataDir, TenantStorages storages, LimitsProvider limits,
      Engine engine, RulerOptions options, String threadName) {
    RulerService s = new RulerService(dataDir, storages, limits, engine, options, threadName);
    s.syncQuietly();
    long every = options.pollInterval().toMillis();
    s.executor.scheduleWithFixedDelay(s::syncQuietly, every, every, TimeUnit.MILLISECONDS);
    return s;
  }

  private void syncQuietly() {
    try {
      ruler.sync();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "syncing rule groups failed", e);
    }
  }

  /** The managers' metrics ({@code user} label added) and the notifier's, for /metrics. */
  public java.util.List<dev.vigil.rules.metrics.MetricSample> samples() {
    java.util.List<dev.vigil.rules.metrics.MetricSample> out =
        new java.util.ArrayList<>(ruler.collect());
    if (notifier != null) {
      out.addAll(notifier.collect());
    }
    return out;
  }

  public RuleStore store() {
    return store;
  }

  public Ruler ruler() {
    return ruler;
  }

  /** Stops evaluation (running evaluations finish), the notifier, and the threads. */
  @Override
  public void close() {
    try {
      ruler.close();
    } finally {
      if (notifier != null) {
        notifier.close();
      }
      executor.shutdownNow();
    }
  }
}
