package dev.vigil.rules.manager;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay. The manager schedules each group's next evaluation through it, so
 * tests drive time with a fake instead of sleeping; production uses {@link #of}.
 */
@FunctionalInterface
public interface RuleScheduler {
  /** Runs {@code task} once after {@code delay} (at once if not positive). */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task; cancelling a task that has started lets it finish. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** Schedules on {@code executor}; the caller owns (and shuts down) the executor. */
  static RuleScheduler of(ScheduledExecutorService executor) {
    return (delay, task) -> {
      ScheduledFuture<?> f =
          executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
