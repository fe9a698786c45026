package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.peer.ReplayProxy;
import dev.vigil.collector.peer.VigilCollector;
import dev.vigil.collector.peer.VigilCollector.Latest;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.BucketSpan;
import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.MetricType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scrape of an in-process exporter answering protobuf, through HttpScraper and ScrapeLoop. */
class ProtobufScrapeTest {
  @Test
  void nativeHistogramsAreNegotiatedParsedAndAppended() throws Exception {
    Histogram.Builder floats = Histogram.newBuilder().setSampleCountFloat(6.5).setSampleSum(2).setSchema(2)
        .setZeroThreshold(0.01).setZeroCountFloat(0.5)
        .addPositiveSpan(BucketSpan.newBuilder().setOffset(3).setLength(2)).addAllPositiveCount(List.of(2.5, 3.5));
    byte[] body = ProtobufParserTest.delimited(
        ProtobufParserTest.family("jobs_total", MetricType.COUNTER,
            ProtobufParserTest.metric("queue", "q1").setCounter(Counter.newBuilder().setValue(42))),
        ProtobufParserTest.family("wait_seconds", MetricType.HISTOGRAM,
            ProtobufParserTest.metric("kind", "ints").setHistogram(ProtobufParserTest.nativeInts()),
            ProtobufParserTest.metric("kind", "floats").setHistogram(floats)),
        ProtobufParserTest.family("size_bytes", MetricType.HISTOGRAM,
            ProtobufParserTest.metric().setHistogram(Histogram.newBuilder().setSampleCount(3).setSampleSum(30)
                .addBucket(Bucket.newBuilder().setUpperBound(10).setCumulativeCount(1)))));
    try (ReplayProxy exporter = new ReplayProxy()) {
      exporter.serve("/metrics", ExpositionBodies.PROTOBUF, body);
      VigilCollector vigil = new VigilCollector("""
          scrape_configs:
            - job_name: pb
              scrape_native_histograms: true
              scrape_protocols: [PrometheusProto, OpenMetricsText1.0.0, PrometheusText0.0.4]
              static_configs:
                - targets: ['%s']
          """.formatted(exporter.address()));
      vigil.scrapeAll(1);
      assertThat(vigil.loops().get(0).lastResult().error()).isEmpty();
      assertThat(exporter.lastAccept("/metrics")).isEqualTo(
          "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,"
              + "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,"
              + "text/plain;version=0.0.4;q=0.4,*/*;q=0.3");
      Map<Labels, Latest> stored = vigil.latest("job", "pb");
      String instance = exporter.address();
      assertThat(stored.get(Labels.of("__name__", "jobs_total", "instance", instance, "job", "pb", "queue", "q1")).v())
          .isEqualTo(42);
      assertThat(stored.get(Labels.of("__name__", "wait_seconds", "instance", instance, "job", "pb", "kind", "ints")).h())
          .isEqualTo(ProtobufParserTest.expectedInts(CounterResetHint.UNKNOWN));
      assertThat(stored.get(Labels.of("__name__", "wait_seconds", "instance", instance, "job", "pb", "kind", "floats")).h())
          .isEqualTo(new FloatHistogram(CounterResetHint.UNKNOWN, 2, 0.01, 0.5, 6.5, 2,
              List.of(new Span(3, 2)), new double[] {2.5, 3.5}, List.of(), new double[0], null));
      assertThat(stored.get(Labels.of("__name__", "size_bytes_bucket", "instance", instance, "job", "pb", "le", "+Inf")).v())
          .isEqualTo(3);
      assertThat(stored.get(Labels.of("__name__", "scrape_samples_scraped", "instance", instance, "job", "pb")).v())
          .as("a native histogram is one sample").isEqualTo(1 + 2 + 4);
    }
  }

  @Test
  void createdTimestampsGoToTheStoreWithTheirSamples() throws Exception {
    com.google.protobuf.Timestamp created = com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(1_700_000_000L).setNanos(5_000_000).build();
    byte[] body = ProtobufParserTest.delimited(
        ProtobufParserTest.family("jobs_total", MetricType.COUNTER,
            ProtobufParserTest.metric("queue", "q1").setCounter(Counter.newBuilder().setValue(42)
                .setCreatedTimestamp(created)),
            ProtobufParserTest.metric("queue", "q2").setCounter(Counter.newBuilder().setValue(1))),
        ProtobufParserTest.family("wait_seconds", MetricType.HISTOGRAM,
            ProtobufParserTest.metric().setHistogram(ProtobufParserTest.nativeInts()
                .setCreatedTimestamp(created))));
    try (ReplayProxy exporter = new ReplayProxy()) {
      exporter.serve("/metrics", ExpositionBodies.PROTOBUF, body);
      VigilCollector vigil = new VigilCollector("""
          scrape_configs:
            - job_name: pb
              scrape_native_histograms: true
              scrape_protocols: [PrometheusProto]
              static_configs:
                - targets: ['%s']
          """.formatted(exporter.address()));
      vigil.scrapeAll(1);
      assertThat(vigil.loops().get(0).lastResult().error()).isEmpty();
      Map<Labels, Latest> stored = vigil.latest("job", "pb");
      String instance = exporter.address();
      assertThat(stored.get(Labels.of("__name__", "jobs_total", "instance", instance, "job", "pb",
          "queue", "q1")).st()).isEqualTo(1_700_000_000_005L);
      assertThat(stored.get(Labels.of("__name__", "jobs_total", "instance", instance, "job", "pb",
          "queue", "q2")).st()).isZero();
      assertThat(stored.get(Labels.of("__name__", "wait_seconds", "instance", instance, "job",
          "pb")).st()).isEqualTo(1_700_000_000_005L);
    }
  }

  /** Prometheus 3's scrape_native_histograms and always_scrape_classic_histograms, per job. */
  @Test
  void histogramSettingsOfTheJobDecideNativeAndClassicSeries() throws Exception {
    Histogram.Builder both = ProtobufParserTest.nativeInts()
        .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(5));
    byte[] body = ProtobufParserTest.delimited(
        ProtobufParserTest.family("dual", MetricType.HISTOGRAM, ProtobufParserTest.metric().setHistogram(both)),
        ProtobufParserTest.family("only_native", MetricType.HISTOGRAM,
            ProtobufParserTest.metric().setHistogram(ProtobufParserTest.nativeInts())));
    try (ReplayProxy exporter = new ReplayProxy()) {
      exporter.serve("/metrics", ExpositionBodies.PROTOBUF, body);
      VigilCollector vigil = new VigilCollector("""
          scrape_configs:
            - job_name: off
              scrape_protocols: [PrometheusProto]
              static_configs: [{targets: ['%1$s']}]
            - job_name: native
              scrape_native_histograms: true
              static_configs: [{targets: ['%1$s']}]
            - job_name: native_and_classic
              scrape_native_histograms: true
              always_scrape_classic_histograms: true
              static_configs: [{targets: ['%1$s']}]
          """.formatted(exporter.address()));
      vigil.scrapeAll(1);
      for (var loop : vigil.loops()) {
        assertThat(loop.lastResult().error()).isEmpty();
      }
      // Off (Prometheus 3's default): every histogram is read as classic, native buckets unread.
      assertThat(names(vigil.latest("job", "off"))).containsExactlyInAnyOrder(
          "dual_count 12.0", "dual_sum 42.5", "dual_bucket{le=1.0} 5.0", "dual_bucket{le=+Inf} 12.0",
          "only_native_count 12.0", "only_native_sum 42.5", "only_native_bucket{le=+Inf} 12.0");
      assertThat(names(vigil.latest("job", "native"))).containsExactlyInAnyOrder("dual histogram", "only_native histogram");
      assertThat(names(vigil.latest("job", "native_and_classic"))).containsExactlyInAnyOrder("dual histogram",
          "dual_count 12.0", "dual_sum 42.5", "dual_bucket{le=1.0} 5.0", "dual_bucket{le=+Inf} 12.0",
          "only_native histogram");
      assertThat(vigil.latest("job", "native").get(Labels.of("__name__", "dual", "instance", exporter.address(),
          "job", "native")).h()).isEqualTo(ProtobufParserTest.expectedInts(CounterResetHint.UNKNOWN));
    }
  }

  /** The scraped series without report series, as "name{le=..} value" or "name histogram". */
  private static List<String> names(Map<Labels, Latest> stored) {
    List<String> out = new java.util.ArrayList<>();
    stored.forEach((l, s) -> {
      String name = l.metricName();
      if (name.equals("up") || name.startsWith("scrape_")) {
        return;
      }
      String le = l.get("le");
      out.add(name + (le.isEmpty() ? "" : "{le=" + le + "}") + (s.h() != null ? " histogram" : " " + s.v()));
    });
    return out;
  }

  @Test
  void aBrokenBodyFailsTheScrapeWithTheByteOffset() throws Exception {
    byte[] good = ProtobufParserTest.delimited(ProtobufParserTest.family("jobs_total", MetricType.COUNTER,
        ProtobufParserTest.metric().setCounter(Counter.newBuilder().setValue(1))));
    try (ReplayProxy exporter = new ReplayProxy()) {
      exporter.serve("/metrics", ExpositionBodies.PROTOBUF, java.util.Arrays.copyOf(good, good.length - 2));
      VigilCollector vigil = new VigilCollector("""
          scrape_configs:
            - job_name: pb
              static_configs:
                - targets: ['%s']
          """.formatted(exporter.address()));
      vigil.scrapeAll(1);
      assertThat(vigil.loops().get(0).lastResult().error()).isEqualTo(
          "parse error at byte 0: message of " + (good.length - 1) + " bytes but only " + (good.length - 3)
              + " left in the body");
      assertThat(vigil.latest("job", "pb").keySet()).extracting(Labels::metricName)
          .doesNotContain("jobs_total").contains("up");
    }
  }
}
