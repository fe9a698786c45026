package dev.vigil.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.discovery.TargetGroup;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.net.http.HttpClient;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class ScrapePoolTest {
  @Test
  void syncStartsScheduledLoopsAndStopsVanishedTargets() throws Exception {
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try (TestTarget a = new TestTarget(); TestTarget b = new TestTarget()) {
      a.body = "m 1\n";
      b.body = "m 2\n";
      ScrapeConfig cfg = ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 200ms
              scrape_timeout: 200ms
              static_configs:
                - targets: [%s, %s]
                  labels: {env: test}
              relabel_configs:
                - source_labels: [__address__]
                  regex: 'nomatch'
                  action: drop
          """.formatted(a.address(), b.address())).scrapeConfigs().get(0);
      InMemoryStorage storage = new InMemoryStorage();
      try (ScrapePool pool = new ScrapePool(cfg, HttpClient.newHttpClient(), storage, InstantSource.system(), exec, 42)) {
        pool.sync(List.of(TargetGroup.fromStatic(cfg.staticConfigs().get(0), 0)));
        assertThat(pool.activeTargets()).hasSize(2);
        assertThat(pool.activeTargets().get(0).target().labels().get("env")).isEqualTo("test");
        // Wait for a successful scrape of each (the first may time out while the JVM warms up).
        waitFor(() -> !values(storage, "m", "instance", a.address()).isEmpty()
            && !values(storage, "m", "instance", b.address()).isEmpty());

        // Target b goes away: its loop stops and its series end with a staleness marker.
        pool.sync(List.of(new TargetGroup("0", List.of(Labels.of("__address__", a.address())), Labels.of("env", "test"))));
        assertThat(pool.activeTargets()).hasSize(1);
        List<Double> bValues = values(storage, "m", "instance", b.address());
        assertThat(StaleNaN.is(bValues.get(bValues.size() - 1))).isTrue();
      }
      // Closing the pool marks a's series stale too.
      List<Double> aValues = values(storage, "m", "instance", a.address());
      assertThat(StaleNaN.is(aValues.get(aValues.size() - 1))).isTrue();
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void droppedTargetsAreReported() {
    ScrapeConfig cfg = ConfigLoader.load("""
        scrape_configs:
          - job_name: j
            relabel_configs:
              - source_labels: [__address__]
                regex: 'keep.*'
                action: keep
        """).scrapeConfigs().get(0);
    try (ScrapePool pool = new ScrapePool(cfg, HttpClient.newHttpClient(), new InMemoryStorage(),
        InstantSource.system(), Executors.newSingleThreadScheduledExecutor(), 0)) {
      pool.sync(List.of(new TargetGroup("x", List.of(Labels.of("__address__", "other:1"), Labels.of("a", "b")), Labels.EMPTY)));
      assertThat(pool.activeTargets()).isEmpty();
      assertThat(pool.droppedTargets()).extracting(ScrapePool.DroppedTarget::reason).containsExactly("", "");
    }
  }

  @Test
  void overTargetLimitEveryTargetFailsWithoutARequestUntilBackUnder() throws Exception {
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try (TestTarget a = new TestTarget(); TestTarget b = new TestTarget()) {
      a.body = "m 1\n";
      b.body = "m 2\n";
      ScrapeConfig cfg = ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 1h
              target_limit: 1
              static_configs:
                - targets: [%s, %s]
          """.formatted(a.address(), b.address())).scrapeConfigs().get(0);
      InMemoryStorage storage = new InMemoryStorage();
      try (ScrapePool pool = new ScrapePool(cfg, HttpClient.newHttpClient(), storage, InstantSource.system(), exec, 42)) {
        pool.sync(List.of(TargetGroup.fromStatic(cfg.staticConfigs().get(0), 0)));
        assertThat(pool.activeTargets()).hasSize(2);
        assertThat(pool.targetLimitHit()).isTrue();
        assertThat(pool.targetLimitExceededTotal()).isEqualTo(1);
        for (ScrapeLoop l : pool.activeTargets()) {
          assertThat(l.scrapeOnce().error()).isEqualTo("target_limit exceeded (number of targets: 2, limit: 1)");
        }
        assertThat(a.requests.get() + b.requests.get()).as("no target is contacted").isZero();
        assertThat(values(storage, "up")).containsExactly(0.0, 0.0);
        assertThat(values(storage, "m")).isEmpty();

        // One target left: under the limit again, the survivor's loop scrapes normally.
        pool.sync(List.of(new TargetGroup("0", List.of(Labels.of("__address__", a.address())), Labels.EMPTY)));
        assertThat(pool.targetLimitHit()).isFalse();
        assertThat(pool.targetLimitExceededTotal()).isEqualTo(1);
        ScrapeLoop survivor = pool.activeTargets().getFirst();
        Thread.sleep(5); // a later millisecond than the failed scrape's report samples
        assertThat(survivor.scrapeOnce().error()).isEmpty();
        assertThat(a.requests.get()).isPositive();
        assertThat(values(storage, "up", "instance", a.address())).containsExactly(0.0, 1.0);
        assertThat(values(storage, "m", "instance", a.address())).containsExactly(1.0);
      }
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void scrapesOverTheSampleLimitAreCountedPerPool() throws Exception {
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    try (TestTarget a = new TestTarget()) {
      a.body = "m 1\nn 2\n";
      ScrapeConfig cfg = ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 1h
              sample_limit: 1
              static_configs:
                - targets: [%s]
          """.formatted(a.address())).scrapeConfigs().get(0);
      try (ScrapePool pool = new ScrapePool(cfg, HttpClient.newHttpClient(), new InMemoryStorage(),
          InstantSource.system(), exec, 42)) {
        pool.sync(List.of(TargetGroup.fromStatic(cfg.staticConfigs().get(0), 0)));
        assertThat(pool.sampleLimitExceededTotal()).isZero();
        ScrapeLoop loop = pool.activeTargets().getFirst();
        assertThat(loop.scrapeOnce().error()).isEqualTo("sample limit exceeded");
        assertThat(pool.sampleLimitExceededTotal()).isEqualTo(1);
        a.body = "m 1\n";
        assertThat(loop.scrapeOnce().error()).isEmpty();
        assertThat(pool.sampleLimitExceededTotal()).isEqualTo(1);
      }
    } finally {
      exec.shutdownNow();
    }
  }

  @Test
  void keepDroppedTargetsCapsTheListButNotTheCount() {
    ScrapeConfig cfg = ConfigLoader.load("""
        scrape_configs:
          - job_name: j
            keep_dropped_targets: 2
            relabel_configs:
              - source_labels: [__address__]
                regex: 'keep.*'
                action: keep
        """).scrapeConfigs().get(0);
    try (ScrapePool pool = new ScrapePool(cfg, HttpClient.newHttpClient(), new InMemoryStorage(),
        InstantSource.system(), Executors.newSingleThreadScheduledExecutor(), 0)) {
      pool.sync(List.of(new TargetGroup("x", List.of(Labels.of("__address__", "a:1"), Labels.of("__address__", "b:1"),
          Labels.of("__address__", "c:1")), Labels.EMPTY)));
      assertThat(pool.droppedTargets()).extracting(d -> d.discoveredLabels().get("__address__")).containsExactly("a:1", "b:1");
      assertThat(pool.droppedTargetCount()).isEqualTo(3);
    }
  }

  private static List<Double> values(InMemoryStorage storage, String name, String... more) {
    List<Double> out = new ArrayList<>();
    List<Matcher> ms = new ArrayList<>(List.of(Matcher.equal("__name__", name)));
    for (int i = 0; i < more.length; i += 2) {
      ms.add(Matcher.equal(more[i], more[i + 1]));
    }
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), ms);
      while (ss.next()) {
        SampleIterator it = ss.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          out.add(it.atF());
        }
      }
    }
    return out;
  }

  private static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met in 5s");
      }
      Thread.sleep(20);
    }
  }
}
