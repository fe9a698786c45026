package dev.vigil.collector.manager;

import static dev.vigil.collector.manager.StoredSamples.values;
import static dev.vigil.collector.manager.StoredSamples.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.PrometheusConfig;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScrapeManagerTest {
  @TempDir Path dir;

  private ScrapeManager manager(InMemoryStorage storage) {
    return new ScrapeManager(storage, ManagerOptions.defaults(dir).withOffsetSeed(7));
  }

  @Test
  void staticAndFileTargetsOfOneJobAreScrapedIntoTheSink() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter a = new Exporter("m 1\n"); Exporter b = new Exporter("m 2\n"); ScrapeManager m = manager(storage)) {
      Files.createDirectory(dir.resolve("sd"));
      Files.writeString(dir.resolve("sd/b.json"), """
          [{"targets": ["%s"], "labels": {"env": "file"}}]""".formatted(b.address()));
      m.apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs:
                - targets: [%s, drop.me:1]
                  labels: {env: static}
              file_sd_configs:
                - files: [sd/*.json]
                  refresh_interval: 100ms
              relabel_configs:
                - source_labels: [__address__]
                  regex: drop\\.me:.*
                  action: drop
          """.formatted(a.address())));

      waitFor("samples of both targets", () -> !values(storage, "m", "env", "static").isEmpty()
          && !values(storage, "m", "env", "file").isEmpty());
      assertThat(values(storage, "m", "instance", a.address(), "job", "j")).contains(1.0);
      assertThat(values(storage, "m", "instance", b.address(), "job", "j")).contains(2.0);
      assertThat(values(storage, "up", "instance", b.address())).contains(1.0);

      waitFor("both targets reported up", () -> m.targets().active().stream()
          .allMatch(t -> t.health() == TargetHealth.UP) && m.targets().active().size() == 2);
      TargetsView view = m.targets();
      ActiveTarget fromFile = view.active().stream().filter(t -> t.labels().get("env").equals("file")).findFirst().orElseThrow();
      assertThat(fromFile.scrapePool()).isEqualTo("j");
      assertThat(fromFile.scrapeUrl().toString()).isEqualTo("http://" + b.address() + "/metrics");
      assertThat(fromFile.labels().get("instance")).isEqualTo(b.address());
      assertThat(fromFile.labels().get("job")).isEqualTo("j");
      assertThat(fromFile.discoveredLabels().get("__meta_filepath")).isEqualTo(dir.resolve("sd/b.json").toString());
      assertThat(fromFile.discoveredLabels().get("__scrape_interval__")).isEqualTo("100ms");
      assertThat(fromFile.discoveredLabels().get("job")).isEqualTo("j");
      assertThat(fromFile.lastError()).isEmpty();
      assertThat(fromFile.lastScrape()).isNotNull();
      assertThat(fromFile.scrapeInterval()).isEqualTo(Duration.ofMillis(100));
      // Loopback URLs are shown with this machine's name for readers elsewhere.
      assertThat(fromFile.globalUrl().getPort()).isEqualTo(fromFile.scrapeUrl().getPort());

      assertThat(view.dropped()).singleElement().satisfies(d -> {
        assertThat(d.scrapePool()).isEqualTo("j");
        assertThat(d.discoveredLabels().get("__address__")).isEqualTo("drop.me:1");
        assertThat(d.discoveredLabels().get("env")).isEqualTo("static");
      });
      assertThat(view.droppedCounts()).isEqualTo(Map.of("j", 1));
      assertThat(view.filter(TargetState.DROPPED, "").active()).isEmpty();
      assertThat(view.filter(TargetState.ACTIVE, "other").active()).isEmpty();
      assertThat(view.filter(TargetState.ACTIVE, "j").active()).hasSize(2);
      assertThat(view.filter(null, "").active()).isEmpty();
    }
  }

  @Test
  void aTargetLeavingTheFileGetsStalenessMarkersAndOthersKeepRunning() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter a = new Exporter("m 1\n"); Exporter b = new Exporter("m 2\n"); ScrapeManager m = manager(storage)) {
      Path file = dir.resolve("targets.yaml");
      Files.writeString(file, "- targets: ['%s', '%s']\n".formatted(a.address(), b.address()));
      m.apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 100ms
              scrape_timeout: 100ms
              file_sd_configs:
                - files: [targets.yaml]
                  refresh_interval: 100ms
          """));
      waitFor("both scraped", () -> !values(storage, "m", "instance", a.address()).isEmpty()
          && !values(storage, "m", "instance", b.address()).isEmpty());

      // Atomically, as file_sd files should be written: a reader may otherwise see the file
      // truncated to nothing for an instant, which (in Prometheus too) removes every target.
      Path next = dir.resolve("targets.yaml.tmp");
      Files.writeString(next, "- targets: ['%s']\n".formatted(a.address()));
      Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      waitFor("b stale", () -> StaleNaN.is(values(storage, "m", "instance", b.address()).getLast()));
      assertThat(StaleNaN.is(values(storage, "up", "instance", b.address()).getLast())).isTrue();
      int before = values(storage, "m", "instance", a.address()).size();
      waitFor("a still scraped", () -> values(storage, "m", "instance", a.address()).size() > before + 1);
      assertThat(values(storage, "m", "instance", a.address())).noneMatch(StaleNaN::is);
      assertThat(m.targets().active()).singleElement()
          .satisfies(t -> assertThat(t.labels().get("instance")).isEqualTo(a.address()));
    }
  }

  @Test
  void reloadKeepsUnchangedJobsRestartsChangedOnesAndStopsRemovedOnes() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter a = new Exporter("m 1\n"); ScrapeManager m = manager(storage)) {
      String job = """
            - job_name: %s
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs: [{targets: ['%s'], labels: {v: '%s'}}]
          """;
      PrometheusConfig first = ConfigLoader.load("scrape_configs:\n" + job.formatted("keep", a.address(), "1")
          + job.formatted("change", a.address(), "1") + job.formatted("gone", a.address(), "1"));
      m.apply(first);
      waitFor("all three jobs scraped", () -> m.targets().active().stream().allMatch(t -> t.health() == TargetHealth.UP));
      assertThat(m.jobNames()).containsExactly("keep", "change", "gone");

      // Re-applying the same configuration changes nothing.
      m.apply(ConfigLoader.load("scrape_configs:\n" + job.formatted("keep", a.address(), "1")
          + job.formatted("change", a.address(), "1") + job.formatted("gone", a.address(), "1")));
      assertThat(m.targets().active()).allMatch(t -> t.health() == TargetHealth.UP);

      m.apply(ConfigLoader.load("scrape_configs:\n" + job.formatted("change", a.address(), "2")
          + job.formatted("keep", a.address(), "1")));
      assertThat(m.jobNames()).containsExactly("change", "keep");
      // The kept job's loop survived: it still reports its last scrape.
      ActiveTarget kept = m.targets().active().stream().filter(t -> t.scrapePool().equals("keep")).findFirst().orElseThrow();
      assertThat(kept.health()).isEqualTo(TargetHealth.UP);
      assertThat(values(storage, "m", "job", "keep")).noneMatch(StaleNaN::is);
      // The changed job's old series and the removed job's series ended with staleness markers.
      assertThat(StaleNaN.is(values(storage, "m", "job", "change", "v", "1").getLast())).isTrue();
      assertThat(StaleNaN.is(values(storage, "m", "job", "gone").getLast())).isTrue();
      assertThat(StaleNaN.is(values(storage, "up", "job", "gone").getLast())).isTrue();
      waitFor("the changed job scrapes with its new labels", () -> !values(storage, "m", "job", "change", "v", "2").isEmpty());
    }
    // Closing the manager marks everything stale.
    assertThat(StaleNaN.is(values(storage, "m", "job", "keep").getLast())).isTrue();
    assertThat(StaleNaN.is(values(storage, "m", "job", "change", "v", "2").getLast())).isTrue();
  }

  @Test
  void targetsOfAJobScrapeAtSpreadOffsetsWithinTheInterval() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    List<Exporter> exporters = new ArrayList<>();
    try (ScrapeManager m = manager(storage)) {
      StringBuilder targets = new StringBuilder();
      for (int i = 0; i < 5; i++) {
        Exporter e = new Exporter("m " + i + "\n");
        exporters.add(e);
        targets.append(i == 0 ? "" : ", ").append('\'').append(e.address()).append('\'');
      }
      m.apply(ConfigLoader.load("""
          scrape_configs:
            - job_name: j
              scrape_interval: 1s
              static_configs: [{targets: [%s]}]
          """.formatted(targets)));
      waitFor("every target scraped", () -> m.targets().active().stream().allMatch(t -> t.lastScrape() != null));
      List<Long> phases = m.targets().active().stream().map(t -> t.lastScrape().toEpochMilli() % 1000).toList();
      // With per-target offsets five targets do not all start within the same 20 ms (each would
      // have to land there by chance: about 1 in 10^6).
      boolean clustered = phases.stream().allMatch(p -> phases.stream()
          .allMatch(q -> Math.min(Math.abs(p - q), 1000 - Math.abs(p - q)) <= 20));
      assertThat(clustered).as("phases %s", phases).isFalse();
    } finally {
      exporters.forEach(Exporter::close);
    }
  }

  @Test
  void aJobThatCannotStartNamesTheProblemAndTheOthersRun() throws Exception {
    InMemoryStorage storage = new InMemoryStorage();
    try (Exporter a = new Exporter("m 1\n"); ScrapeManager m = manager(storage)) {
      PrometheusConfig cfg = ConfigLoader.load("""
          scrape_configs:
            - job_name: ok
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs: [{targets: ['%s']}]
            - job_name: bad
              tls_config: {ca_file: %s}
              static_configs: [{targets: ['x:1']}]
            - job_name: after
              scrape_interval: 100ms
              scrape_timeout: 100ms
              static_configs: [{targets: ['%s']}]
          """.formatted(a.address(), dir.resolve("missing-ca.pem"), a.address()));
      assertThatThrownBy(() -> m.apply(cfg)).hasMessageStartingWith("job bad: ").hasMessageContaining("missing-ca.pem");
      assertThat(m.jobNames()).containsExactly("ok", "after");
      waitFor("after scraped", () -> !values(storage, "m", "job", "after").isEmpty());
      waitFor("ok scraped", () -> !values(storage, "m", "job", "ok").isEmpty());
    }
  }

  @Test
  void applyAfterCloseIsRefused() {
    ScrapeManager m = manager(new InMemoryStorage());
    m.close();
    assertThatThrownBy(() -> m.apply(new PrometheusConfig(dev.vigil.collector.config.GlobalConfig.DEFAULT, List.of(), List.of())))
        .isInstanceOf(IllegalStateException.class);
  }
}
