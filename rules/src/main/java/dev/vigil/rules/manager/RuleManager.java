package dev.vigil.rules.manager;

import dev.vigil.rules.eval.RuleGroupEvaluator;
import dev.vigil.rules.file.Position;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.file.RuleFile;
import dev.vigil.rules.file.RuleGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the rule groups of one ruler tenant on their intervals (Prometheus's {@code
 * rules.Manager}). {@link #update} replaces the whole set atomically: unchanged groups keep
 * running untouched, changed groups are restarted with the alert state and series of their
 * unchanged rules, removed groups stop and their series are marked stale two intervals later.
 * Thread-safe.
 */
public final class RuleManager implements AutoCloseable {
  private final RuleManagerOptions opts;
  private final Object lock = new Object();
  private Map<GroupKey, GroupRunner> groups = Map.of();
  private final Set<RuleScheduler.Cancellable> staleMarkings = new HashSet<>();
  private boolean updated;
  private boolean closed;

  public RuleManager(RuleManagerOptions options) {
    this.opts = options;
  }

  public RuleManagerOptions options() {
    return opts;
  }

  public RuleManagerMetrics metrics() {
    return opts.metrics();
  }

  /**
   * Makes {@code files} the complete set of groups; a group is keyed by its file's {@link
   * RuleFile#path()} (the namespace, for the ruler) and its name.
   *
   * @throws IllegalArgumentException when one file has two groups of the same name or a group
   *     has a non-positive interval; nothing is changed then
   * @throws IllegalStateException after {@link #close()}
   */
  public void update(List<RuleFile> files) {
    Map<GroupKey, RuleGroup> wanted = new LinkedHashMap<>();
    for (RuleFile f : files) {
      for (RuleGroup g : f.groups()) {
        if (wanted.put(new GroupKey(f.path(), g.name()), g) != null) {
          throw new IllegalArgumentException(
              f.path() + ": groupname: \"" + g.name() + "\" is repeated in the same file");
        }
        if (g.interval() != null && (g.interval().isZero() || g.interval().isNegative())) {
          throw new IllegalArgumentException(
              f.path() + ": group \"" + g.name() + "\": interval must be positive");
        }
      }
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("rule manager is closed");
      }
      boolean restore = opts.restoreOnStart() && !updated;
      Map<GroupKey, GroupRunner> next = new TreeMap<>();
      List<GroupRunner> toStart = new ArrayList<>();
      for (Map.Entry<GroupKey, RuleGroup> e : wanted.entrySet()) {
        GroupKey key = e.getKey();
        RuleGroup g = e.getValue();
        Duration interval = g.interval() == null ? opts.defaultInterval() : g.interval();
        GroupRunner old = groups.get(key);
        if (old != null && old.interval.equals(interval)
            && sameDefinition(old.evaluator.group(), g)) {
          next.put(key, old); // unchanged: keeps running in its slot, no restart
          continue;
        }
        GroupRunner fresh = new GroupRunner(key,
            new RuleGroupEvaluator(g, opts.evalOptions()), interval, restore, opts);
        if (old != null) {
          old.stop();
          fresh.copyStateFrom(old);
        }
        next.put(key, fresh);
        toStart.add(fresh);
      }
      for (Map.Entry<GroupKey, GroupRunner> e : groups.entrySet()) {
        if (!next.containsKey(e.getKey())) {
          retire(e.getValue());
        }
      }
      groups = next;
      updated = true;
      toStart.forEach(GroupRunner::start);
    }
  }

  /** Stops a removed group and marks its series stale two intervals later, as Prometheus. */
  private void retire(GroupRunner r) {
    r.stop();
    opts.metrics().remove(r.key);
    long stoppedAt = opts.clock().millis();
    RuleScheduler.Cancellable[] self = new RuleScheduler.Cancellable[1];
    self[0] = opts.scheduler().schedule(r.interval.multipliedBy(2), () -> {
      synchronized (lock) {
        staleMarkings.remove(self[0]);
        if (closed) {
          return;
        }
      }
      r.evaluator.markAllStale(stoppedAt, opts.appendable());
    });
    staleMarkings.add(self[0]);
  }

  /** Every group, ordered by file then name. */
  public List<GroupStatus> groups() {
    List<GroupRunner> runners;
    synchronized (lock) {
      runners = List.copyOf(groups.values());
    }
    return runners.stream().map(GroupRunner::status).toList();
  }

  public Optional<GroupStatus> group(GroupKey key) {
    GroupRunner r;
    synchronized (lock) {
      r = groups.get(key);
    }
    return Optional.ofNullable(r).map(GroupRunner::status);
  }

  /**
   * Stops every group (waiting for running evaluations) without marking series stale, as a
   * shutting-down Prometheus does. Idempotent.
   */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      groups.values().forEach(GroupRunner::stop);
      staleMarkings.forEach(RuleScheduler.Cancellable::cancel);
      staleMarkings.clear();
      groups = Map.of();
    }
  }

  /** Groups are equal when everything but source positions is (Prometheus's Group.Equals). */
  static boolean sameDefinition(RuleGroup a, RuleGroup b) {
    return a.name().equals(b.name())
        && java.util.Objects.equals(a.interval(), b.interval())
        && java.util.Objects.equals(a.queryOffset(), b.queryOffset())
        && a.limit() == b.limit()
        && a.labels().equals(b.labels())
        && a.rules().stream().map(RuleManager::withoutPosition).toList()
            .equals(b.rules().stream().map(RuleManager::withoutPosition).toList());
  }

  private static Rule withoutPosition(Rule r) {
    return switch (r) {
      case Rule.RecordingRule rr ->
          new Rule.RecordingRule(rr.name(), rr.expr(), rr.labels(), Position.NONE);
      case Rule.AlertingRule ar -> new Rule.AlertingRule(ar.name(), ar.expr(), ar.holdDuration(),
          ar.keepFiringFor(), ar.labels(), ar.annotations(), Position.NONE);
    };
  }
}
