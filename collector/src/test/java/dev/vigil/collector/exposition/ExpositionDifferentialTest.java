package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.peer.PeerProcess;
import dev.vigil.collector.peer.PrometheusApi;
import dev.vigil.collector.peer.ReplayProxy;
import dev.vigil.collector.peer.Scrapes;
import dev.vigil.collector.peer.VigilCollector;
import dev.vigil.collector.peer.PrometheusApi.Point;
import dev.vigil.collector.peer.VigilCollector.Latest;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.BucketSpan;
import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.Gauge;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.MetricType;
import dev.vigil.protocol.exposition.pb.Quantile;
import dev.vigil.protocol.exposition.pb.Summary;
import dev.vigil.protocol.exposition.pb.Untyped;
import java.nio.charset.StandardCharsets;
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
 * Every sample Debian's Prometheus stores from a scrape equals what Vigil stores from the same
 * bytes: real node-exporter, Alertmanager and Prometheus {@code /metrics} bodies in text and in
 * protobuf (captured once and replayed to both), plus hand-written text, OpenMetrics and protobuf
 * bodies full of edge cases (NaN, infinities, negative zero, escapes, explicit timestamps, every
 * OpenMetrics type, native histograms). Compared through Prometheus's query API: series sets,
 * values bit for bit, explicit timestamps, native histograms' count, sum and bucket counts; and
 * malformed bodies must fail in both.
 *
 * <p>Known version difference, applied to Prometheus's answer before comparing: Prometheus 2.x
 * keeps {@code le}/{@code quantile} values as written, Prometheus 3 (and Vigil) normalise them on
 * histograms and summaries ({@code le="1"} becomes {@code 1.0}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpositionDifferentialTest {
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String ACCEPT_TEXT = "text/plain;version=0.0.4";
  static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
  static final String ACCEPT_PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  private final List<PeerProcess> peers = new ArrayList<>();
  private ReplayProxy proxy;
  private PrometheusApi prometheus;
  private VigilCollector vigil;
  private long explicitTs;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    PeerProcess.assumeInstalled(PeerProcess.PROMETHEUS, PeerProcess.NODE_EXPORTER, PeerProcess.ALERTMANAGER);
    explicitTs = (System.currentTimeMillis() / 1000 - 10) * 1000 + 123;
    PeerProcess node = start(() -> PeerProcess.nodeExporter(dir));
    PeerProcess am = start(() -> PeerProcess.alertmanager(dir.resolve("am")));
    proxy = new ReplayProxy()
        .replay("/node", node.url() + "/metrics", ACCEPT_TEXT)
        .replay("/alertmanager", am.url() + "/metrics", ACCEPT_TEXT)
        .replay("/node_proto", node.url() + "/metrics", ACCEPT_PROTOBUF)
        .replay("/alertmanager_proto", am.url() + "/metrics", ACCEPT_PROTOBUF)
        .serve("/edge/proto", PROTOBUF, edgeProtobuf(explicitTs))
        .serve("/edge/text", TEXT, edgeText(explicitTs).getBytes(StandardCharsets.UTF_8))
        .serve("/edge/om", OPENMETRICS, edgeOpenMetrics(explicitTs).getBytes(StandardCharsets.UTF_8));
    for (String[] bad : BAD_BODIES) {
      proxy.serve("/" + bad[0], bad[1], bad[2].getBytes(StandardCharsets.UTF_8));
    }
    // Prometheus scrapes its own /metrics through the proxy too: the port is fixed up front.
    int promPort = PeerProcess.freePort();
    proxy.replay("/prometheus", "http://127.0.0.1:" + promPort + "/metrics", ACCEPT_TEXT);
    proxy.replay("/prometheus_proto", "http://127.0.0.1:" + promPort + "/metrics", ACCEPT_PROTOBUF);
    String yaml = config(proxy.address());
    // Native histograms on: Prometheus 2.42 then parses protobuf bodies (and asks for them first).
    PeerProcess prom = start(() -> PeerProcess.prometheus(dir.resolve("prom"), yaml, promPort,
        "--enable-feature=native-histograms"));
    prometheus = new PrometheusApi(prom.url());
    Scrapes.awaitSteady(prometheus, List.of("node", "alertmanager", "prometheus", "edge_text", "edge_om",
        "node_proto", "alertmanager_proto", "prometheus_proto", "edge_proto"), prom);
    // Prometheus 3's config field for 2.42's feature flag (2.42 refuses the field, so Vigil's copy only).
    vigil = new VigilCollector(yaml.replace("global:\n", "global:\n  scrape_native_histograms: true\n"));
    vigil.scrapeAll(2);
  }

  private PeerProcess start(java.util.function.Supplier<PeerProcess> s) {
    PeerProcess p = s.get();
    peers.add(p);
    return p;
  }

  @AfterAll
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    for (PeerProcess p : peers.reversed()) {
      p.close();
    }
  }

  /** Bodies both parsers must refuse: job name, content type, body. */
  static final String[][] BAD_BODIES = {
    {"bad_hex_float", TEXT, "x 0x1.8p1\n"},
    {"bad_underscore_float", TEXT, "x 1_000\n"},
    {"bad_om_without_eof", OPENMETRICS, "x 1\n"},
    {"bad_om_double_space", OPENMETRICS, "x  1\n# EOF\n"},
    {"bad_text_unterminated_label", TEXT, "x{a=\"1} 2\n"},
    {"bad_text_timestamp", TEXT, "x 1 1.5\n"},
  };

  static String config(String proxy) {
    StringBuilder sb = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n");
    List<String[]> jobs = new ArrayList<>(List.of(new String[][] {{"node", "/node"}, {"alertmanager", "/alertmanager"},
        {"prometheus", "/prometheus"}, {"edge_text", "/edge/text"}, {"edge_om", "/edge/om"},
        {"node_proto", "/node_proto"}, {"alertmanager_proto", "/alertmanager_proto"},
        {"prometheus_proto", "/prometheus_proto"}, {"edge_proto", "/edge/proto"}}));
    for (String[] bad : BAD_BODIES) {
      jobs.add(new String[] {bad[0], "/" + bad[0]});
    }
    for (String[] job : jobs) {
      sb.append("  - job_name: ").append(job[0]).append('\n')
          .append("    metrics_path: ").append(job[1]).append('\n')
          .append("    static_configs:\n      - targets: ['").append(proxy).append("']\n");
    }
    return sb.toString();
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
  void malformedBodiesFailInBoth() {
    Map<String, String> promErrors = new java.util.HashMap<>();
    for (PrometheusApi.ActiveTarget t : prometheus.activeTargets()) {
      if (t.health().equals("down")) {
        promErrors.put(t.labels().get("job"), t.lastError());
      }
    }
    for (String[] bad : BAD_BODIES) {
      String ours = vigil.loops().stream().filter(l -> l.target().labels().get("job").equals(bad[0]))
          .findFirst().orElseThrow().lastResult().error();
      assertThat(promErrors).as("Prometheus fails %s", bad[0]).containsKey(bad[0]);
      assertThat(ours).as("Vigil fails %s (Prometheus: %s)", bad[0], promErrors.get(bad[0])).isNotEmpty();
      assertThat(vigil.latest("job", bad[0]).get(Labels.of("__name__", "up", "instance", proxy.address(), "job", bad[0])).v())
          .as("Vigil's up for %s", bad[0]).isZero();
    }
  }

  private void assertSameSamples(String job, int atLeast) {
    Map<Labels, Point> theirs = BucketLabels.normalise(prometheus.latestSamples("{job=\"" + job + "\"}", "1m"),
        prometheus.metadataTypes(job));
    Map<Labels, Latest> ours = vigil.latest("job", job);
    List<String> diffs = Scrapes.differences(theirs, ours);
    assertThat(diffs).as("differences for job %s (Prometheus %d series, Vigil %d)", job, theirs.size(), ours.size())
        .isEmpty();
    assertThat(theirs.size()).as("series of job %s", job).isGreaterThanOrEqualTo(atLeast);
    Set<String> explicit = new TreeSet<>();
    for (Map.Entry<Labels, Point> e : theirs.entrySet()) {
      if (e.getKey().get("ts").equals("explicit")) {
        explicit.add(e.getKey() + "@" + e.getValue().t());
      }
    }
    if (job.startsWith("edge")) {
      assertThat(explicit).as("series with explicit timestamps").isNotEmpty();
    }
  }

  /**
   * Protobuf with native histograms (integer counts; exponential buckets both sides, zero bucket,
   * an empty one, gauge, one with classic buckets too) next to classic ones. Float-count native
   * histograms are left to the table tests and {@code ProtobufScrapeTest}: Prometheus 2.42 stores
   * a scraped float histogram's data under the other native histograms of the same scrape.
   */
  static byte[] edgeProtobuf(long ts) {
    Histogram.Builder classic = Histogram.newBuilder().setSampleCount(9).setSampleSum(4.5)
        .addBucket(Bucket.newBuilder().setUpperBound(0.25).setCumulativeCount(2))
        .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(8));
    return ProtobufParserTest.delimited(
        ProtobufParserTest.family("pb_requests_total", MetricType.COUNTER,
            ProtobufParserTest.metric("code", "200").setCounter(Counter.newBuilder().setValue(12)),
            ProtobufParserTest.metric("code", "500", "ts", "explicit").setCounter(Counter.newBuilder().setValue(1))
                .setTimestampMs(ts)),
        ProtobufParserTest.family("pb_temperature", MetricType.GAUGE,
            ProtobufParserTest.metric("room", "a").setGauge(Gauge.newBuilder().setValue(-0.0)),
            ProtobufParserTest.metric("room", "b").setGauge(Gauge.newBuilder().setValue(Double.NaN)),
            ProtobufParserTest.metric("room", "c").setGauge(Gauge.newBuilder().setValue(Double.NEGATIVE_INFINITY))),
        ProtobufParserTest.family("pb_native_seconds", MetricType.HISTOGRAM,
            ProtobufParserTest.metric("kind", "ints").setHistogram(ProtobufParserTest.nativeInts()),
            ProtobufParserTest.metric("kind", "empty").setHistogram(Histogram.newBuilder().setSchema(3).setZeroThreshold(1e-128)),
            ProtobufParserTest.metric("kind", "both").setHistogram(ProtobufParserTest.nativeInts()
                .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(5)))),
        ProtobufParserTest.family("pb_queue", MetricType.GAUGE_HISTOGRAM,
            ProtobufParserTest.metric().setHistogram(ProtobufParserTest.nativeInts())),
        ProtobufParserTest.family("pb_classic_seconds", MetricType.HISTOGRAM,
            ProtobufParserTest.metric().setHistogram(classic)),
        ProtobufParserTest.family("pb_rpc_seconds", MetricType.SUMMARY,
            ProtobufParserTest.metric().setSummary(Summary.newBuilder().setSampleCount(3).setSampleSum(1.5)
                .addQuantile(Quantile.newBuilder().setQuantile(0.5).setValue(0.25))
                .addQuantile(Quantile.newBuilder().setQuantile(1).setValue(Double.NaN)))),
        ProtobufParserTest.family("pb_untyped", MetricType.UNTYPED,
            ProtobufParserTest.metric().setUntyped(Untyped.newBuilder().setValue(1e-300))));
  }

  /** Prometheus text 0.0.4 with what real exporters rarely show. */
  static String edgeText(long ts) {
    return """
        # HELP edge_gauge A gauge with \\\\ and \\n escapes and a "quote"
        # TYPE edge_gauge gauge
        edge_gauge{a="x\\"y",b="new\\nline",c="back\\\\slash"} -0
        edge_gauge{a="nan"} NaN
        edge_gauge{a="inf"} +Inf
        edge_gauge{a="minf"} -Inf
        edge_gauge{a="inf_word"} Inf
        edge_gauge{a="nan_lower"} nan
        edge_gauge{a="tiny"} 4.9e-324
        edge_gauge{a="subnormal"} 2.2250738585072011e-308
        edge_gauge{a="max"} 1.7976931348623157e+308
        edge_gauge{a="round"} 9007199254740993
        edge_gauge{a="many_digits"} 0.1000000000000000055511151231257827021181583404541015625
        edge_gauge{a="exp"} 1E-7
        edge_gauge{a="plus"} +12.5
        edge_gauge{a="le_kept",le="1"} 1
        edge_gauge{a="utf8",b="ünïcödé ✓"} 3
        edge_gauge{a="other_escape",b="tab\\there"} 4
        edge_gauge { a = "blanks" , b="x" , }    5
        edge_gauge{a="tab"}\t6
        # a free comment
        \s
        # TYPE edge_counter counter
        edge_counter_total 1e3
        edge_counter_total{ts="explicit"} 17 %d
        # TYPE edge_hist histogram
        edge_hist_bucket{le="0.1"} 1
        edge_hist_bucket{le="1"} 2
        edge_hist_bucket{le="10.0"} 3
        edge_hist_bucket{le="1e3"} 3
        edge_hist_bucket{le="+Inf"} 4
        edge_hist_sum 12.5
        edge_hist_count 4
        # TYPE edge_summary summary
        edge_summary{quantile="0"} 0.5
        edge_summary{quantile="0.5"} NaN
        edge_summary{quantile="1"} 9
        edge_summary_sum 3
        edge_summary_count 7
        edge_untyped_no_type 8
        """.formatted(ts);
  }

  /** OpenMetrics 1.0 with every type, exemplars, units, created series and timestamps. */
  static String edgeOpenMetrics(long ts) {
    String secs = java.math.BigDecimal.valueOf(ts, 3).toPlainString();
    return """
        # TYPE om_requests counter
        # HELP om_requests Requests with an \\"escaped\\" help.
        om_requests_total{code="200"} 17 # {trace_id="abc"} 1.0 %1$s
        om_requests_created{code="200"} 1.7e9
        om_requests_total{code="500",ts="explicit"} 3 %1$s
        # TYPE om_temp_celsius gauge
        # UNIT om_temp_celsius celsius
        om_temp_celsius{room="a"} -0.0
        om_temp_celsius{room="b"} NaN
        om_temp_celsius{room="c"} +Inf
        om_temp_celsius{room="d"} -Inf
        om_temp_celsius{room="e"} 1.5e-300
        om_temp_celsius{room="f\\"g\\\\h\\ni"} 21.25
        # TYPE om_build info
        om_build_info{version="1.2.3",revision="abc"} 1
        # TYPE om_state stateset
        om_state{om_state="a"} 1
        om_state{om_state="b"} 0
        # TYPE om_latency_seconds histogram
        # UNIT om_latency_seconds seconds
        om_latency_seconds_bucket{le="0.5"} 1 # {trace_id="x"} 0.25
        om_latency_seconds_bucket{le="1"} 2
        om_latency_seconds_bucket{le="+Inf"} 3
        om_latency_seconds_sum 2.5
        om_latency_seconds_count 3
        om_latency_seconds_created 1.7e9
        # TYPE om_queue gaugehistogram
        om_queue_bucket{le="1"} 1
        om_queue_bucket{le="+Inf"} 2
        om_queue_gcount 2
        om_queue_gsum 3
        # TYPE om_rpc summary
        om_rpc{quantile="0.9"} 0.5
        om_rpc{quantile="1"} NaN
        om_rpc_sum 1
        om_rpc_count 2
        om_rpc_created 1.7e9
        # TYPE om_mystery unknown
        om_mystery 7
        om_mystery{ts="explicit",kind="int"} 8 %2$d
        # EOF
        """.formatted(secs, ts / 1000);
  }
}
