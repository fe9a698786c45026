package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.Sample;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Request;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a real server (TSDB storage, multi-tenancy on) over loopback HTTP: pushes remote write
 * 1.0 and 2.0 bodies and reads them back through the Prometheus API.
 */
class ServerEndToEndTest {
  private static final String V1 = RemoteWriteVersion.V1.contentType();
  private static final String V2 = RemoteWriteVersion.V2.contentType();

  @TempDir static Path dataDir;
  static TestServer s;

  static TimeSeries.Builder series(String... nameValues) {
    TimeSeries.Builder ts = TimeSeries.newBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      ts.addLabels(Label.newBuilder().setName(nameValues[i]).setValue(nameValues[i + 1]));
    }
    return ts;
  }

  static Sample sample(long t, double v) {
    return Sample.newBuilder().setTimestamp(t).setValue(v).build();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @BeforeAll
  static void startAndIngest() throws Exception {
    s = new TestServer(TestServer.config(dataDir));
    WriteRequest a = WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "up", "instance", "a:9100", "job", "node")
            .addSamples(sample(10_000, 1)).addSamples(sample(20_000, 0)))
        .addTimeseries(series("__name__", "http_requests_total", "code", "200", "job", "api")
            .addSamples(sample(10_000, 5)).addSamples(sample(20_000, 15)))
        .build();
    HttpResponse<String> r = s.push("team-a", V1, a.toByteArray());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

    Request b = Request.newBuilder().addSymbols("").addSymbols("__name__").addSymbols("up")
        .addSymbols("job").addSymbols("edge")
        .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
            .addLabelsRefs(1).addLabelsRefs(2).addLabelsRefs(3).addLabelsRefs(4)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                .setTimestamp(20_000).setValue(1)))
        .build();
    HttpResponse<String> r2 = s.push("team-b", V2, b.toByteArray());
    assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
    assertThat(r2.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written"))
        .contains("1");
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void instantQueryReturnsPrometheusJson() throws Exception {
    HttpResponse<String> r = s.get("team-a", "/api/v1/query?query=up&time=20");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
        + "\"value\":[20,\"0\"]}]}}");
  }

  @Test
  void statsAndTsdbStatusOnRequest() throws Exception {
    String withStats = s.get("team-a", "/api/v1/query?query=up&time=20&stats=all").body();
    assertThat(withStats).contains("\"stats\":{\"timings\":{\"evalTotalTime\":")
        .contains("\"samples\":{\"totalQueryableSamples\":");
    String status = s.get("team-a", "/api/v1/status/tsdb").body();
    assertThat(status).startsWith("{\"status\":\"success\",\"data\":{\"headStats\":"
            + "{\"numSeries\":2,\"numLabelPairs\":6,\"chunkCount\":0,\"minTime\":10000,"
            + "\"maxTime\":20000},\"seriesCountByMetricName\":[{\"name\":\"http_requests_total\","
            + "\"value\":1},{\"name\":\"up\",\"value\":1}],\"labelValueCountByLabelName\":"
            + "[{\"name\":\"__name__\",\"value\":2},");
  }

  @Test
  void queriesWorkUnderThePrometheusPrefixAndAsFormPosts() throws Exception {
    HttpResponse<String> r = s.postForm("team-a", "/prometheus/api/v1/query",
        "query=" + q("sum(rate(http_requests_total[1m]))") + "&time=20.5");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[{\"metric\":{},\"value\":[20.500,\"0.2583333333333333\"]}]}}");
    HttpResponse<String> scalar = s.get("team-a", "/api/v1/query?query=1%2B1");
    assertThat(scalar.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"scalar\",\"result\":[100,\"2\"]}}");
  }

  @Test
  void rangeQueryReturnsAMatrix() throws Exception {
    HttpResponse<String> r = s.get("team-a",
        "/api/v1/query_range?query=up&start=1970-01-01T00:00:10Z&end=20&step=5s");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
        + "\"result\":[{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"},"
        + "\"values\":[[10,\"1\"],[15,\"1\"],[20,\"0\"]]}]}}");
  }

  @Test
  void seriesLabelsAndLabelValues() throws Exception {
    assertThat(s.get("team-a", "/api/v1/series?match[]=" + q("{job=~\".+\"}")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":["
            + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},"
            + "{\"__name__\":\"up\",\"instance\":\"a:9100\",\"job\":\"node\"}]}");
    assertThat(s.get("team-a", "/api/v1/labels").body()).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"__name__\",\"code\",\"instance\",\"job\"]}");
    assertThat(s.get("team-a", "/api/v1/label/job/values").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"node\"]}");
    assertThat(s.get("team-a", "/prometheus/api/v1/label/job/values?match[]=up").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"node\"]}");
    assertThat(s.get("team-a", "/api/v1/labels?limit=1").body()).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"__name__\"],"
            + "\"warnings\":[\"results truncated due to limit\"]}");
  }

  @Test
  void tenantsAreIsolatedAndFederatedReadsMergeThem() throws Exception {
    assertThat(s.get("team-b", "/api/v1/query?query=up&time=20").body())
        .contains("\"job\":\"edge\"").doesNotContain("node");
    assertThat(s.get("nobody", "/api/v1/query?query=up&time=20").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
    HttpResponse<String> fed = s.get("team-b|team-a", "/api/v1/query?query=" + q("up")
        + "&time=20");
    assertThat(fed.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
        + "\"result\":[{\"metric\":{\"__name__\":\"up\",\"__tenant_id__\":\"team-a\","
        + "\"instance\":\"a:9100\",\"job\":\"node\"},\"value\":[20,\"0\"]},"
        + "{\"metric\":{\"__name__\":\"up\",\"__tenant_id__\":\"team-b\",\"job\":\"edge\"},"
        + "\"value\":[20,\"1\"]}]}}");
    assertThat(s.get("team-a|team-b", "/api/v1/label/__tenant_id__/values").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[\"team-a\",\"team-b\"]}");
  }

  @Test
  void missingAndInvalidTenantsAreRefused() throws Exception {
    HttpResponse<String> none = s.get(null, "/api/v1/query?query=up");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("no org id\n");
    HttpResponse<String> bad = s.get("a/b", "/api/v1/query?query=up");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("unsupported character '/'");
    assertThat(s.push(null, V1, WriteRequest.getDefaultInstance().toByteArray()).statusCode())
        .isEqualTo(401);
    assertThat(s.push("a|b", V1, WriteRequest.getDefaultInstance().toByteArray()).body())
        .startsWith("multiple org IDs present");
  }

  @Test
  void badPromqlIsBadData() throws Exception {
    HttpResponse<String> r = s.get("team-a", "/api/v1/query?query=" + q("sum(up"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"query\\\": 1:");
    HttpResponse<String> t = s.get("team-a", "/api/v1/query?query=up&time=later");
    assertThat(t.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
        + "\"invalid parameter \\\"time\\\": cannot parse \\\"later\\\" to a valid timestamp\"}");
  }

  @Test
  void rangeQueryLimitsAreEnforcedWithPrometheusMessages() throws Exception {
    HttpResponse<String> tooMany = s.get("team-a",
        "/api/v1/query_range?query=up&start=0&end=11001&step=1");
    assertThat(tooMany.statusCode()).isEqualTo(400);
    assertThat(tooMany.body()).contains("exceeded maximum resolution of 11,000 points per "
        + "timeseries. Try decreasing the query resolution (?step=XX)");
    assertThat(s.get("team-a", "/api/v1/query_range?query=up&start=0&end=11000&step=1")
        .statusCode()).isEqualTo(200);
    assertThat(s.get("team-a", "/api/v1/query_range?query=up&start=10&end=5&step=1").body())
        .contains("end timestamp must not be before start time");
    assertThat(s.get("team-a", "/api/v1/query_range?query=up&start=1&end=5&step=0").body())
        .contains("zero or negative query resolution step widths are not accepted");
  }

  @Test
  void badPushBodiesAnswer4xxAndKeepEarlierData() throws Exception {
    HttpResponse<String> notSnappy = s.pushRaw("team-a", V1, "snappy", new byte[] {1, 2, 3});
    assertThat(notSnappy.statusCode()).isEqualTo(400);
    assertThat(notSnappy.body()).startsWith("failed to decompress the remote write body");
    HttpResponse<String> garbage = s.push("team-a", V1, new byte[] {(byte) 0xff, 0x01, 0x02});
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.body()).startsWith("malformed remote write 1.0 WriteRequest");
    HttpResponse<String> wrongVersion = s.push("team-a", V2, WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "x").addSamples(sample(1, 1))).build().toByteArray());
    assertThat(wrongVersion.statusCode()).isEqualTo(400);
    assertThat(wrongVersion.body()).contains("is this a 1.0 WriteRequest?");
    assertThat(s.pushRaw("team-a", "application/json", "snappy", new byte[0]).statusCode())
        .isEqualTo(415);
    assertThat(s.pushRaw("team-a", V1, "gzip", new byte[0]).statusCode()).isEqualTo(415);
    HttpResponse<String> invalid = s.push("team-a", V1, WriteRequest.newBuilder()
        .addTimeseries(series("job", "x").addSamples(sample(1, 1))).build().toByteArray());
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.body()).contains("(err-mimir-missing-metric-name)");
    assertThat(s.get("team-a", "/api/v1/query?query=up&time=20").body()).contains("a:9100");
  }

  @Test
  void outOfOrderSamplesAre400AndEarlierDataStays() throws Exception {
    HttpResponse<String> r = s.push("team-a", V1, WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "up", "instance", "a:9100", "job", "node")
            .addSamples(sample(5_000, 7)))
        .build().toByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("out of order sample").contains("(err-mimir-sample-out-of-order)");
    assertThat(s.get("team-a", "/api/v1/query?query=up&time=20").body()).contains("[20,\"0\"]");
    assertThat(s.get(null, "/metrics").body()).contains(
        "vigil_discarded_samples_total{reason=\"sample-out-of-order\",user=\"team-a\"}");
  }

  /**
   * Another value at a series' newest timestamp: 400 with Mimir's error ID and reason, and a
   * text Grafana's recording-rule writer recognises; the same sample again is taken. (A tenant
   * of its own: the other tests count team-a's samples.)
   */
  @Test
  void anotherValueForAStoredTimestampIs400AndTheSameSampleAgainIsTaken() throws Exception {
    for (double v : new double[] {15, 16, 15}) {
      HttpResponse<String> r = s.push("team-dup", V1, WriteRequest.newBuilder()
          .addTimeseries(series("__name__", "http_requests_total", "job", "api")
              .addSamples(sample(20_000, v)))
          .build().toByteArray());
      if (v == 16) {
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("duplicate sample for timestamp")
            .contains("(err-mimir-sample-duplicate-timestamp)");
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
    }
    assertThat(s.get("team-dup", "/api/v1/query?query=http_requests_total&time=20").body())
        .contains("[20,\"15\"]");
    assertThat(s.get(null, "/metrics").body()).containsPattern("(?m)^vigil_discarded_samples_total"
        + "\\{reason=\"new-value-for-timestamp\",user=\"team-dup\"\\} 1(\\.0)?$");
  }

  @Test
  void nativeHistogramsComeBackInPrometheusHistogramJson() throws Exception {
    WriteRequest h = WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "latency_seconds")
            .addHistograms(dev.vigil.protocol.remote.v1.pb.Histogram.newBuilder().setCountInt(7)
                .setSum(3.5).setSchema(0).setZeroThreshold(0.001).setZeroCountInt(1)
                .addPositiveSpans(dev.vigil.protocol.remote.v1.pb.BucketSpan.newBuilder()
                    .setOffset(0).setLength(2))
                .addPositiveSpans(dev.vigil.protocol.remote.v1.pb.BucketSpan.newBuilder()
                    .setOffset(1).setLength(1))
                .addPositiveDeltas(1).addPositiveDeltas(2).addPositiveDeltas(-1)
                .setTimestamp(20_000)))
        .build();
    assertThat(s.push("team-h", V1, h.toByteArray()).statusCode()).isEqualTo(200);
    assertThat(s.get("team-h", "/api/v1/query?query=latency_seconds&time=20").body()).isEqualTo(
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"
            + "{\"__name__\":\"latency_seconds\"},\"histogram\":[20,{\"count\":\"7\",\"sum\":"
            + "\"3.5\",\"buckets\":[[3,\"-0.001\",\"0.001\",\"1\"],[0,\"0.5\",\"1\",\"1\"],"
            + "[0,\"1\",\"2\",\"3\"],[0,\"4\",\"8\",\"2\"]]}]}]}}");
  }

  @Test
  void statusEndpointsIdentifyAsMimirCompatible() throws Exception {
    String build = s.get(null, "/api/v1/status/buildinfo").body();
    assertThat(build).contains("\"application\":\"Grafana Mimir\"")
        .contains("\"features\":{\"ruler_config_api\":\"true\"");
    assertThat(s.get(null, "/prometheus/api/v1/status/flags").body())
        .contains("\"auth.multitenancy-enabled\":\"true\"");
    assertThat(s.get(null, "/api/v1/status/config").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"yaml\":\"\"}}");
    assertThat(s.get("no-metadata-yet", "/api/v1/metadata").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{}}");
    // Tenant data like every read (series without exemplars: an empty list); no tenant: 401.
    assertThat(s.get("team-a", "/api/v1/query_exemplars?query=up").body())
        .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertThat(s.get(null, "/api/v1/query_exemplars?query=up").statusCode()).isEqualTo(401);
    assertThat(s.get(null, "/api/v1/format_query?query=" + q("sum  by(job)(up)")).body())
        .isEqualTo("{\"status\":\"success\",\"data\":\"sum by (job) (up)\"}");
    assertThat(s.get(null, "/api/v1/parse_query?query=up").body()).isEqualTo(
        "{\"status\":\"success\",\"data\":{\"anchored\":false,\"matchers\":[{\"name\":"
            + "\"__name__\",\"type\":\"=\",\"value\":\"up\"}],\"name\":\"up\",\"offset\":0,"
            + "\"smoothed\":false,\"startOrEnd\":null,\"timestamp\":null,"
            + "\"type\":\"vectorSelector\"}}");
  }

  @Test
  void largeAnswersAreGzippedWhenTheClientAcceptsIt() throws Exception {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
            s.uri("/api/v1/query_range?query=up&start=0&end=1000&step=1"))
        .header("X-Scope-OrgID", "team-a").header("Accept-Encoding", "gzip").build();
    HttpResponse<byte[]> r = s.client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
    String json = new String(new java.util.zip.GZIPInputStream(
        new java.io.ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
    assertThat(json).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\"")
        .contains("[319,\"0\"]]"); // 5m lookback after the last sample at 20 s
    assertThat(s.get("team-a", "/api/v1/rules").body())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
  }

  @Test
  void healthReadinessAndSelfMetrics() throws Exception {
    assertThat(s.get(null, "/ready").body()).isEqualTo("ready\n");
    assertThat(s.get(null, "/-/healthy").statusCode()).isEqualTo(200);
    assertThat(s.get(null, "/nope").statusCode()).isEqualTo(404);
    String metrics = s.get(null, "/metrics").body();
    assertThat(metrics).contains("vigil_distributor_received_samples_total{user=\"team-a\"} 4")
        .contains("vigil_request_duration_seconds_count{method=\"POST\",route=\"api_v1_push\"");
  }
}
