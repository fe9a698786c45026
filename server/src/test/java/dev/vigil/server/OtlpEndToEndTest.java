package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.AnyValue;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.KeyValue;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.Resource;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.otlp.pb.Sum;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/HTTP in (protobuf+gzip and JSON), Prometheus API out. */
class OtlpEndToEndTest {
  private static ExportMetricsServiceRequest counter(String service, long tNanos, long value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("http.server.requests").setUnit("{request}")
            .setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(tNanos)
                    .setAsInt(value))))))
        .build();
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
  void protobufGzipAndJsonBodiesAreStoredUnderPrometheusNames(@TempDir Path dir)
      throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir))) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
        gz.write(counter("cart", 10_000_000_000L, 5).toByteArray());
      }
      HttpResponse<byte[]> pb = post(s, "application/x-protobuf", "gzip", zipped.toByteArray());
      assertThat(pb.statusCode()).as(new String(pb.body(), StandardCharsets.UTF_8))
          .isEqualTo(200);
      assertThat(pb.headers().firstValue("Content-Type")).contains("application/x-protobuf");

      String json = com.google.protobuf.util.JsonFormat.printer()
          .print(counter("cart", 20_000_000_000L, 9));
      HttpResponse<byte[]> js = post(s, "application/json", null,
          json.getBytes(StandardCharsets.UTF_8));
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(new String(js.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

      assertThat(s.get("otel", "/api/v1/query_range?query=http_server_requests_total"
          + "&start=10&end=20&step=10").body()).isEqualTo("{\"status\":\"success\",\"data\":{"
          + "\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"__name__\":"
          + "\"http_server_requests_total\",\"job\":\"cart\"},\"values\":[[10,\"5\"],"
          + "[20,\"9\"]]}]}}");
    }
  }

  @Test
  void badOtlpBodiesAre4xx(@TempDir Path dir) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withStorage(StorageEngine.MEMORY))) {
      assertThat(post(s, "application/x-protobuf", null, new byte[] {0x0a, 0x7f}).statusCode())
          .isEqualTo(400);
      assertThat(post(s, "application/x-protobuf", "gzip", new byte[] {1, 2, 3}).statusCode())
          .isEqualTo(400);
      assertThat(post(s, "text/plain", null, new byte[0]).statusCode()).isEqualTo(415);
      assertThat(post(s, "application/json", "br", new byte[0]).statusCode()).isEqualTo(415);
    }
  }
}
