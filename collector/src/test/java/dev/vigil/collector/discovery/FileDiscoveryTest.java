package dev.vigil.collector.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.FileSdConfig;
import dev.vigil.model.labels.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDiscoveryTest {
  @TempDir Path dir;

  @Test
  void readsJsonAndYamlWithGlobs() throws Exception {
    Files.writeString(dir.resolve("a.json"), """
        [{"targets": ["h1:9100", "h2:9100"], "labels": {"env": "prod"}}, {"targets": ["h3:80"]}]
        """);
    Files.writeString(dir.resolve("b.yml"), """
        - targets: [h4:9100]
          labels: {team: db}
        """);
    Files.writeString(dir.resolve("ignored.txt"), "not a target file");
    FileDiscovery d = new FileDiscovery(new FileSdConfig(List.of("*.json", "b.yml"), Duration.ofMinutes(5)), dir);
    List<TargetGroup> groups = d.refresh();
    assertThat(groups).hasSize(3);
    Path a = dir.resolve("a.json");
    assertThat(groups.get(0)).isEqualTo(new TargetGroup(a + ":0",
        List.of(Labels.of("__address__", "h1:9100"), Labels.of("__address__", "h2:9100")),
        Labels.of("env", "prod", "__meta_filepath", a.toString())));
    assertThat(groups.get(1).targets()).containsExactly(Labels.of("__address__", "h3:80"));
    assertThat(groups.get(2).labels().get("team")).isEqualTo("db");
    assertThat(d.errors()).isEmpty();
  }

  @Test
  void aBrokenFileKeepsItsPreviousGroups() throws Exception {
    Path f = dir.resolve("t.json");
    Files.writeString(f, "[{\"targets\": [\"h1:1\"]}]");
    FileDiscovery d = new FileDiscovery(new FileSdConfig(List.of("t.json"), Duration.ofMinutes(5)), dir);
    assertThat(d.refresh()).hasSize(1);
    Files.writeString(f, "[{\"targets\": [\"h1:1\"], \"bogus\": 1}]");
    assertThat(d.refresh()).hasSize(1);
    assertThat(d.errors().get(f)).contains("field bogus not found");
    Files.delete(f);
    assertThat(d.refresh()).isEmpty();
  }

  @Test
  void publishesChangesOnly() throws Exception {
    Path f = dir.resolve("t.yaml");
    Files.writeString(f, "- targets: [h1:1]\n");
    ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    List<List<TargetGroup>> seen = new CopyOnWriteArrayList<>();
    try (FileDiscovery d = new FileDiscovery(new FileSdConfig(List.of("*.yaml"), Duration.ofMillis(30)), dir)) {
      d.start(exec, seen::add);
      Thread.sleep(200);
      assertThat(seen).hasSize(1);
      // Replaced atomically, as file_sd files must be (Prometheus's documentation says so too):
      // a refresh between an in-place write's truncation and its bytes reads an empty file
      // and publishes no groups, which made this test fail now and then.
      Path next = dir.resolve("t.yaml.tmp");
      Files.writeString(next, "- targets: [h1:1, h2:2]\n");
      Files.move(next, f, StandardCopyOption.ATOMIC_MOVE);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (seen.size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seen).hasSize(2);
      assertThat(seen.get(1).get(0).targets()).hasSize(2);
    } finally {
      exec.shutdownNow();
    }
  }
}
