package dev.vigil.rules.manager;

import dev.vigil.rules.eval.Alert;
import dev.vigil.rules.eval.EvaluationSummary;
import dev.vigil.rules.eval.RuleGroupEvaluator;
import dev.vigil.rules.file.Rule;
import dev.vigil.rules.notify.NotifierAlert;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs one group on its slots (Prometheus's {@code Group.run}): the first evaluation at the slot
 * after start, then one per interval; when an evaluation overruns, the slots that passed are
 * counted as missed and the next evaluation takes the latest slot. With {@code restore}, the
 * {@code for} state is restored after the second evaluation (the first may lack fresh data).
 * Evaluations, status reads and {@link #stop()} are serialised by one lock.
 */
final class GroupRunner {
  private static final System.Logger LOG = System.getLogger(GroupRunner.class.getName());

  final GroupKey key;
  final RuleGroupEvaluator evaluator;
  final Duration interval;
  private final long intervalNanos;
  private final long hash;
  private final RuleManagerOptions opts;
  private final RuleManagerMetrics.Group metrics;
  private final Object lock = new Object();
  private boolean stopped;
  private boolean started;
  private boolean shouldRestore;
  private int evaluations;
  private long slotNanos; // evaluation timestamp of the last (or, before it, the first) run
  private RuleScheduler.@Nullable Cancellable next;
  private @Nullable Instant lastEvaluation;
  private Duration evaluationTime = Duration.ZERO;

  GroupRunner(GroupKey key, RuleGroupEvaluator evaluator, Duration interval, boolean restore,
      RuleManagerOptions opts) {
    this.key = key;
    this.evaluator = evaluator;
    this.interval = interval;
    this.intervalNanos = interval.toNanos();
    this.hash = EvalSlots.groupHash(key.file(), key.name());
    this.opts = opts;
    this.shouldRestore = restore;
    this.metrics = opts.metrics().group(key);
    metrics.intervalSeconds = intervalNanos / 1e9;
    metrics.rules = evaluator.group().rules().size();
    if (restore) {
      evaluator.setRestored(false);
    }
  }

  void start() {
    synchronized (lock) {
      long now = nanos(opts.clock().instant());
      slotNanos = EvalSlots.evalTimestampNanos(hash, intervalNanos, now) + intervalNanos;
      scheduleAt(slotNanos, now);
    }
  }

  /** Stops scheduling; waits for a running evaluation to end. Idempotent. */
  void stop() {
    synchronized (lock) {
      stopped = true;
      if (next != null) {
        next.cancel();
      }
    }
  }

  /** Takes over alerts and series of the group this one replaces; call before {@link #start}. */
  void copyStateFrom(GroupRunner old) {
    synchronized (old.lock) {
      evaluator.copyStateFrom(old.evaluator);
      lastEvaluation = old.lastEvaluation;
      evaluationTime = old.evaluationTime;
    }
  }

  GroupStatus status() {
    synchronized (lock) {
      return new GroupStatus(key, evaluator.group(), interval,
          Duration.ofMillis(evaluator.queryOffsetMillis()), lastEvaluation, evaluationTime,
          evaluator.status());
    }
  }

  private void scheduleAt(long slot, long now) {
    next = opts.scheduler().schedule(Duration.ofNanos(slot - now), this::tick);
  }

  private void tick() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      Instant start = opts.clock().instant();
      long now = nanos(start);
      if (started) {
        // Slots that passed while the previous evaluation ran are missed, not caught up.
        long missed = (now - slotNanos) / intervalNanos - 1;
        if (missed > 0) {
          metrics.iterationsMissed.addAndGet(missed);
          metrics.iterations.addAndGet(missed);
        } else {
          missed = 0;
        }
        slotNanos += (missed + 1) * intervalNanos;
      }
      started = true;
      try {
        iterate(start);
        if (shouldRestore && ++evaluations == 2) {
          restore();
        }
      } catch (RuntimeException e) {
        // A broken store must not end the group's schedule; the next slot tries again.
        LOG.log(System.Logger.Level.WARNING, "rule group " + key + ": evaluation failed", e);
      } finally {
        scheduleAt(slotNanos + intervalNanos, nanos(opts.clock().instant()));
      }
    }
  }

  private void iterate(Instant start) {
    metrics.iterations.incrementAndGet();
    long ts = Math.floorDiv(slotNanos, 1_000_000L);
    long resendDelay = opts.resendDelay().toMillis();
    long validUntil = ts + 4 * Math.max(resendDelay, interval.toMillis());
    List<NotifierAlert> toSend = new ArrayList<>();
    EvaluationSummary s = evaluator.evaluate(ts, opts.query(), opts.appendable(),
        (rule, alerts) -> convert(rule, alerts, validUntil, toSend), resendDelay);
    if (!toSend.isEmpty()) {
      opts.alertSender().send(toSend);
    }
    Instant end = opts.clock().instant();
    evaluationTime = Duration.between(start, end);
    lastEvaluation = start;
    metrics.evaluations.addAndGet(s.rules());
    metrics.failures.addAndGet(s.failures());
    metrics.lastSamples = s.samples();
    metrics.lastDurationSeconds = evaluationTime.toNanos() / 1e9;
    metrics.lastEvaluationSeconds = nanos(start) / 1e9;
  }

  private void restore() {
    Instant start = opts.clock().instant();
    try {
      evaluator.restoreForState(opts.queryable(), start.toEpochMilli(),
          opts.outageTolerance().toMillis(), opts.forGracePeriod().toMillis());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "rule group " + key + ": restoring 'for' state failed",
          e);
    } finally {
      shouldRestore = false;
      metrics.lastRestoreDurationSeconds =
          Duration.between(start, opts.clock().instant()).toNanos() / 1e9;
    }
  }

  /** Prometheus's {@code sendAlerts} in cmd/prometheus: startsAt is the firing time. */
  private void convert(Rule.AlertingRule rule, List<Alert> alerts, long validUntil,
      List<NotifierAlert> out) {
    String url = opts.evalOptions().externalUrl().toString() + tableLink(rule.expr());
    for (Alert a : alerts) {
      long endsAt = a.resolvedAt() != 0 ? a.resolvedAt() : validUntil;
      out.add(new NotifierAlert(a.labels(), a.annotations(), Instant.ofEpochMilli(a.firedAt()),
          Instant.ofEpochMilli(endsAt), url));
    }
  }

  /** Prometheus's {@code strutil.TableLinkForExpression}, escaping as Go's QueryEscape. */
  static String tableLink(String expr) {
    String q = URLEncoder.encode(expr, StandardCharsets.UTF_8)
        .replace("*", "%2A").replace("%7E", "~");
    return "/graph?g0.expr=" + q + "&g0.tab=1";
  }

  private static long nanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }
}
