package dev.vigil.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.remote.ValidationLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IngestionRateLimiterTest {
  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    long millis;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void burstThenRatePerTenant() {
    ManualClock clock = new ManualClock();
    IngestionRateLimiter l = new IngestionRateLimiter(clock);
    TenantLimits lim = new TenantLimits(100, 1000, ValidationLimits.MIMIR_DEFAULTS);
    assertThat(l.tryTake("a", 1000, lim)).isZero();
    assertThat(l.tryTake("a", 1, lim)).isEqualTo(1);
    assertThat(l.tryTake("b", 500, lim)).isZero(); // tenants have their own buckets
    clock.millis += 2_000;
    assertThat(l.tryTake("a", 200, lim)).isZero();
    assertThat(l.tryTake("a", 300, lim)).isEqualTo(3);
    assertThat(l.tryTake("a", 5000, lim)).isPositive(); // larger than the burst: never
  }

  @Test
  void zeroRateDisables() {
    IngestionRateLimiter l = new IngestionRateLimiter(Clock.systemUTC());
    assertThat(l.tryTake("a", Long.MAX_VALUE,
        new TenantLimits(0, 0, ValidationLimits.MIMIR_DEFAULTS))).isZero();
  }
}
