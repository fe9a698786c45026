package dev.vigil.tsdb.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.tsdb.TsdbOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantDatabasesTest {
  @TempDir
  Path dir;

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    long millis;

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
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

  private static void write(TenantDatabases dbs, String tenant, double v) {
    try (TenantDatabases.Lease l = dbs.acquire(tenant)) {
      Appender a = l.db().appender();
      a.append(0, Labels.of("__name__", "m"), (long) v, v);
      a.commit();
    }
  }

  private static List<String> values(TenantDatabases dbs, String tenant) {
    try (TenantDatabases.Lease l = dbs.acquire(tenant);
        Querier q = l.db().querier(0, Long.MAX_VALUE)) {
      return q.labelValues("__name__", List.of(Matcher.equal("__name__", "m")));
    }
  }

  @Test
  void tenantsAreIsolatedOpenedLazilyAndClosedWhenIdle() {
    TestClock clock = new TestClock();
    try (TenantDatabases dbs = new TenantDatabases(dir, TsdbOptions.defaults(), clock)) {
      assertThat(dbs.openCount()).isZero();
      write(dbs, "team-a", 1);
      write(dbs, "team_b", 2);
      assertThat(dbs.tenants()).containsExactly("team-a", "team_b");
      assertThat(Files.isDirectory(dir.resolve("tenants/team-a/wal"))).isTrue();
      assertThat(values(dbs, "other")).isEmpty();
      assertThat(values(dbs, "team-a")).containsExactly("m");

      TenantDatabases.Lease held = dbs.acquire("team-a");
      clock.millis += 60_000;
      assertThat(dbs.closeIdle(Duration.ofSeconds(30))).as("team_b and other").isEqualTo(2);
      assertThat(dbs.openCount()).isEqualTo(1);
      held.close();
      assertThat(dbs.closeIdle(Duration.ofSeconds(30))).as("just released").isZero();
      clock.millis += 60_000;
      assertThat(dbs.closeIdle(Duration.ofSeconds(30))).isEqualTo(1);
      // Reopened on demand with its data replayed from the WAL.
      assertThat(values(dbs, "team_b")).containsExactly("m");
    }
  }

  @Test
  void rejectsTenantIdsThatCouldEscapeTheDataDirectory() {
    for (String bad : new String[] {"", ".", "..", "a/b", "../x", "a\\b", "x".repeat(151), "é"}) {
      assertThatThrownBy(() -> TenantDatabases.validateTenant(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid tenant id");
    }
    TenantDatabases.validateTenant("Team.A-1_(prod)*!'");
  }
}
