package dev.vigil.tsdb.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.tsdb.TsdbOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests for a tenant racing with the idle closer: a request that arrives while the closer is
 * closing the tenant's database must get a freshly opened one, never "already open (lock held)"
 * from reopening a directory the old instance still holds, and no commit is lost.
 */
class TenantDatabasesIdleRaceTest {
  @TempDir
  Path dir;

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void acquiringWhileTheIdleCloserClosesNeverFailsAndLosesNothing() throws Exception {
    TenantDatabases dbs = new TenantDatabases(dir, TsdbOptions.defaults(), Clock.systemUTC());
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong committed = new AtomicLong();
    AtomicLong closes = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int worker = w;
      threads.add(Thread.ofPlatform().start(() -> {
        long t = 0;
        while (!stop.get()) {
          if (t % 4 == 0) {
            pause(); // gaps without a lease, where the closer strikes
          }
          try (TenantDatabases.Lease l = dbs.acquire("t")) {
            Appender a = l.db().appender();
            a.append(0, Labels.of("__name__", "m", "w", Integer.toString(worker)), t++, 1);
            a.commit();
            committed.incrementAndGet();
          } catch (Throwable e) {
            errors.add(e);
            return;
          }
        }
      }));
    }
    Thread closer = Thread.ofPlatform().start(() -> {
      while (!stop.get()) {
        try {
          closes.addAndGet(dbs.closeIdle(Duration.ZERO));
        } catch (Throwable e) {
          errors.add(e);
          return;
        }
      }
    });
    long deadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
    while (System.nanoTime() < deadline && errors.isEmpty()) {
      Thread.sleep(50);
    }
    stop.set(true);
    for (Thread th : threads) {
      th.join();
    }
    closer.join();
    assertThat(errors).as("errors while racing the idle closer").isEmpty();
    assertThat(committed.get()).isGreaterThan(10);
    assertThat(closes.get()).as("idle closes that raced the requests").isGreaterThan(10);
    dbs.close();
    TenantDatabases reopened = new TenantDatabases(dir, TsdbOptions.defaults(), Clock.systemUTC());
    try (TenantDatabases.Lease l = reopened.acquire("t");
        var q = l.db().querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      var set = q.select(false, dev.vigil.model.storage.SelectHints.range(0, 0),
          List.of(dev.vigil.model.labels.Matcher.equal("__name__", "m")));
      long samples = 0;
      while (set.next()) {
        var it = set.at().iterator(null);
        while (it.next() != dev.vigil.model.storage.ValueKind.NONE) {
          samples++;
        }
      }
      assertThat(samples).as("every committed sample").isEqualTo(committed.get());
    } finally {
      reopened.close();
    }
  }
}
