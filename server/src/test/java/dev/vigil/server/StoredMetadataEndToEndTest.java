package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Gauge;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v2.pb.Metadata;
import dev.vigil.protocol.remote.v2.pb.Request;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metadata given per series (remote write 2.0, OTLP) is kept by the tenant's TSDB, so
 * {@code /api/v1/metadata} still lists it after a restart, before any sender re-sends it.
 */
class StoredMetadataEndToEndTest {
  @TempDir Path dataDir;

  private static final String EXPECTED = "{\"status\":\"success\",\"data\":{"
      + "\"queue_size_bytes\":[{\"type\":\"gauge\",\"help\":\"Items waiting.\","
      + "\"unit\":\"bytes\"}],"
      + "\"rpc_seconds\":[{\"type\":\"summary\",\"help\":\"RPC latency.\",\"unit\":\"seconds\"}]}}";

  /** Restarts restore the head snapshot written at shutdown, or replay the WAL without one. */
  @ParameterizedTest(name = "head snapshot {0}")
  @ValueSource(booleans = {true, false})
  void perSeriesMetadataSurvivesARestart(boolean headSnapshot) throws Exception {
    ServerConfig config = TestServer.config(dataDir).withHeadSnapshot(headSnapshot);
    try (TestServer s = new TestServer(config)) {
      Request v2 = Request.newBuilder().addSymbols("").addSymbols("__name__")
          .addSymbols("rpc_seconds_count").addSymbols("RPC latency.").addSymbols("seconds")
          .addSymbols("rpc_seconds_sum")
          .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
              .addLabelsRefs(1).addLabelsRefs(2)
              .setMetadata(Metadata.newBuilder()
                  .setType(Metadata.MetricType.METRIC_TYPE_SUMMARY).setHelpRef(3).setUnitRef(4))
              .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                  .setTimestamp(50_000).setValue(3)))
          .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
              .addLabelsRefs(1).addLabelsRefs(5)
              .setMetadata(Metadata.newBuilder()
                  .setType(Metadata.MetricType.METRIC_TYPE_SUMMARY).setHelpRef(3).setUnitRef(4))
              .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                  .setTimestamp(50_000).setValue(0.5)))
          .build();
      assertThat(s.push("meta", RemoteWriteVersion.V2.contentType(), v2.toByteArray())
          .statusCode()).isEqualTo(200);
      ExportMetricsServiceRequest otlp = ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics
              .newBuilder().addMetrics(Metric.newBuilder().setName("queue.size")
                  .setDescription("Items waiting.").setUnit("By").setGauge(Gauge.newBuilder()
                      .addDataPoints(NumberDataPoint.newBuilder()
                          .setTimeUnixNano(50_000_000_000L).setAsInt(4))))))
          .build();
      HttpResponse<String> o = s.pushOtlp("meta", otlp.toByteArray());
      assertThat(o.statusCode()).isEqualTo(200);
      // Pushed (in memory) and stored (TSDB) entries are the same: listed once.
      assertThat(s.get("meta", "/api/v1/metadata").body()).isEqualTo(EXPECTED);
    }
    try (var files = Files.walk(dataDir)) {
      assertThat(files.anyMatch(p -> p.getFileName().toString().equals("head.snapshot")))
          .isEqualTo(headSnapshot);
    }
    try (TestServer s = new TestServer(config)) {
      assertThat(s.get("meta", "/api/v1/metadata").body()).isEqualTo(EXPECTED);
      assertThat(s.get("meta", "/api/v1/metadata?metric=rpc_seconds").body())
          .isEqualTo("{\"status\":\"success\",\"data\":{\"rpc_seconds\":[{\"type\":\"summary\","
              + "\"help\":\"RPC latency.\",\"unit\":\"seconds\"}]}}");
      assertThat(s.get("other", "/api/v1/metadata").body())
          .isEqualTo("{\"status\":\"success\",\"data\":{}}");
    }
  }
}
