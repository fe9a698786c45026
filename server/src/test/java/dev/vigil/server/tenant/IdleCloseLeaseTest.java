package dev.vigil.server.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.Tsdb;
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
 * Pushes, queries and the idle closer racing on one tenant: an appender or querier keeps its
 * store open until it is done, a use after an idle close reopens the store, and nothing that was
 * committed is lost. Before leases, a request that fetched the store as the closer closed it
 * failed (a closed database, or "already open" when reopening too early).
 */
class IdleCloseLeaseTest {
  @TempDir
  Path dir;

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long count(Storage s) {
    long n = 0;
    try (Querier q = s.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(false, SelectHints.range(0, 0),
          List.of(Matcher.equal("__name__", "m")));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          n++;
        }
      }
    }
    return n;
  }

  @Test
  void requestsRacingTheIdleCloserNeverFailAndLoseNothing() throws Exception {
    DirectoryTenantStorages storages = new DirectoryTenantStorages(dir,
        (tenant, d) -> Tsdb.open(d, TsdbOptions.defaults()), Clock.systemUTC());
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong committed = new AtomicLong();
    AtomicLong closes = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      String worker = Integer.toString(w);
      threads.add(Thread.ofPlatform().start(() -> {
        long t = 0;
        while (!stop.get()) {
          try {
            Storage s = storages.forWrite("t");
            if (t % 4 == 0) {
              pause(); // the store may be closed between forWrite and appender()
            }
            Appender a = s.appender();
            a.append(0, Labels.of("__name__", "m", "w", worker), t++, 1);
            if (t % 7 == 0) {
              pause(); // a lease held across the closer's pass
            }
            a.commit();
            committed.incrementAndGet();
            if (t % 5 == 0) {
              assertThat(count(storages.forRead("t").orElseThrow())).isPositive();
            }
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
          closes.addAndGet(storages.closeIdle(Duration.ZERO));
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
    assertThat(closes.get()).as("idle closes that raced the requests").isGreaterThan(10);
    assertThat(count(storages.forRead("t").orElseThrow())).isEqualTo(committed.get());
    storages.close();
    assertThat(storages.openStores()).isEmpty();
  }
}
