package dev.vigil.collector.manager;

import static dev.vigil.collector.manager.StoredSamples.samples;
import static dev.vigil.collector.manager.StoredSamples.values;
import static dev.vigil.collector.manager.StoredSamples.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.manager.StoredSamples.Sample;
import dev.vigil.collector.scrape.ScrapeLoop;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reloading a changed job in place (Prometheus's {@code scrapePool.reload}): surviving targets
 * keep their loop, their series continue without staleness markers or gaps, and only series
 * and targets that really go away are marked stale.
 */
class ScrapeReloadTest {
  private static final long INTERVAL_MS = 400;

  @TempDir Path dir;

  private ScrapeManager manager(InMemoryStorage storage) {
    return new ScrapeManager(storage, ManagerOptions.defaults(dir).withOffsetSeed(11));
  }

  private static String job(String extra, String target) {
    return job("400ms", "400ms", extra, target);
  }

  private static String job(String interval, String timeout, String extra, String target) {
    return """
        scrape_configs:
          - job_name: j
            scrape_interval: %s
            scrape_timeout: %s
            static_configs: [{targets: ['%s']}]
        %s""".formatted(interval, timeout, target, extra.indent(4));
  }

  /** Scrapes taken since {@code n} samples were stored (waits for them). */
  private static void waitForMoreScrapes(InMemoryStorage storage, String address, int more) throws InterruptedException {
    int before = values(storage, "up", "instance", address).size();
    waitFor(more + " more scrapes", () -> values(storage, "up", "instance", address).size() >= before + more);
  }

  private static void assertContinuous(List<Sample> s) {
    assertThat(s).extracting(Sample::v).noneMatch(StaleNaN::is);
    for (int i = 1; i < s.size(); i++) {
      // A restarted loop would leave a staleness marker and start again at its offset; a kept
      // loop keeps its fixed-rate schedule (2x the interval allows for a loaded machine).
      assertThat(s.get(i).t() - s.get(i - 1).t()).as("gap before sample %d of %s", i, s).isLessThan(2 * INTERVAL_MS);
    }
  }

  @Test
  void changedTimeoutLimitsAndMetricRelabellingKeepTheLoopAndItsSeries() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter e = new Exporter("a 1\nb 2\nc 3\n"); ScrapeManager m = manager(storage)) {
      String addr = e.address();
      m.apply(ConfigLoader.load(job("sample_limit: 10", addr)));
      waitForMoreScrapes(storage, addr, 3);
      ScrapeLoop loop = m.pool("j").activeTargets().getFirst();
      assertThat(e.lastTimeoutHeader).isEqualTo("0.4");

      m.apply(ConfigLoader.load(job("400ms", "300ms", """
          sample_limit: 5
          metric_relabel_configs:
            - source_labels: [__name__]
              regex: c
              action: drop
          """, addr)));
      assertThat(m.pool("j").activeTargets()).containsExactly(loop);
      assertThat(loop.target().timeout().toMillis()).isEqualTo(300);
      assertThat(loop.config().sampleLimit()).isEqualTo(5);
      waitForMoreScrapes(storage, addr, 3);
      assertThat(e.lastTimeoutHeader).isEqualTo("0.3");

      assertContinuous(samples(storage, "a", "instance", addr));
      assertContinuous(samples(storage, "b", "instance", addr));
      assertContinuous(samples(storage, "up", "instance", addr));
      assertThat(values(storage, "up", "instance", addr)).containsOnly(1.0);
      // The series the new rule drops ends with exactly one staleness marker and no more samples.
      List<Double> c = values(storage, "c", "instance", addr);
      assertThat(StaleNaN.is(c.getLast())).isTrue();
      assertThat(c.stream().filter(StaleNaN::is).count()).isEqualTo(1);
      int cCount = c.size();
      waitForMoreScrapes(storage, addr, 2);
      assertThat(values(storage, "c", "instance", addr)).hasSize(cCount);
    }
  }

  @Test
  void aLoweredSampleLimitAppliesFromTheNextScrape() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter e = new Exporter("a 1\nb 2\n"); ScrapeManager m = manager(storage)) {
      String addr = e.address();
      m.apply(ConfigLoader.load(job("", addr)));
      waitForMoreScrapes(storage, addr, 2);
      m.apply(ConfigLoader.load(job("sample_limit: 1", addr)));
      waitFor("a scrape refused for sample_limit", () -> values(storage, "up", "instance", addr).getLast() == 0.0);
      // The refused scrape's series go stale, as any failed scrape's.
      assertThat(StaleNaN.is(values(storage, "a", "instance", addr).getLast())).isTrue();
      assertThat(m.pools().getFirst().exceededSampleLimitTotal()).isPositive();
    }
  }

  @Test
  void aChangedIntervalReschedulesTheKeptLoop() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter e = new Exporter("a 1\n"); ScrapeManager m = manager(storage)) {
      String addr = e.address();
      m.apply(ConfigLoader.load(job("", addr)));
      waitForMoreScrapes(storage, addr, 2);
      ScrapeLoop loop = m.pool("j").activeTargets().getFirst();
      m.apply(ConfigLoader.load(job("200ms", "200ms", "", addr)));
      assertThat(m.pool("j").activeTargets()).containsExactly(loop);
      assertThat(loop.target().interval().toMillis()).isEqualTo(200);
      int before = samples(storage, "a", "instance", addr).size();
      waitForMoreScrapes(storage, addr, 6);
      List<Sample> after = samples(storage, "a", "instance", addr);
      assertThat(after).extracting(Sample::v).noneMatch(StaleNaN::is);
      List<Sample> fresh = after.subList(before + 1, after.size());
      long span = fresh.getLast().t() - fresh.getFirst().t();
      // Five or more steps of 200 ms, not of 400 ms.
      assertThat(span / (fresh.size() - 1)).isLessThan(340);
    }
  }

  @Test
  void changedHttpSettingsAndTargetsKeepSurvivorsAndMarkOnlyTheRemovedTarget() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter a = new Exporter("m 1\n"); Exporter b = new Exporter("m 2\n"); ScrapeManager m = manager(storage)) {
      String both = """
          scrape_configs:
            - job_name: j
              scrape_interval: 400ms
              scrape_timeout: 400ms
              static_configs: [{targets: ['%s', '%s']}]
          """.formatted(a.address(), b.address());
      m.apply(ConfigLoader.load(both));
      waitForMoreScrapes(storage, a.address(), 2);
      waitForMoreScrapes(storage, b.address(), 1);
      ScrapeLoop loopA = m.pool("j").activeTargets().stream()
          .filter(l -> l.target().labels().get("instance").equals(a.address())).findFirst().orElseThrow();

      m.apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 400ms
              scrape_timeout: 400ms
              authorization: {credentials: s3cret}
              static_configs: [{targets: ['%s']}]
          """.formatted(a.address())));
      assertThat(m.pool("j").activeTargets()).containsExactly(loopA);
      waitFor("the new client's credentials", () -> "Bearer s3cret".equals(a.lastAuthorization));
      waitForMoreScrapes(storage, a.address(), 2);
      assertContinuous(samples(storage, "m", "instance", a.address()));
      assertContinuous(samples(storage, "up", "instance", a.address()));
      assertThat(StaleNaN.is(values(storage, "m", "instance", b.address()).getLast())).isTrue();
      assertThat(StaleNaN.is(values(storage, "up", "instance", b.address()).getLast())).isTrue();
    }
  }

  @Test
  void relabellingThatChangesTargetLabelsReplacesTheTarget() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter e = new Exporter("m 1\n"); ScrapeManager m = manager(storage)) {
      String addr = e.address();
      m.apply(ConfigLoader.load(job("", addr)));
      waitForMoreScrapes(storage, addr, 2);
      m.apply(ConfigLoader.load(job("""
          relabel_configs:
            - target_label: team
              replacement: a
          """, addr)));
      waitFor("the relabelled target scraped", () -> !values(storage, "m", "team", "a").isEmpty());
      // A different label set is a different target: the old series end, as in Prometheus.
      List<Double> old = values(storage, "m", "instance", addr, "team", "");
      assertThat(StaleNaN.is(old.getLast())).isTrue();
      assertThat(values(storage, "m", "team", "a")).noneMatch(StaleNaN::is);
    }
  }

  @Test
  void changedFileDiscoverySettingsKeepTheTargetsUntilTheNewDiscoveryReports() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter e = new Exporter("m 1\n"); ScrapeManager m = manager(storage)) {
      String addr = e.address();
      Files.writeString(dir.resolve("t.yaml"), "- targets: ['%s']\n".formatted(addr));
      String cfg = """
          scrape_configs:
            - job_name: j
              scrape_interval: 400ms
              scrape_timeout: 400ms
              file_sd_configs: [{files: [t.yaml], refresh_interval: %s}]
          """;
      m.apply(ConfigLoader.load(cfg.formatted("100ms")));
      waitForMoreScrapes(storage, addr, 2);
      ScrapeLoop loop = m.pool("j").activeTargets().getFirst();
      m.apply(ConfigLoader.load(cfg.formatted("1s")));
      assertThat(m.pool("j").activeTargets()).containsExactly(loop);
      waitForMoreScrapes(storage, addr, 2);
      assertThat(m.pool("j").activeTargets()).containsExactly(loop);
      assertContinuous(samples(storage, "m", "instance", addr));
    }
  }

  @Test
  void aReloadThatCannotBuildItsClientKeepsThePreviousConfiguration() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter e = new Exporter("m 1\n"); ScrapeManager m = manager(storage)) {
      String addr = e.address();
      m.apply(ConfigLoader.load(job("", addr)));
      waitForMoreScrapes(storage, addr, 2);
      ScrapeLoop loop = m.pool("j").activeTargets().getFirst();
      assertThatThrownBy(() -> m.apply(ConfigLoader.load(job("tls_config: {ca_file: %s}"
          .formatted(dir.resolve("missing.pem")), addr))))
          .hasMessageStartingWith("job j (previous configuration kept): ").hasMessageContaining("missing.pem");
      assertThat(m.pool("j").activeTargets()).containsExactly(loop);
      assertThat(loop.config().httpClient().tlsConfig().caFile()).isEmpty();
      waitForMoreScrapes(storage, addr, 2);
      assertContinuous(samples(storage, "m", "instance", addr));
    }
  }
}
