package dev.vigil.collector.exposition;

import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.Gauge;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.MetricType;
import dev.vigil.protocol.exposition.pb.Quantile;
import dev.vigil.protocol.exposition.pb.Summary;
import dev.vigil.protocol.exposition.pb.Untyped;
import java.util.ArrayList;
import java.util.List;

/**
 * The scrape bodies and {@code scrape_configs} of the exposition differential test
 * ({@code server}'s {@code ExpositionDifferentialTest} runs them on Debian's Prometheus and on
 * {@code vigil server}): hand-written text, OpenMetrics and protobuf bodies full of edge cases,
 * bodies both must refuse, and one job per body behind a replay proxy.
 */
public final class ExpositionBodies {
  private ExpositionBodies() {}

  public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  public static final String ACCEPT_TEXT = "text/plain;version=0.0.4";
  public static final String PROTOBUF = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
  public static final String ACCEPT_PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  /** Bodies both parsers must refuse: job name, content type, body. */
  public static final String[][] BAD_BODIES = {
    {"bad_hex_float", TEXT, "x 0x1.8p1\n"},
    {"bad_underscore_float", TEXT, "x 1_000\n"},
    {"bad_om_without_eof", OPENMETRICS, "x 1\n"},
    {"bad_om_double_space", OPENMETRICS, "x  1\n# EOF\n"},
    {"bad_text_unterminated_label", TEXT, "x{a=\"1} 2\n"},
    {"bad_text_timestamp", TEXT, "x 1 1.5\n"},
  };

  public static String config(String proxy) {
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

  /**
   * Protobuf with native histograms (integer counts; exponential buckets both sides, zero bucket,
   * an empty one, gauge, one with classic buckets too) next to classic ones. Float-count native
   * histograms are left to the table tests and {@code ProtobufScrapeTest}: Prometheus 2.42 stores
   * a scraped float histogram's data under the other native histograms of the same scrape.
   */
  public static byte[] edgeProtobuf(long ts) {
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
  public static String edgeText(long ts) {
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
  public static String edgeOpenMetrics(long ts) {
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
