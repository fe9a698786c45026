package dev.vigil.tsdb;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Which queriers may still read head data that a block cut is about to drop. A querier joins
 * the current generation when it opens and leaves it when it closes. A cut, once its block is
 * queryable and new queriers read the head only from the cut's end, starts a new generation and
 * waits for the older one's queriers to close before the head is truncated (as Prometheus's
 * {@code WaitForPendingReadersInTimeRange}): a querier opened before the cut may select after
 * it and still finds every sample, in the head or in the block. Thread-safe.
 */
final class HeadReaders {
  /** The queriers that opened while this generation was current and are still open. */
  static final class Generation {
    private final AtomicInteger open = new AtomicInteger();

    void leave() {
      open.decrementAndGet();
    }
  }

  private volatile Generation current = new Generation();

  /** Joins the current generation; {@link Generation#leave} exactly once when done. */
  Generation enter() {
    while (true) {
      Generation g = current;
      g.open.incrementAndGet();
      if (g == current) {
        return g; // a cut that replaces g from now on waits for us
      }
      g.leave(); // a cut replaced g meanwhile and may have seen no reader: join the new one
    }
  }

  /**
   * Starts a new generation and waits until every querier of the previous one has closed, at
   * most {@code timeoutNanos}; returns how many were still open then (0 normally).
   */
  int startGenerationAndAwaitPrevious(long timeoutNanos) {
    Generation previous = current;
    current = new Generation();
    long start = System.nanoTime();
    int open;
    while ((open = previous.open.get()) > 0) {
      if (System.nanoTime() - start > timeoutNanos) {
        return open;
      }
      LockSupport.parkNanos(1_000_000);
    }
    return 0;
  }
}
