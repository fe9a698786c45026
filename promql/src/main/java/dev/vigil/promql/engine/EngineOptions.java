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
 * @param useStartTimestamps let rate, irate, increase and resets read the samples' start
 *     timestamps (resets at ST, a zero sample at ST instead of extrapolating) and let
 *     start_timestamp() return them; Prometheus's {@code UseStartTimestamps}, off by default
 *     there and on in promqltest
 */
public record EngineOptions(
    int maxSamples,
    Duration timeout,
    long lookbackDeltaMillis,
    long noStepSubqueryIntervalMillis,
    boolean delayedNameRemoval,
    boolean useStartTimestamps) {
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

  /** Options without start timestamps (the form before they existed). */
  public EngineOptions(int maxSamples, Duration timeout, long lookbackDeltaMillis,
      long noStepSubqueryIntervalMillis, boolean delayedNameRemoval) {
    this(maxSamples, timeout, lookbackDeltaMillis, noStepSubqueryIntervalMillis,
        delayedNameRemoval, false);
  }

  /**
   * Prometheus server defaults: 50M samples, 2m timeout, 5m lookback, 1m evaluation interval,
   * start timestamps not used.
   */
  public static EngineOptions defaults() {
    return new EngineOptions(50_000_000, Duration.ofMinutes(2), 300_000, 60_000, true);
  }

  /**
   * What Prometheus's promqltest runs with: 10000 samples, 100s timeout, 5m lookback, 1m,
   * start timestamps used.
   */
  public static EngineOptions forTests() {
    return new EngineOptions(10_000, Duration.ofSeconds(100), 300_000, 60_000, true, true);
  }

  public EngineOptions withMaxSamples(int v) {
    return new EngineOptions(v, timeout, lookbackDeltaMillis, noStepSubqueryIntervalMillis,
        delayedNameRemoval, useStartTimestamps);
  }

  public EngineOptions withTimeout(Duration v) {
    return new EngineOptions(maxSamples, v, lookbackDeltaMillis, noStepSubqueryIntervalMillis,
        delayedNameRemoval, useStartTimestamps);
  }

  public EngineOptions withLookbackDeltaMillis(long v) {
    return new EngineOptions(maxSamples, timeout, v, noStepSubqueryIntervalMillis,
        delayedNameRemoval, useStartTimestamps);
  }

  public EngineOptions withNoStepSubqueryIntervalMillis(long v) {
    return new EngineOptions(maxSamples, timeout, lookbackDeltaMillis, v, delayedNameRemoval,
        useStartTimestamps);
  }

  public EngineOptions withDelayedNameRemoval(boolean v) {
    return new EngineOptions(maxSamples, timeout, lookbackDeltaMillis,
        noStepSubqueryIntervalMillis, v, useStartTimestamps);
  }

  public EngineOptions withUseStartTimestamps(boolean v) {
    return new EngineOptions(maxSamples, timeout, lookbackDeltaMillis,
        noStepSubqueryIntervalMillis, delayedNameRemoval, v);
  }
}
