package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Gauge;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.otlp.pb.Status;
import dev.vigil.protocol.otlp.pb.Sum;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OTLP/HTTP error bodies ({@code google.rpc.Status} in the request's encoding) and Mimir's
 * handling of delta temporality (dropped; 400 only when nothing else could be stored).
 */
class OtlpStatusAndTemporalityTest {
  private static Metric sum(String name, AggregationTemporality temporality) {
    return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setIsMonotonic(true)
        .setAggregationTemporality(temporality).addDataPoints(NumberDataPoint.newBuilder()
            .setTimeUnixNano(50_000_000_000L).setAsInt(7))).build();
  }

  private static ExportMetricsServiceRequest request(Metric... metrics) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (Metric m : metrics) {
      sm.addMetrics(m);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(sm)).build();
  }

  private static HttpResponse<byte[]> post(TestServer s, String contentType, String encoding,
      byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/otlp/v1/metrics"))
        .header("Content-Type", contentType).header("X-Scope-OrgID", "otel");
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return s.client.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void errorsAreStatusMessagesInTheRequestsEncoding(@TempDir Path dir) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withStorage(StorageEngine.MEMORY))) {
      HttpResponse<byte[]> pb = post(s, "application/x-protobuf", null, new byte[] {0x0a, 0x7f});
      assertThat(pb.statusCode()).isEqualTo(400);
      assertThat(pb.headers().firstValue("Content-Type")).contains("application/x-protobuf");
      Status status = Status.parseFrom(pb.body());
      assertThat(status.getCode()).isEqualTo(3); // INVALID_ARGUMENT
      assertThat(status.getMessage()).startsWith("malformed OTLP protobuf");

      HttpResponse<byte[]> js = post(s, "application/json", null,
          "{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8));
      assertThat(js.statusCode()).isEqualTo(400);
      assertThat(js.headers().firstValue("Content-Type")).contains("application/json");
      Status.Builder parsed = Status.newBuilder();
      com.google.protobuf.util.JsonFormat.parser()
          .merge(new String(js.body(), StandardCharsets.UTF_8), parsed);
      assertThat(parsed.getCode()).isEqualTo(3);
      assertThat(parsed.getMessage()).startsWith("malformed OTLP JSON");

      HttpResponse<byte[]> ct = post(s, "text/plain", null, new byte[0]);
      assertThat(ct.statusCode()).isEqualTo(415);
      assertThat(Status.parseFrom(ct.body()).getMessage())
          .contains("unsupported Content-Type \"text/plain\"");
    }
  }

  @Test
  void deltaMetricsAreDroppedAndOnlyAnAllDeltaRequestIsRefused(@TempDir Path dir)
      throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withStorage(StorageEngine.MEMORY))) {
      HttpResponse<byte[]> mixed = post(s, "application/x-protobuf", null, request(
          sum("cumulative.requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE),
          sum("delta.requests", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA))
          .toByteArray());
      assertThat(mixed.statusCode()).as(new String(mixed.body(), StandardCharsets.UTF_8))
          .isEqualTo(200);
      assertThat(s.get("otel", "/api/v1/query?query=" + java.net.URLEncoder.encode(
          "count({__name__=~\".*requests.*\"})", StandardCharsets.UTF_8) + "&time=50").body())
          .contains("\"value\":[50,\"1\"]");
      assertThat(s.get(null, "/metrics").body()).contains(
          "vigil_discarded_samples_total{reason=\"otlp_unsupported\",user=\"otel\"} 1.0");

      HttpResponse<byte[]> onlyDelta = post(s, "application/x-protobuf", null, request(
          sum("delta.a", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA),
          sum("unspecified.b", AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED),
          Metric.newBuilder().setName("g").setGauge(Gauge.getDefaultInstance()).build())
          .toByteArray());
      assertThat(onlyDelta.statusCode()).isEqualTo(400);
      assertThat(Status.parseFrom(onlyDelta.body()).getMessage()).isEqualTo(
          "invalid temporality and type combination for metric \"delta.a\"; invalid temporality"
              + " and type combination for metric \"unspecified.b\"");
    }
  }
}
