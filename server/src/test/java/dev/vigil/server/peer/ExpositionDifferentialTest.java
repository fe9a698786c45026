package dev.vigil.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.exposition.BucketLabels;
import dev.vigil.collector.exposition.ExpositionBodies;
import dev.vigil.collector.peer.PeerProcess;
import dev.vigil.collector.peer.PrometheusApi;
import dev.vigil.collector.peer.PrometheusApi.RawPoint;
import dev.vigil.collector.peer.ReplayProxy;
import dev.vigil.collector.peer.Scrapes;
import dev.vigil.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Every sample Debian's Prometheus stores from a scrape equals what {@code vigil server} stores
 * from the same bytes, both read through their own HTTP query API by the same client code: real
 * node-exporter, Alertmanager and Prometheus {@code /metrics} bodies in text and in protobuf
 * (captured once and replayed to both), plus hand-written text, OpenMetrics and protobuf bodies
 * full of edge cases ({@link ExpositionBodies}). Vigil scrapes on its own schedule with its
 * scrape manager into its TSDB, exactly as in production. Compared: the series sets, every value
 * as the JSON string each server formats (so {@code -0}, {@code NaN}, exponents and digits count),
 * explicit timestamps, native histograms as JSON, {@code /api/v1/targets/metadata} field by
 * field, and malformed bodies must fail in both.
 *
 * <p>Known version difference, applied to Prometheus's answer before comparing: Prometheus 2.x
 * keeps {@code le}/{@code quantile} values as written, Prometheus 3 (and Vigil) normalise them on
 * histograms and summaries ({@code le="1"} becomes {@code 1.0}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpositionDifferentialTest {
  static final List<String> JOBS = List.of("node", "alertmanager", "prometheus", "edge_text", "edge_om",
      "node_proto", "alertmanager_proto", "prometheus_proto", "edge_proto");

  private final List<PeerProcess> peers = new ArrayList<>();
  private ReplayProxy proxy;
  private PrometheusApi prometheus;
  private ScrapingServer vigil;

  @BeforeAll
  void start(@TempDir Path dir) {
    PeerProcess.assumeInstalled(PeerProcess.PROMETHEUS, PeerProcess.NODE_EXPORTER, PeerProcess.ALERTMANAGER);
    long explicitTs = (System.currentTimeMillis() / 1000 - 10) * 1000 + 123;
    PeerProcess node = start(() -> PeerProcess.nodeExporter(dir));
    PeerProcess am = start(() -> PeerProcess.alertmanager(dir.resolve("am")));
    proxy = new ReplayProxy()
        .replay("/node", node.url() + "/metrics", ExpositionBodies.ACCEPT_TEXT)
        .replay("/alertmanager", am.url() + "/metrics", ExpositionBodies.ACCEPT_TEXT)
        .replay("/node_proto", node.url() + "/metrics", ExpositionBodies.ACCEPT_PROTOBUF)
        .replay("/alertmanager_proto", am.url() + "/metrics", ExpositionBodies.ACCEPT_PROTOBUF)
        .serve("/edge/proto", ExpositionBodies.PROTOBUF, ExpositionBodies.edgeProtobuf(explicitTs))
        .serve("/edge/text", ExpositionBodies.TEXT,
            ExpositionBodies.edgeText(explicitTs).getBytes(StandardCharsets.UTF_8))
        .serve("/edge/om", ExpositionBodies.OPENMETRICS,
            ExpositionBodies.edgeOpenMetrics(explicitTs).getBytes(StandardCharsets.UTF_8));
    for (String[] bad : ExpositionBodies.BAD_BODIES) {
      proxy.serve("/" + bad[0], bad[1], bad[2].getBytes(StandardCharsets.UTF_8));
    }
    // Prometheus scrapes its own /metrics through the proxy too: the port is fixed up front.
    int promPort = PeerProcess.freePort();
    proxy.replay("/prometheus", "http://127.0.0.1:" + promPort + "/metrics", ExpositionBodies.ACCEPT_TEXT);
    proxy.replay("/prometheus_proto", "http://127.0.0.1:" + promPort + "/metrics", ExpositionBodies.ACCEPT_PROTOBUF);
    String yaml = ExpositionBodies.config(proxy.address());
    // Native histograms on: Prometheus 2.42 then parses protobuf bodies (and asks for them first).
    PeerProcess prom = start(() -> PeerProcess.prometheus(dir.resolve("prom"), yaml, promPort,
        "--enable-feature=native-histograms", "--enable-feature=exemplar-storage"));
    prometheus = new PrometheusApi(prom.url());
    // Prometheus 3's config field for 2.42's feature flag (2.42 refuses the field, so Vigil's copy only).
    vigil = new ScrapingServer(dir.resolve("vigil"),
        yaml.replace("global:\n", "global:\n  scrape_native_histograms: true\n"));
    Scrapes.awaitSteady(prometheus, JOBS, prom);
    Scrapes.awaitSteady(vigil.api(), JOBS, "vigil server", vigil::diagnostics);
  }

  private PeerProcess start(java.util.function.Supplier<PeerProcess> s) {
    PeerProcess p = s.get();
    peers.add(p);
    return p;
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

  @Test
  void nodeExporter() {
    assertSameSamples("node", 500);
  }

  @Test
  void alertmanager() {
    assertSameSamples("alertmanager", 100);
  }

  @Test
  void prometheusItself() {
    assertSameSamples("prometheus", 300);
  }

  @Test
  void nodeExporterProtobuf() {
    assertSameSamples("node_proto", 500);
  }

  @Test
  void alertmanagerProtobuf() {
    assertSameSamples("alertmanager_proto", 100);
  }

  @Test
  void prometheusItselfProtobuf() {
    assertSameSamples("prometheus_proto", 300);
  }

  @Test
  void protobufEdgeCasesWithNativeHistograms() {
    assertSameSamples("edge_proto", 15);
  }

  @Test
  void textEdgeCases() {
    assertSameSamples("edge_text", 20);
  }

  @Test
  void openMetricsEdgeCases() {
    assertSameSamples("edge_om", 20);
  }

  @Test
  void targetMetadataOfEveryJob() {
    List<String> diffs = new ArrayList<>();
    int entries = 0;
    for (String job : JOBS) {
      String sel = "{job=\"" + job + "\"}";
      Set<PrometheusApi.TargetMetadata> theirs = new java.util.HashSet<>(prometheus.targetMetadata(sel));
      List<PrometheusApi.TargetMetadata> ourList = vigil.api().targetMetadata(sel);
      Set<PrometheusApi.TargetMetadata> ours = new java.util.HashSet<>(ourList);
      assertThat(ourList).as("no entry twice for job %s", job).hasSize(ours.size());
      entries += theirs.size();
      for (PrometheusApi.TargetMetadata m : theirs) {
        if (!ours.contains(m)) {
          diffs.add("only in Prometheus: " + m);
        }
      }
      for (PrometheusApi.TargetMetadata m : ours) {
        if (!theirs.contains(m)) {
          diffs.add("only in Vigil: " + m);
        }
      }
    }
    assertThat(diffs).as("metadata differences").isEmpty();
    assertThat(entries).as("metadata entries compared").isGreaterThan(500);
  }

  @Test
  void malformedBodiesFailInBoth() {
    Map<String, String> theirs = failures(prometheus);
    Map<String, String> ours = failures(vigil.api());
    for (String[] bad : ExpositionBodies.BAD_BODIES) {
      assertThat(theirs).as("Prometheus fails %s", bad[0]).containsKey(bad[0]);
      assertThat(ours).as("Vigil fails %s (Prometheus: %s)", bad[0], theirs.get(bad[0])).containsKey(bad[0]);
      assertThat(ours.get(bad[0])).isNotEmpty();
      Map<Labels, RawPoint> up = vigil.api().latestRaw("up{job=\"" + bad[0] + "\"}", "1m");
      assertThat(up.values()).extracting(RawPoint::value).as("Vigil's up for %s", bad[0]).containsOnly("0");
    }
  }

  private static Map<String, String> failures(PrometheusApi api) {
    Map<String, String> out = new HashMap<>();
    for (PrometheusApi.ActiveTarget t : api.activeTargets()) {
      if (t.health().equals("down")) {
        out.put(t.labels().get("job"), t.lastError());
      }
    }
    return out;
  }

  private void assertSameSamples(String job, int atLeast) {
    String selector = "{job=\"" + job + "\"}";
    Map<Labels, RawPoint> theirs = BucketLabels.normalise(prometheus.latestRaw(selector, "1m"),
        prometheus.metadataTypes(job));
    Map<Labels, RawPoint> ours = vigil.api().latestRaw(selector, "1m");
    List<String> diffs = Scrapes.rawDifferences(theirs, ours);
    assertThat(diffs).as("differences for job %s (Prometheus %d series, Vigil %d)", job, theirs.size(), ours.size())
        .isEmpty();
    assertThat(theirs.size()).as("series of job %s", job).isGreaterThanOrEqualTo(atLeast);
    Set<String> explicit = new TreeSet<>();
    for (Map.Entry<Labels, RawPoint> e : theirs.entrySet()) {
      if (e.getKey().get("ts").equals("explicit")) {
        explicit.add(e.getKey() + "@" + e.getValue().time());
      }
    }
    if (job.startsWith("edge")) {
      assertThat(explicit).as("series with explicit timestamps").isNotEmpty();
    }
  }
}
