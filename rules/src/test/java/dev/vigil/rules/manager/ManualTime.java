package dev.vigil.rules.manager;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.PriorityQueue;

/**
 * A clock and a scheduler driven by the test: {@link #advance} runs due tasks in time order,
 * setting the clock to each task's due time, so schedules are exact and nothing sleeps.
 */
public final class ManualTime implements InstantSource, RuleScheduler {
  private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>(
      (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
  private long nowNanos;
  private long seq;

  public ManualTime(Instant start) {
    nowNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(0, nowNanos);
  }

  public long nowMillis() {
    return Math.floorDiv(nowNanos, 1_000_000L);
  }

  /** Moves the clock forward while a task runs (a slow evaluation). */
  public void elapse(Duration d) {
    nowNanos += d.toNanos();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    boolean[] cancelled = {false};
    tasks.add(new Task(nowNanos + Math.max(0, delay.toNanos()), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  public void advance(Duration d) {
    long target = nowNanos + d.toNanos();
    while (!tasks.isEmpty() && tasks.peek().due <= target) {
      Task t = tasks.poll();
      if (t.cancelled[0]) {
        continue;
      }
      nowNanos = Math.max(nowNanos, t.due);
      t.run.run();
    }
    nowNanos = Math.max(nowNanos, target);
  }

  public int pending() {
    return (int) tasks.stream().filter(t -> !t.cancelled[0]).count();
  }
}
