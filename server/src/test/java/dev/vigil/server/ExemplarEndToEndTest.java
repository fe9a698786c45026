package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Histogram;
import dev.vigil.protocol.otlp.pb.HistogramDataPoint;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.Exemplar;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Request;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exemplars end to end: pushed by remote write 1.0, 2.0 and OTLP, stored per tenant in the
 * TSDB, read through {@code /api/v1/query_exemplars}, and still there after a restart.
 */
class ExemplarEndToEndTest {
  private static final String V1 = RemoteWriteVersion.V1.contentType();
  private static final String V2 = RemoteWriteVersion.V2.contentType();

  @TempDir Path dataDir;

  static Exemplar.Builder exemplar(double v, long t, String... nameValues) {
    Exemplar.Builder b = Exemplar.newBuilder().setValue(v).setTimestamp(t);
    for (int i = 0; i < nameValues.length; i += 2) {
      b.addLabels(Label.newBuilder().setName(nameValues[i]).setValue(nameValues[i + 1]));
    }
    return b;
  }

  static String q(String s) {
    return ServerEndToEndTest.q(s);
  }

  static JsonElement json(String s) {
    return JsonParser.parseString(s);
  }

  private static HttpResponse<String> exemplars(TestServer s, String tenant, String query)
      throws Exception {
    return s.get(tenant, "/api/v1/query_exemplars?query=" + q(query) + "&start=0&end=100");
  }

  private static final String RW1_ANSWER = """
      {"status":"success","data":[
        {"seriesLabels":{"__name__":"http_requests_total","job":"api"},
         "exemplars":[
           {"labels":{"trace_id":"aaa"},"value":"1.5","timestamp":9.5},
           {"labels":{"span_id":"s1","trace_id":"bbb"},"value":"2","timestamp":19.999}]}]}""";

  private static final String RW2_ANSWER = """
      {"status":"success","data":[
        {"seriesLabels":{"__name__":"latency_seconds_bucket","le":"0.5"},
         "exemplars":[{"labels":{"trace_id":"ccc"},"value":"0.25","timestamp":30}]}]}""";

  private static final String OTLP_ANSWER = """
      {"status":"success","data":[
        {"seriesLabels":{"__name__":"rpc_seconds_bucket","le":"1"},
         "exemplars":[{"labels":{"span_id":"0102030405060708",
                                 "trace_id":"0102030405060708090a0b0c0d0e0f10"},
                       "value":"0.7","timestamp":40.001}]}]}""";

  private void ingest(TestServer s) throws Exception {
    WriteRequest rw1 = WriteRequest.newBuilder()
        .addTimeseries(ServerEndToEndTest.series("__name__", "http_requests_total", "job", "api")
            .addSamples(ServerEndToEndTest.sample(10_000, 5))
            .addSamples(ServerEndToEndTest.sample(20_000, 7))
            .addExemplars(exemplar(1.5, 9_500, "trace_id", "aaa"))
            .addExemplars(exemplar(2, 19_999, "trace_id", "bbb", "span_id", "s1"))
            .addExemplars(exemplar(3, 15_000, "trace_id", "late")) // out of order: dropped
            .addExemplars(exemplar(4, 19_000))) // no labels: dropped
        .build();
    HttpResponse<String> r = s.push("ex", V1, rw1.toByteArray());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    Request rw2 = Request.newBuilder().addSymbols("").addSymbols("__name__")
        .addSymbols("latency_seconds_bucket").addSymbols("le").addSymbols("0.5")
        .addSymbols("trace_id").addSymbols("ccc")
        .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
            .addLabelsRefs(1).addLabelsRefs(2).addLabelsRefs(3).addLabelsRefs(4)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                .setTimestamp(30_000).setValue(3))
            .addExemplars(dev.vigil.protocol.remote.v2.pb.Exemplar.newBuilder()
                .addLabelsRefs(5).addLabelsRefs(6).setValue(0.25).setTimestamp(30_000)))
        .build();
    HttpResponse<String> r2 = s.push("ex", V2, rw2.toByteArray());
    assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
    assertThat(r2.headers().firstValue("X-Prometheus-Remote-Write-Exemplars-Written"))
        .contains("1");

    long t = 40_001_000_000L; // ns
    ExportMetricsServiceRequest otlp = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("rpc").setUnit("s").setHistogram(
                Histogram.newBuilder().setAggregationTemporality(
                        AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(t)
                        .setCount(2).setSum(1.2).addExplicitBounds(0.5).addExplicitBounds(1)
                        .addBucketCounts(1).addBucketCounts(1).addBucketCounts(0)
                        .addExemplars(dev.vigil.protocol.otlp.pb.Exemplar.newBuilder()
                            .setAsDouble(0.7).setTimeUnixNano(t)
                            .setTraceId(ByteString.copyFrom(HexFormat.of()
                                .parseHex("0102030405060708090a0b0c0d0e0f10")))
                            .setSpanId(ByteString.copyFrom(HexFormat.of()
                                .parseHex("0102030405060708")))))))))
        .build();
    HttpResponse<String> r3 = s.pushOtlp("ex", otlp.toByteArray());
    assertThat(r3.statusCode()).as(r3.body()).isEqualTo(200);
  }

  private static void assertAnswers(TestServer s) throws Exception {
    assertThat(json(exemplars(s, "ex", "http_requests_total").body())).isEqualTo(json(RW1_ANSWER));
    assertThat(json(exemplars(s, "ex", "rate(latency_seconds_bucket[5m])").body()))
        .isEqualTo(json(RW2_ANSWER));
    assertThat(json(exemplars(s, "ex", "sum by (le) (rpc_seconds_bucket{le=\"1\"})").body()))
        .isEqualTo(json(OTLP_ANSWER));
    // Several selectors: their series together, sorted by labels; a narrower time range.
    HttpResponse<String> both = s.get("ex", "/api/v1/query_exemplars?query="
        + q("http_requests_total / on() group_left latency_seconds_bucket") + "&start=19&end=35");
    assertThat(json(both.body()).getAsJsonObject().getAsJsonArray("data").toString())
        .isEqualTo(json("""
            [{"seriesLabels":{"__name__":"http_requests_total","job":"api"},
              "exemplars":[{"labels":{"span_id":"s1","trace_id":"bbb"},"value":"2",
                            "timestamp":19.999}]},
             {"seriesLabels":{"__name__":"latency_seconds_bucket","le":"0.5"},
              "exemplars":[{"labels":{"trace_id":"ccc"},"value":"0.25","timestamp":30}]}]
            """).toString());
    // Another tenant sees nothing of them.
    assertThat(json(exemplars(s, "other", "http_requests_total").body()))
        .isEqualTo(json("{\"status\":\"success\",\"data\":[]}"));
  }

  @Test
  void pushedExemplarsAreQueryableAndSurviveARestart() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dataDir))) {
      ingest(s);
      assertAnswers(s);
      String metrics = s.get(null, "/metrics").body();
      assertThat(metrics).contains("vigil_distributor_received_exemplars_total{user=\"ex\"} 4.0")
          .contains("vigil_discarded_exemplars_total{reason=\"exemplar_labels_missing\","
              + "user=\"ex\"} 1.0")
          .contains("vigil_discarded_exemplars_total{reason=\"storage_rejected\",user=\"ex\"}"
              + " 1.0")
          .contains("vigil_ingester_tsdb_exemplar_exemplars_in_storage 4.0")
          .contains("vigil_ingester_tsdb_exemplar_series_with_exemplars_in_storage 3.0");
    }
    try (TestServer s = new TestServer(TestServer.config(dataDir))) {
      assertAnswers(s); // replayed from the WAL
    }
  }

  @Test
  void errorsAndQueriesWithoutSelectorsAnswerAsPrometheus() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dataDir))) {
      HttpResponse<String> bad = exemplars(s, "ex", "sum(");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(json(bad.body()).getAsJsonObject().get("errorType").getAsString())
          .isEqualTo("bad_data");
      assertThat(json(bad.body()).getAsJsonObject().get("error").getAsString())
          .startsWith("1:5: parse error");
      HttpResponse<String> backwards = s.get("ex", "/api/v1/query_exemplars?query=up&start=10"
          + "&end=5");
      assertThat(backwards.statusCode()).isEqualTo(400);
      assertThat(backwards.body())
          .contains("end timestamp must not be before start timestamp");
      HttpResponse<String> noSelector = exemplars(s, "ex", "1 + 2");
      assertThat(noSelector.statusCode()).isEqualTo(204);
      assertThat(noSelector.body()).isEmpty();
      HttpResponse<String> post = s.postForm("ex", "/api/v1/query_exemplars",
          "query=" + q("up") + "&start=0&end=1");
      assertThat(json(post.body())).isEqualTo(json("{\"status\":\"success\",\"data\":[]}"));
    }
  }
}
