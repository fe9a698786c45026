package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Gauge;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.MetricMetadata;
import dev.vigil.protocol.remote.v1.pb.Sample;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Metadata;
import dev.vigil.protocol.remote.v2.pb.Request;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata from remote write 1.0, 2.0 and OTLP, per tenant, served by /api/v1/metadata. */
class MetadataEndToEndTest {
  private static MetricMetadata.Builder meta(String family, MetricMetadata.MetricType type,
      String help) {
    return MetricMetadata.newBuilder().setMetricFamilyName(family).setType(type).setHelp(help);
  }

  private static String data(String json) {
    return "{\"status\":\"success\",\"data\":" + json + "}";
  }

  @Test
  void allThreeIngestPathsFeedTheTenantsMetadata(@TempDir Path dir) throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dir).withStorage(StorageEngine.MEMORY))) {
      WriteRequest v1 = WriteRequest.newBuilder()
          .addTimeseries(TimeSeries.newBuilder()
              .addLabels(Label.newBuilder().setName("__name__").setValue("up"))
              .addSamples(Sample.newBuilder().setTimestamp(50_000).setValue(1)))
          .addMetadata(meta("up", MetricMetadata.MetricType.GAUGE, "Target is up."))
          .addMetadata(meta("http_requests_total", MetricMetadata.MetricType.COUNTER,
              "Requests.").setUnit("requests"))
          .addMetadata(meta("http_requests_total", MetricMetadata.MetricType.COUNTER,
              "Requests (v2 help)."))
          .addMetadata(meta("up", MetricMetadata.MetricType.GAUGE, "Target is up."))
          .build();
      assertThat(s.push("team-a", RemoteWriteVersion.V1.contentType(), v1.toByteArray())
          .statusCode()).isEqualTo(200);
      Request v2 = Request.newBuilder().addSymbols("").addSymbols("__name__")
          .addSymbols("rpc_seconds_count").addSymbols("RPC latency.").addSymbols("seconds")
          .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
              .addLabelsRefs(1).addLabelsRefs(2)
              .setMetadata(Metadata.newBuilder()
                  .setType(Metadata.MetricType.METRIC_TYPE_SUMMARY).setHelpRef(3).setUnitRef(4))
              .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                  .setTimestamp(50_000).setValue(3)))
          .build();
      assertThat(s.push("team-a", RemoteWriteVersion.V2.contentType(), v2.toByteArray())
          .statusCode()).isEqualTo(200);
      ExportMetricsServiceRequest otlp = ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics
              .newBuilder().addMetrics(Metric.newBuilder().setName("queue.size")
                  .setDescription("Items waiting.").setUnit("By").setGauge(Gauge.newBuilder()
                      .addDataPoints(NumberDataPoint.newBuilder()
                          .setTimeUnixNano(50_000_000_000L).setAsInt(4))))))
          .build();
      HttpResponse<String> o = s.pushOtlp("team-b", otlp.toByteArray());
      assertThat(o.statusCode()).isEqualTo(200);

      String a = "{\"http_requests_total\":["
          + "{\"type\":\"counter\",\"help\":\"Requests.\",\"unit\":\"requests\"},"
          + "{\"type\":\"counter\",\"help\":\"Requests (v2 help).\",\"unit\":\"\"}],"
          + "\"rpc_seconds\":[{\"type\":\"summary\",\"help\":\"RPC latency.\","
          + "\"unit\":\"seconds\"}],"
          + "\"up\":[{\"type\":\"gauge\",\"help\":\"Target is up.\",\"unit\":\"\"}]}";
      assertThat(s.get("team-a", "/api/v1/metadata").body()).isEqualTo(data(a));
      assertThat(s.get("team-a", "/prometheus/api/v1/metadata").body()).isEqualTo(data(a));
      String b = "{\"queue_size_bytes\":[{\"type\":\"gauge\",\"help\":\"Items waiting.\","
          + "\"unit\":\"bytes\"}]}";
      assertThat(s.get("team-b", "/api/v1/metadata").body()).isEqualTo(data(b));
      assertThat(s.get("team-c", "/api/v1/metadata").body()).isEqualTo(data("{}"));
      assertThat(s.get("team-a|team-b", "/api/v1/metadata").body())
          .isEqualTo(data(a.replace(",\"rpc_seconds\"", "," + b.substring(1, b.length() - 1)
              + ",\"rpc_seconds\""))); // families sorted across tenants

      // Prometheus's parameters.
      assertThat(s.get("team-a", "/api/v1/metadata?limit=1").body()).isEqualTo(data(
          a.substring(0, a.indexOf(",\"rpc_seconds\"")) + "}"));
      assertThat(s.get("team-a", "/api/v1/metadata?limit=0").body()).isEqualTo(data("{}"));
      assertThat(s.get("team-a", "/api/v1/metadata?limit=-1&limit_per_metric=1&metric="
          + URLEncoder.encode("http_requests_total", StandardCharsets.UTF_8)).body())
          .isEqualTo(data("{\"http_requests_total\":[{\"type\":\"counter\","
              + "\"help\":\"Requests.\",\"unit\":\"requests\"}]}"));
      assertThat(s.get("team-a", "/api/v1/metadata?metric=nope").body()).isEqualTo(data("{}"));
      HttpResponse<String> bad = s.get("team-a", "/api/v1/metadata?limit=ten");
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\","
          + "\"error\":\"limit must be a number\"}");
      assertThat(s.get("team-a", "/api/v1/metadata?limit_per_metric=x").body())
          .contains("limit_per_metric must be a number");
      assertThat(s.get(null, "/api/v1/metadata").statusCode()).isEqualTo(401);

      // Dropped metadata is counted with Mimir's reasons, the rest of the push still stored.
      WriteRequest invalid = WriteRequest.newBuilder()
          .addMetadata(meta("", MetricMetadata.MetricType.GAUGE, "no name"))
          .addMetadata(meta("x".repeat(1025), MetricMetadata.MetricType.GAUGE, "long name"))
          .build();
      assertThat(s.push("team-a", RemoteWriteVersion.V1.contentType(), invalid.toByteArray())
          .statusCode()).isEqualTo(200);
      assertThat(s.get(null, "/metrics").body())
          .contains("vigil_discarded_metadata_total{reason=\"missing_metric_name\","
              + "user=\"team-a\"} 1.0")
          .contains("vigil_discarded_metadata_total{reason=\"metric_name_too_long\","
              + "user=\"team-a\"} 1.0");
      assertThat(s.get("team-a", "/api/v1/metadata").body()).isEqualTo(data(a));
    }
  }
}
