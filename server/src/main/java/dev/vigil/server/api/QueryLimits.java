package dev.vigil.server.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The tenant's limits for one query. Zero values mean "the server's default" for samples and
 * timeout (the engine's flags) and "no limit" for the total query length.
 *
 * @param maxSamples samples the engine may hold at once
 * @param timeout how long evaluation may take
 * @param maxTotalQueryLength longest {@code end - start} of a range query (Mimir's
 *     {@code max_total_query_length})
 */
public record QueryLimits(int maxSamples, Duration timeout, Duration maxTotalQueryLength) {
  public static final QueryLimits DEFAULTS = new QueryLimits(0, Duration.ZERO, Duration.ZERO);

  public QueryLimits {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(maxTotalQueryLength, "maxTotalQueryLength");
  }

  /** The strictest of two (for federated queries over several tenants). */
  public QueryLimits strictest(QueryLimits o) {
    return new QueryLimits(minNonZero(maxSamples, o.maxSamples),
        Duration.ofMillis(minNonZero(timeout.toMillis(), o.timeout.toMillis())),
        Duration.ofMillis(minNonZero(maxTotalQueryLength.toMillis(),
            o.maxTotalQueryLength.toMillis())));
  }

  private static int minNonZero(int a, int b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }

  private static long minNonZero(long a, long b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }
}
