package dev.vigil.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.exposition.ExpositionBodies;
import dev.vigil.collector.peer.PeerProcess;
import dev.vigil.collector.peer.PrometheusApi;
import dev.vigil.collector.peer.ReplayProxy;
import dev.vigil.collector.peer.Scrapes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Exemplars of an OpenMetrics scrape as Debian's Prometheus ({@code --enable-feature=exemplar-storage})
 * and {@code vigil server} store them, read through both servers' {@code /api/v1/query_exemplars}:
 * the same series, the same exemplars (labels and values as each server's JSON writes them), and
 * the same timestamps where the body gives one (the others get each server's own scrape time).
 * An exemplar whose labels are over OpenMetrics's 128 characters is refused by both without
 * failing the scrape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExemplarDifferentialTest {
  static final String JOB = "exemplars";

  private final List<PeerProcess> peers = new ArrayList<>();
  private ReplayProxy proxy;
  private PrometheusApi prometheus;
  private ScrapingServer vigil;

  static String body(long ts) {
    String secs = java.math.BigDecimal.valueOf(ts, 3).toPlainString();
    String longValue = "x".repeat(130);
    // le values already in Prometheus 3's form: 2.42 would keep le="1" as written, Vigil not.
    return """
        # TYPE rpc counter
        # HELP rpc RPCs.
        rpc_total{code="200"} 17 # {trace_id="abc",span_id="s1"} 1.0 %1$s
        rpc_total{code="500"} 3 # {trace_id="no-ts"} 0.5
        rpc_total{code="503"} 2 # {trace_id="tiny"} 1e-7 %1$s
        rpc_total{code="504"} 1 # {trace_id="%2$s"} 4 %1$s
        rpc_total{code="505"} 1 # {} 6 %1$s
        # TYPE lat_seconds histogram
        lat_seconds_bucket{le="0.1"} 1 # {trace_id="b1"} 0.05 %1$s
        lat_seconds_bucket{le="1.0"} 3 # {trace_id="b2",note="cödé ✓"} 0.75
        lat_seconds_bucket{le="+Inf"} 4 # {trace_id="b3"} +Inf %1$s
        lat_seconds_sum 3.5
        lat_seconds_count 4
        # EOF
        """.formatted(secs, longValue);
  }

  @BeforeAll
  void start(@TempDir Path dir) {
    PeerProcess.assumeInstalled(PeerProcess.PROMETHEUS);
    long ts = System.currentTimeMillis() - 10_000;
    proxy = new ReplayProxy().serve("/om", ExpositionBodies.OPENMETRICS, body(ts).getBytes(StandardCharsets.UTF_8));
    String yaml = """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
        scrape_configs:
          - job_name: %s
            metrics_path: /om
            static_configs:
              - targets: ['%s']
        """.formatted(JOB, proxy.address());
    PeerProcess prom = PeerProcess.prometheus(dir.resolve("prom"), yaml, "--enable-feature=exemplar-storage");
    peers.add(prom);
    prometheus = new PrometheusApi(prom.url());
    vigil = new ScrapingServer(dir.resolve("vigil"), yaml);
    Scrapes.awaitSteady(prometheus, List.of(JOB), prom);
    Scrapes.awaitSteady(vigil.api(), List.of(JOB), "vigil server", vigil::diagnostics);
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
  void sameExemplarsThroughBothQueryApis() {
    double now = System.currentTimeMillis() / 1000.0;
    String query = "{job=\"" + JOB + "\"}";
    Map<String, TreeSet<String>> theirs = exemplars(prometheus.queryExemplars(query, now - 300, now + 60));
    Map<String, TreeSet<String>> ours = exemplars(vigil.api().queryExemplars(query, now - 300, now + 60));
    assertThat(ours).isEqualTo(theirs);
    // Every series but the one whose exemplar is refused for its long labels.
    assertThat(theirs).hasSize(7);
    assertThat(theirs.toString()).contains("\"note\":\"cödé ✓\"").contains("1e-07").contains("+Inf");
    assertThat(vigil.api().latestRaw("up{job=\"" + JOB + "\"}", "1m").values())
        .extracting(PrometheusApi.RawPoint::value).containsOnly("1");
  }

  /**
   * Series labels to their distinct exemplars as "labels value [timestamp]", the timestamp only
   * where the body gave one (those without get each server's scrape times, one per scrape).
   */
  private static Map<String, TreeSet<String>> exemplars(JsonNode data) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    for (JsonNode s : data) {
      TreeSet<String> set = out.computeIfAbsent(s.path("seriesLabels").toString(), k -> new TreeSet<>());
      for (JsonNode e : s.path("exemplars")) {
        String labels = e.path("labels").toString();
        boolean scrapeTime = labels.contains("no-ts") || labels.contains("b2");
        set.add(labels + " " + e.path("value").asString() + (scrapeTime ? "" : " @" + e.path("timestamp")));
      }
    }
    return out;
  }
}
