package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.otlp.pb.AggregationTemporality;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.Metric;
import dev.vigil.protocol.otlp.pb.NumberDataPoint;
import dev.vigil.protocol.otlp.pb.ResourceMetrics;
import dev.vigil.protocol.otlp.pb.ScopeMetrics;
import dev.vigil.protocol.otlp.pb.Sum;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v2.pb.Request;
import dev.vigil.protocol.remote.v2.pb.Sample;
import dev.vigil.protocol.remote.v2.pb.TimeSeries;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start timestamps pushed by remote write 2.0 ({@code created_timestamp}) and OTLP
 * ({@code start_time_unix_nano}) become zero samples in the tenant's TSDB when the server runs
 * with {@code --blocks-storage.tsdb.start-timestamp-zero-ingestion-enabled}, and survive a
 * restart; without it they are dropped.
 */
class StartTimestampEndToEndTest {
  @TempDir Path dataDir;

  private static void ingest(TestServer s) throws Exception {
    Request rw2 = Request.newBuilder().addSymbols("").addSymbols("__name__")
        .addSymbols("requests_total")
        .addTimeseries(TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
            .addSamples(Sample.newBuilder().setTimestamp(40_000).setValue(6))
            .addSamples(Sample.newBuilder().setTimestamp(55_000).setValue(8))
            .setCreatedTimestamp(10_000))
        .build();
    HttpResponse<String> r = s.push("st", RemoteWriteVersion.V2.contentType(), rw2.toByteArray());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Prometheus-Remote-Write-Samples-Written")).contains("2");

    ExportMetricsServiceRequest otlp = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("jobs").setSum(Sum.newBuilder()
                .setIsMonotonic(true).setAggregationTemporality(
                    AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(20_000_000_000L)
                    .setTimeUnixNano(50_000_000_000L).setAsInt(4))))))
        .build();
    HttpResponse<String> r2 = s.pushOtlp("st", otlp.toByteArray());
    assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
  }

  private static String values(TestServer s, String selector) throws Exception {
    HttpResponse<String> r = s.get("st", "/api/v1/query?query="
        + ServerEndToEndTest.q(selector + "[1m]") + "&time=60");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void withTheFlagStartTimestampsAreZeroSamplesThatSurviveARestart() throws Exception {
    ServerConfig config = TestServer.config(dataDir).withStartTimestampZeroSamples(true);
    try (TestServer s = new TestServer(config)) {
      ingest(s);
      assertThat(values(s, "requests_total")).contains("\"values\":[[10,\"0\"],[40,\"6\"],[55,\"8\"]]");
      assertThat(values(s, "jobs_total")).contains("\"values\":[[20,\"0\"],[50,\"4\"]]");
      HttpResponse<String> inc = s.get("st", "/api/v1/query?query="
          + ServerEndToEndTest.q("increase(jobs_total[1m])") + "&time=60");
      assertThat(inc.body()).as("the counter's first increase counts").doesNotContain("[]");
      assertThat(s.get(null, "/api/v1/status/flags").body())
          .contains("\"blocks-storage.tsdb.start-timestamp-zero-ingestion-enabled\":\"true\"");
    }
    try (TestServer s = new TestServer(config)) {
      assertThat(values(s, "requests_total")).contains("\"values\":[[10,\"0\"],[40,\"6\"],[55,\"8\"]]");
      assertThat(values(s, "jobs_total")).contains("\"values\":[[20,\"0\"],[50,\"4\"]]");
    }
  }

  @Test
  void byDefaultStartTimestampsAreDropped() throws Exception {
    try (TestServer s = new TestServer(TestServer.config(dataDir))) {
      ingest(s);
      assertThat(values(s, "requests_total")).contains("\"values\":[[40,\"6\"],[55,\"8\"]]");
      assertThat(values(s, "jobs_total")).contains("\"values\":[[50,\"4\"]]");
    }
  }
}
