package dev.vigil.server.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mimir's per-tenant ingestion rate limit ({@code ingestion_rate}, {@code ingestion_burst_size}):
 * a token bucket per tenant holding up to the burst and refilled at the rate. A request takes
 * all its samples or none; a request larger than the burst can never pass (as with Go's
 * {@code rate.AllowN}). Limits come with each call, so runtime overrides apply at once.
 * Thread-safe.
 */
public final class IngestionRateLimiter {
  private final Clock clock;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public IngestionRateLimiter(Clock clock) {
    this.clock = clock;
  }

  /**
   * Takes {@code n} samples from the tenant's bucket under {@code limits}.
   *
   * @return 0 when allowed (or unlimited), else the whole seconds after which the same request
   *     could pass (for {@code Retry-After}), at least 1
   */
  public long tryTake(String tenant, long n, TenantLimits limits) {
    double rate = limits.ingestionRate();
    long burst = limits.ingestionBurstSize();
    if (rate <= 0 || n <= 0) {
      return 0;
    }
    Bucket b = buckets.computeIfAbsent(tenant, t -> new Bucket(burst, clock.millis()));
    synchronized (b) {
      long now = clock.millis();
      b.tokens = Math.min(burst, b.tokens + Math.max(0, now - b.lastMillis) * rate / 1000.0);
      b.lastMillis = Math.max(b.lastMillis, now);
      if (n <= b.tokens) {
        b.tokens -= n;
        return 0;
      }
      double missing = Math.min(n, burst) - b.tokens;
      return Math.max(1, (long) Math.ceil(missing / rate));
    }
  }

  private static final class Bucket {
    double tokens;
    long lastMillis;

    Bucket(double tokens, long lastMillis) {
      this.tokens = tokens;
      this.lastMillis = lastMillis;
    }
  }
}
