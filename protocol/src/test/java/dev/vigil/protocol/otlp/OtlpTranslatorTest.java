package dev.vigil.protocol.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.AnyValue;
import dev.vigil.protocol.otlp.pb.ExponentialHistogram;
import dev.vigil.protocol.otlp.pb.ExponentialHistogramDataPoint;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Gauge;
import dev.vigil.protocol.otlp.pb.Histogram;
import dev.vigil.protocol.otlp.pb.HistogramDataPoint;
import dev.vigil.protocol.otlp.pb.KeyValue;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.Resource;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.otlp.pb.Sum;
import dev.vigil.protocol.otlp.pb.Summary;
import dev.vigil.protocol.otlp.pb.SummaryDataPoint;
import dev.vigil.protocol.remote.MalformedBodyException;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.protocol.remote.RejectReason;
import dev.vigil.protocol.remote.ValidationLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtlpTranslatorTest {
  private static final long T = 1_700_000_000_123_000_000L; // ns; 1700000000123 ms

  static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  /** One resource (service "shop/cart", instance "i-1", pod "p-7") with one metric of each kind. */
  static ExportMetricsServiceRequest request() {
    Metric gauge = Metric.newBuilder().setName("system.cpu.utilization").setUnit("1")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .addAttributes(kv("cpu", "0")).setTimeUnixNano(T).setAsDouble(0.25)))
        .build();
    Metric counter = Metric.newBuilder().setName("http.requests").setUnit("{request}")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().addAttributes(kv("http.method", "GET"))
                .setTimeUnixNano(T).setAsInt(42)))
        .build();
    Metric delta = Metric.newBuilder().setName("delta.requests")
        .setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(1)))
        .build();
    Metric histogram = Metric.newBuilder().setName("http.server.duration").setUnit("s")
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T).setCount(6)
                .setSum(2.5).addExplicitBounds(0.1).addExplicitBounds(1)
                .addBucketCounts(1).addBucketCounts(3).addBucketCounts(2)))
        .build();
    Metric exp = Metric.newBuilder().setName("rpc.latency").setUnit("ms")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T)
                .setScale(0).setCount(4).setSum(10).setZeroCount(1)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(0)
                    .addBucketCounts(2).addBucketCounts(1))))
        .build();
    Metric summary = Metric.newBuilder().setName("gc.pause").setUnit("s")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .setTimeUnixNano(T).setCount(3).setSum(0.3)
            .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5)
                .setValue(0.1))))
        .build();
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", "cart"))
                .addAttributes(kv("service.namespace", "shop"))
                .addAttributes(kv("service.instance.id", "i-1"))
                .addAttributes(kv("k8s.pod.name", "p-7")))
            .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(counter)
                .addMetrics(delta).addMetrics(histogram).addMetrics(exp).addMetrics(summary)))
        .build();
  }

  static List<String> dump(InMemoryStorage store) {
    return dump(store, (labels, it, k) -> labels.toMetricString() + " " + it.atT() + " "
        + (k == ValueKind.FLOAT ? Double.toString(it.atF()) : it.atHistogram().toString()));
  }

  /** How {@link #dump(InMemoryStorage, SampleFormat)} writes one sample. */
  interface SampleFormat {
    String of(dev.vigil.model.labels.Labels labels, SampleIterator it, ValueKind kind);
  }

  /** Every sample of the store, in order, as {@code format} writes it. */
  static List<String> dump(InMemoryStorage store, SampleFormat format) {
    List<String> out = new ArrayList<>();
    try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          out.add(format.of(set.at().labels(), it, k));
        }
      }
    }
    return out;
  }

  @Test
  void everyMetricKindTranslatesLikePrometheus() {
    InMemoryStorage store = new InMemoryStorage();
    PushStats stats = new PushStats();
    Appender app = store.appender();
    OtlpTranslator translator = new OtlpTranslator(ValidationLimits.MIMIR_DEFAULTS);
    List<dev.vigil.protocol.remote.MetricMetadata> metadata = new java.util.ArrayList<>();
    translator.translate(request(), app, stats, metadata::add);
    app.commit();
    assertThat(translator.parseErrors()).containsExactly(
        "invalid temporality and type combination for metric \"delta.requests\"");
    assertThat(metadata).extracting(m -> m.family() + " " + m.type().promName() + " "
        + m.unit() + " " + m.help()).contains(
        "http_requests_total counter  ", "http_server_duration_seconds histogram seconds ",
        "system_cpu_utilization_ratio gauge  ", "gc_pause_seconds summary seconds ");
    String id = "instance=\"i-1\", job=\"shop/cart\"";
    assertThat(dump(store)).containsExactly(
        "gc_pause_seconds{" + id + ", quantile=\"0.5\"} 1700000000123 0.1",
        "gc_pause_seconds_count{" + id + "} 1700000000123 3.0",
        "gc_pause_seconds_sum{" + id + "} 1700000000123 0.3",
        "http_requests_total{http_method=\"GET\", " + id + "} 1700000000123 42.0",
        "http_server_duration_seconds_bucket{" + id + ", le=\"+Inf\"} 1700000000123 6.0",
        "http_server_duration_seconds_bucket{" + id + ", le=\"0.1\"} 1700000000123 1.0",
        "http_server_duration_seconds_bucket{" + id + ", le=\"1\"} 1700000000123 4.0",
        "http_server_duration_seconds_count{" + id + "} 1700000000123 6.0",
        "http_server_duration_seconds_sum{" + id + "} 1700000000123 2.5",
        "rpc_latency_milliseconds{" + id + "} 1700000000123 {schema:0 count:4.0 sum:10.0 "
            + "z_bucket:1.0 z_bucket_w:2.938735877055719E-39 pos:[Span[offset=1, length=2]]"
            + "[2.0, 1.0] neg:[][] hint:UNKNOWN}",
        "system_cpu_utilization_ratio{cpu=\"0\", " + id + "} 1700000000123 0.25",
        "target_info{" + id + ", k8s_pod_name=\"p-7\"} 1700000000123 1.0");
    assertThat(stats.rejected(RejectReason.UNSUPPORTED_OTLP)).isEqualTo(1);
    // Mimir's translator: dropped and reported, but not a refusal of the points that did go in.
    assertThat(stats.firstError()).isNull();
  }

  @Test
  void startTimesOfCumulativePointsBecomeTheCountersStartTimestamps() {
    long start = T - 60_000_000_000L; // a minute before the points
    var req = request().toBuilder();
    var scope = req.getResourceMetricsBuilder(0).getScopeMetricsBuilder(0);
    for (Metric.Builder m : scope.getMetricsBuilderList()) {
      switch (m.getDataCase()) {
        case GAUGE -> m.getGaugeBuilder().getDataPointsBuilder(0).setStartTimeUnixNano(start);
        case SUM -> m.getSumBuilder().getDataPointsBuilder(0).setStartTimeUnixNano(start);
        case HISTOGRAM -> m.getHistogramBuilder().getDataPointsBuilder(0)
            .setStartTimeUnixNano(start);
        case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramBuilder().getDataPointsBuilder(0)
            .setStartTimeUnixNano(start);
        case SUMMARY -> m.getSummaryBuilder().getDataPointsBuilder(0).setStartTimeUnixNano(start);
        default -> throw new AssertionError(m.getDataCase());
      }
    }
    // A non-monotonic sum is a gauge: its start time is not a counter's start.
    scope.addMetrics(Metric.newBuilder().setName("queue.length").setSum(Sum.newBuilder()
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setStartTimeUnixNano(start)
            .setAsInt(3))));
    InMemoryStorage store = new InMemoryStorage();
    Appender app = store.appender();
    new OtlpTranslator(ValidationLimits.MIMIR_DEFAULTS).translate(req.build(), app,
        new PushStats(), m -> { });
    app.commit();
    long st = 1_699_999_940_123L;
    assertThat(dump(store, (labels, it, k) -> labels.get("__name__") + labels.get("le") + " "
        + it.atST())).containsExactly("gc_pause_seconds 0", "gc_pause_seconds_count " + st,
        "gc_pause_seconds_sum " + st, "http_requests_total " + st,
        "http_server_duration_seconds_bucket+Inf " + st,
        "http_server_duration_seconds_bucket0.1 " + st,
        "http_server_duration_seconds_bucket1 " + st,
        "http_server_duration_seconds_count " + st, "http_server_duration_seconds_sum " + st,
        "queue_length 0", "rpc_latency_milliseconds " + st, "system_cpu_utilization_ratio 0",
        "target_info 0");
  }

  @Test
  void jsonAndProtobufBodiesParseToTheSameRequest() throws Exception {
    byte[] pb = request().toByteArray();
    String json = com.google.protobuf.util.JsonFormat.printer().print(request());
    byte[] jb = json.getBytes(StandardCharsets.UTF_8);
    assertThat(OtlpRequests.parse(pb, pb.length, false)).isEqualTo(request());
    assertThat(OtlpRequests.parse(jb, jb.length, true)).isEqualTo(request());
  }

  @Test
  void malformedBodiesFailCleanly() {
    byte[] junk = {0x0a, 0x7f, 0x01};
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OtlpRequests.parse(junk, 3, false))
        .isInstanceOf(MalformedBodyException.class).hasMessageStartingWith("malformed OTLP");
    byte[] badJson = "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> OtlpRequests.parse(badJson, badJson.length, true))
        .isInstanceOf(MalformedBodyException.class).hasMessageStartingWith("malformed OTLP JSON");
  }
}
