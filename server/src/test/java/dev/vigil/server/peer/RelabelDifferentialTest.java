package dev.vigil.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.exposition.BucketLabels;
import dev.vigil.collector.peer.PeerProcess;
import dev.vigil.collector.peer.PrometheusApi;
import dev.vigil.collector.peer.PrometheusApi.ActiveTarget;
import dev.vigil.collector.peer.PrometheusApi.RawPoint;
import dev.vigil.collector.peer.ReplayProxy;
import dev.vigil.collector.peer.Scrapes;
import dev.vigil.model.labels.Labels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same {@code scrape_configs}, with target and metric relabelling that uses all eleven
 * actions, run by Debian's Prometheus (2.42 knows every one of them: keepequal/dropequal came in
 * 2.41, lowercase/uppercase in 2.36) and by {@code vigil server} against the same replayed
 * node-exporter and Alertmanager bodies, both read through their own HTTP API by the same client
 * code. Kept and dropped targets ({@code /api/v1/targets}), target labels and the resulting
 * series (labels and values as each server's JSON writes them) must be equal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelabelDifferentialTest {
  private final List<PeerProcess> peers = new ArrayList<>();
  private ReplayProxy proxy;
  private PrometheusApi prometheus;
  private ScrapingServer vigil;

  @BeforeAll
  void start(@TempDir Path dir) {
    PeerProcess.assumeInstalled(PeerProcess.PROMETHEUS, PeerProcess.NODE_EXPORTER, PeerProcess.ALERTMANAGER);
    PeerProcess node = PeerProcess.nodeExporter(dir);
    peers.add(node);
    PeerProcess am = PeerProcess.alertmanager(dir.resolve("am"));
    peers.add(am);
    proxy = new ReplayProxy()
        .replay("/node", node.url() + "/metrics", "text/plain;version=0.0.4")
        .replay("/alertmanager", am.url() + "/metrics", "text/plain;version=0.0.4");
    String yaml = config(proxy.address());
    PeerProcess prom = PeerProcess.prometheus(dir.resolve("prom"), yaml);
    peers.add(prom);
    prometheus = new PrometheusApi(prom.url());
    vigil = new ScrapingServer(dir.resolve("vigil"), yaml);
    Scrapes.awaitSteady(prometheus, List.of("relabel", "metric_relabel"), prom);
    Scrapes.awaitSteady(vigil.api(), List.of("relabel", "metric_relabel"), "vigil server", vigil::diagnostics);
  }

  @AfterAll
  void stop() {
    if (vigil != null) {
      vigil.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    for (PeerProcess p : peers.reversed()) {
      p.close();
    }
  }

  static String config(String proxy) {
    return """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: relabel
            metrics_path: /node
            static_configs:
              - targets: ['%1$s']
                labels: {case: a, team: Infra, env: Prod, ext_zone: eu1, copy: a, src: node}
              - targets: ['%1$s']
                labels: {case: b, team: infra, env: dev, ext_zone: us2, copy: other, src: alertmanager}
              - targets: ['%1$s']
                labels: {case: c, team: Web, env: prod, ext_zone: ap3, ext_rack: r7, copy: c}
              - targets: ['%1$s']
                labels: {case: d, team: drop-me, env: prod, copy: d}
              - targets: ['%1$s']
                labels: {case: e, team: web, env: staging, copy: e}
              - targets: ['%1$s']
                labels: {case: f, team: web, env: prod, tier: prod, copy: f}
              - targets: ['%1$s']
                labels: {case: g, team: web, env: test, copy: g, src: alertmanager}
            relabel_configs:
              - {source_labels: [team], regex: drop-me, action: drop}
              - {source_labels: [env], regex: '(?i)prod|dev|test', action: keep}
              - {source_labels: [env], target_label: tier, action: dropequal}
              - {source_labels: [case], target_label: copy, action: keepequal}
              - {source_labels: [case, env], separator: '/', modulus: 8, target_label: __tmp_hash, action: hashmod}
              - {source_labels: [__tmp_hash], target_label: shard}
              - {source_labels: [src], regex: '(.+)', target_label: __metrics_path__, replacement: '/$1'}
              - {regex: 'ext_(.+)', replacement: 'zone_${1}', action: labelmap}
              - {regex: 'ext_.*', action: labeldrop}
              - {source_labels: [team], target_label: team_lower, action: lowercase}
              - {source_labels: [env], target_label: env_upper, action: uppercase}
              - {source_labels: [case, team], separator: ';', regex: '(.+);(.+)', target_label: case_team, replacement: '${2}-${1}'}
              - {regex: '__.*|job|instance|case|team_lower|env_upper|shard|zone_.*|case_team|src', action: labelkeep}
          - job_name: metric_relabel
            metrics_path: /node
            static_configs:
              - targets: ['%1$s']
            metric_relabel_configs:
              - {source_labels: [__name__], regex: 'go_.*', action: drop}
              - {source_labels: [__name__], regex: 'node_.*|process_.*', action: keep}
              - {source_labels: [__name__, mode], separator: ';', regex: 'node_cpu_seconds_total;(idle|iowait)', action: drop}
              - {source_labels: [mode], target_label: mode_upper, action: uppercase}
              - {source_labels: [device], target_label: device_lower, action: lowercase}
              - {source_labels: [mountpoint], regex: '/(.*)', target_label: mount, replacement: 'm-$1'}
              - {regex: '(fstype|device)', replacement: 'orig_$1', action: labelmap}
              - {regex: 'fstype', action: labeldrop}
              - {source_labels: [__name__, cpu], modulus: 3, target_label: cpu_shard, action: hashmod}
              - {source_labels: [cpu_shard], regex: '2', action: drop}
              - {source_labels: [__name__], regex: 'node_(load1|load5)', target_label: eq_probe, replacement: node_load1}
              - {source_labels: [eq_probe], target_label: __name__, action: dropequal}
              - {source_labels: [__name__], regex: 'node_load5', target_label: eq_other, replacement: x}
              - {source_labels: [eq_other], target_label: eq_missing, action: keepequal}
              - {regex: 'eq_.*', action: labeldrop}
              - {regex: '__name__|instance|job|collector|cpu|cpu_shard|mode|mode_upper|device|device_lower|mount|orig_.*|mountpoint|state|le|quantile', action: labelkeep}
        """.formatted(proxy);
  }

  @Test
  void sameTargetsKeptAndDropped() {
    Set<Labels> theirs = activeLabels(prometheus, "Prometheus");
    Set<Labels> ours = activeLabels(vigil.api(), "Vigil");
    assertThat(ours).containsExactlyElementsOf(theirs);
    assertThat(droppedCases(vigil.api())).containsExactlyElementsOf(droppedCases(prometheus))
        .containsExactly("b", "d", "e", "f");
  }

  private static Set<Labels> activeLabels(PrometheusApi api, String server) {
    Set<Labels> out = new TreeSet<>();
    for (ActiveTarget t : api.activeTargets()) {
      assertThat(t.health()).as("%s target %s: %s", server, t.labels(), t.lastError()).isEqualTo("up");
      out.add(t.labels());
    }
    return out;
  }

  private static Set<String> droppedCases(PrometheusApi api) {
    Set<String> out = new TreeSet<>();
    for (Labels l : api.droppedTargets()) {
      out.add(l.get("case"));
    }
    return out;
  }

  @Test
  void sameSeriesAfterTargetRelabelling() {
    assertSameSeries("relabel", 1000);
  }

  @Test
  void sameSeriesAfterMetricRelabelling() {
    assertSameSeries("metric_relabel", 100);
  }

  private void assertSameSeries(String job, int atLeast) {
    String selector = "{job=\"" + job + "\"}";
    Map<Labels, RawPoint> theirs = BucketLabels.normalise(prometheus.latestRaw(selector, "1m"),
        prometheus.metadataTypes(job));
    Map<Labels, RawPoint> ours = vigil.api().latestRaw(selector, "1m");
    assertThat(Scrapes.rawDifferences(theirs, ours))
        .as("differences for job %s (Prometheus %d series, Vigil %d)", job, theirs.size(), ours.size()).isEmpty();
    assertThat(theirs.size()).isGreaterThanOrEqualTo(atLeast);
  }
}
