package dev.vigil.promql.engine;

import java.time.Duration;

/**
 * Engine limits and switches, passed in (never global).
 *
 * @param maxSamples most samples a query may hold in memory at once
 * @param timeout wall time a query may run
 * @param lookbackDeltaMillis how far back an instant selector looks for a sample
 * @param noStepSubqueryIntervalMillis subquery step when none is written (Prometheus: the global
 *     evaluation interval)
 * @param delayedNameRemoval drop {@code __name__} at the end of the query, not at each function
 *     (Prometheus 3's behaviour, what the conformance suite expects)
 */
public record EngineOptions(
    int maxSamples,
    Duration timeout,
    long lookbackDeltaMillis,
    long noStepSubqueryIntervalMillis,
    boolean delayedNameRemoval) {
  public EngineOptions {
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples must be positive: " + maxSamples);
    }
    if (lookbackDeltaMillis <= 0) {
      throw new IllegalArgumentException("lookback delta must be positive: " + lookbackDeltaMillis);
    }
    if (noStepSubqueryIntervalMillis <= 0) {
      throw new IllegalArgumentException(
          "subquery interval must be positive: " + noStepSubqueryIntervalMillis);
    }
  }

  /** Prometheus server defaults: 50M samples, 2m timeout, 5m lookback, 1m evaluation interval. */
  public static EngineOptions defaults() {
    return new EngineOptions(50_000_000, Duration.ofMinutes(2), 300_000, 60_000, true);
  }

  /** What Prometheus's promqltest runs with: 10000 samples, 100s timeout, 5m lookback, 1m. */
  public static EngineOptions forTests() {
    return new EngineOptions(10_000, Duration.ofSeconds(100), 300_000, 60_000, true);
  }

  public EngineOptions withMaxSamples(int v) {
    return new EngineOptions(v, timeout, lookbackDeltaMillis, noStepSubqueryIntervalMillis,
        delayedNameRemoval);
  }

  public EngineOptions withTimeout(Duration v) {
    return new EngineOptions(maxSamples, v, lookbackDeltaMillis, noStepSubqueryIntervalMillis,
        delayedNameRemoval);
  }

  public EngineOptions withLookbackDeltaMillis(long v) {
    return new EngineOptions(maxSamples, timeout, v, noStepSubqueryIntervalMillis,
        delayedNameRemoval);
  }

  public EngineOptions withNoStepSubqueryIntervalMillis(long v) {
    return new EngineOptions(maxSamples, timeout, lookbackDeltaMillis, v, delayedNameRemoval);
  }

  public EngineOptions withDelayedNameRemoval(boolean v) {
    return new EngineOptions(maxSamples, timeout, lookbackDeltaMillis,
        noStepSubqueryIntervalMillis, v);
  }
}
