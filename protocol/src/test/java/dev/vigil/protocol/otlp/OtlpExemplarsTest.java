package dev.vigil.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.Exemplar;
import dev.vigil.protocol.otlp.pb.ExponentialHistogram;
import dev.vigil.protocol.otlp.pb.ExponentialHistogramDataPoint;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Histogram;
import dev.vigil.protocol.otlp.pb.HistogramDataPoint;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.otlp.pb.Sum;
import dev.vigil.protocol.remote.ExemplarRejectReason;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.protocol.remote.RecordingAppender;
import dev.vigil.protocol.remote.ValidationLimits;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** OTLP exemplars as Prometheus's OTLP translator stores them. */
class OtlpExemplarsTest {
  private static final long T = 1_700_000_000_123_000_000L; // ns
  private static final byte[] TRACE = HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10");
  private static final byte[] SPAN = HexFormat.of().parseHex("a1a2a3a4a5a6a7a8");

  private static Exemplar.Builder ex(double v, long tNanos) {
    return Exemplar.newBuilder().setAsDouble(v).setTimeUnixNano(tNanos)
        .setTraceId(ByteString.copyFrom(TRACE)).setSpanId(ByteString.copyFrom(SPAN));
  }

  private static ExportMetricsServiceRequest request(Metric... metrics) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (Metric m : metrics) {
      sm.addMetrics(m);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(sm)).build();
  }

  private final RecordingAppender app = new RecordingAppender();
  private final PushStats stats = new PushStats();

  private void translate(ExportMetricsServiceRequest req) {
    new OtlpTranslator(ValidationLimits.MIMIR_DEFAULTS).translate(req, app, stats);
  }

  @Test
  void sumExemplarsCarryTraceAndSpanIdsAndAttributes() {
    Metric counter = Metric.newBuilder().setName("requests")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(7)
                .addExemplars(Exemplar.newBuilder().setAsInt(3).setTimeUnixNano(T - 2_000_000)
                    .setTraceId(ByteString.copyFrom(TRACE)).setSpanId(ByteString.copyFrom(SPAN))
                    .addFilteredAttributes(OtlpTranslatorTest.kv("user", "u1")))
                .addExemplars(ex(1, T - 5_000_000)) // older: stored first
                .addExemplars(Exemplar.newBuilder().setAsDouble(2).setTimeUnixNano(T)
                    .setTraceId(ByteString.copyFrom(new byte[16]))))) // no ids: no labels
        .build();
    translate(request(counter));
    String span = "span_id=\"a1a2a3a4a5a6a7a8\"";
    String trace = "trace_id=\"0102030405060708090a0b0c0d0e0f10\"";
    assertThat(app.exemplars).containsExactly(
        "{__name__=\"requests_total\"} {" + span + ", " + trace + "} 1.0 @1700000000118",
        "{__name__=\"requests_total\"} {" + span + ", " + trace + ", user=\"u1\"} 3.0"
            + " @1700000000121");
    assertThat(stats.exemplarsReceived()).isEqualTo(3);
    assertThat(stats.exemplarsWritten()).isEqualTo(2);
    assertThat(stats.exemplarsRejected(ExemplarRejectReason.LABELS_MISSING)).isEqualTo(1);
  }

  @Test
  void eachTranslatedSeriesGetsItsMetricsMetadata() {
    Metric h = Metric.newBuilder().setName("lat").setUnit("s").setDescription("Latency.")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(1)
                .setSum(2).addExplicitBounds(1).addBucketCounts(1).addBucketCounts(0)))
        .build();
    translate(request(h));
    assertThat(app.metadata).containsExactlyInAnyOrder(
        "{__name__=\"lat_seconds_sum\"} histogram Latency. seconds",
        "{__name__=\"lat_seconds_count\"} histogram Latency. seconds",
        "{__name__=\"lat_seconds_bucket\", le=\"1\"} histogram Latency. seconds",
        "{__name__=\"lat_seconds_bucket\", le=\"+Inf\"} histogram Latency. seconds");
  }

  @Test
  void attributesThatWouldExceed128CharactersAreLeftOut() {
    Metric gauge = Metric.newBuilder().setName("g").setGauge(
        dev.vigil.protocol.otlp.pb.Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .setTimeUnixNano(T).setAsDouble(1).addExemplars(ex(1, T)
                .addFilteredAttributes(OtlpTranslatorTest.kv("note", "n".repeat(80))))))
        .build();
    translate(request(gauge));
    assertThat(app.exemplars).singleElement().asString().doesNotContain("note")
        .contains("trace_id");
  }

  @Test
  void histogramExemplarsGoToTheFirstBucketHoldingTheirValue() {
    Metric h = Metric.newBuilder().setName("lat").setUnit("s").setHistogram(Histogram.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(4).setSum(9)
            .addExplicitBounds(0.5).addExplicitBounds(1).addBucketCounts(1).addBucketCounts(1)
            .addBucketCounts(2)
            .addExemplars(ex(0.5, T - 3_000_000))
            .addExemplars(ex(0.7, T - 2_000_000))
            .addExemplars(ex(5, T - 1_000_000))
            .addExemplars(ex(Double.NaN, T))))
        .build();
    translate(request(h));
    assertThat(app.exemplars).extracting(s -> s.substring(0, s.indexOf('}') + 1)).containsExactly(
        "{__name__=\"lat_seconds_bucket\", le=\"0.5\"}",
        "{__name__=\"lat_seconds_bucket\", le=\"1\"}",
        "{__name__=\"lat_seconds_bucket\", le=\"+Inf\"}");
    assertThat(stats.exemplarsReceived()).isEqualTo(4);
    assertThat(stats.exemplarsWritten()).isEqualTo(3);
  }

  @Test
  void exponentialHistogramExemplarsGoToTheNativeHistogramSeries() {
    Metric h = Metric.newBuilder().setName("size").setExponentialHistogram(
        ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T)
                .setScale(0).setCount(1).setSum(3).setPositive(
                    ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                        .addBucketCounts(1))
                .addExemplars(ex(3, T))))
        .build();
    translate(request(h));
    assertThat(app.exemplars).singleElement().asString().startsWith("{__name__=\"size\"} {");
  }
}
