package dev.vigil.protocol.remote;

import static dev.vigil.protocol.remote.RemoteWriteFixtures.sample;
import static dev.vigil.protocol.remote.RemoteWriteFixtures.seriesV1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Metadata;
import dev.vigil.protocol.remote.v2.pb.Request;
import dev.vigil.protocol.remote.v2.pb.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataDecodingTest {
  private final RemoteWriteDecoder decoder =
      new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS);
  private final InMemoryStorage store = new InMemoryStorage();
  private final PushStats stats = new PushStats();
  private final List<MetricMetadata> seen = new ArrayList<>();

  private void push(RemoteWriteVersion v, byte[] body) throws MalformedBodyException {
    Appender app = store.appender();
    decoder.decode(v, body, 0, body.length, app, stats, ValidationLimits.MIMIR_DEFAULTS,
        seen::add);
    app.commit();
  }

  @Test
  void v1MetadataReachesTheSinkWithEveryField() throws Exception {
    WriteRequest req = WriteRequest.newBuilder()
        .addTimeseries(seriesV1("__name__", "up").addSamples(sample(1000, 1)))
        .addMetadata(dev.vigil.protocol.remote.v1.pb.MetricMetadata.newBuilder()
            .setType(dev.vigil.protocol.remote.v1.pb.MetricMetadata.MetricType.COUNTER)
            .setMetricFamilyName("http_requests_total").setHelp("Requests served.")
            .setUnit("requests"))
        .addMetadata(dev.vigil.protocol.remote.v1.pb.MetricMetadata.newBuilder()
            .setType(dev.vigil.protocol.remote.v1.pb.MetricMetadata.MetricType.STATESET)
            .setMetricFamilyName("feature"))
        .addMetadata(dev.vigil.protocol.remote.v1.pb.MetricMetadata.newBuilder()
            .setMetricFamilyName("mystery").setHelp("ünïcode help"))
        .build();
    push(RemoteWriteVersion.V1, req.toByteArray());
    assertThat(seen).containsExactly(
        new MetricMetadata("http_requests_total", MetricType.COUNTER, "Requests served.", "requests"),
        new MetricMetadata("feature", MetricType.STATESET, "", ""),
        new MetricMetadata("mystery", MetricType.UNKNOWN, "ünïcode help", ""));
    assertThat(stats.metadataReceived()).isEqualTo(3);
    assertThat(stats.samplesWritten()).isEqualTo(1);
  }

  @Test
  void v2MetadataIsPassedOncePerFamilyRunUnderTheFamilyName() throws Exception {
    // Symbols: 0 "", 1 __name__, 2 req_seconds_bucket, 3 le, 4 +Inf, 5 req_seconds_sum,
    // 6 Request latency., 7 seconds, 8 temp, 9 Temperature.
    Request req = Request.newBuilder()
        .addSymbols("").addSymbols("__name__").addSymbols("req_seconds_bucket").addSymbols("le")
        .addSymbols("+Inf").addSymbols("req_seconds_sum").addSymbols("Request latency.")
        .addSymbols("seconds").addSymbols("temp").addSymbols("Temperature.")
        .addTimeseries(series(Metadata.MetricType.METRIC_TYPE_HISTOGRAM, 6, 7, 1, 2, 3, 4))
        .addTimeseries(series(Metadata.MetricType.METRIC_TYPE_HISTOGRAM, 6, 7, 1, 5))
        .addTimeseries(series(Metadata.MetricType.METRIC_TYPE_GAUGE, 9, 0, 1, 8))
        .addTimeseries(TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(8)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder().setTimestamp(2000)))
        .build();
    push(RemoteWriteVersion.V2, req.toByteArray());
    assertThat(seen).containsExactly(
        new MetricMetadata("req_seconds", MetricType.HISTOGRAM, "Request latency.", "seconds"),
        new MetricMetadata("temp", MetricType.GAUGE, "Temperature.", ""));
    assertThat(stats.metadataReceived()).isEqualTo(3);
  }

  @Test
  void v2MetadataReferenceOutOfRangeIsMalformed() {
    Request req = Request.newBuilder().addSymbols("").addSymbols("__name__").addSymbols("x")
        .addTimeseries(series(Metadata.MetricType.METRIC_TYPE_GAUGE, 7, 0, 1, 2)).build();
    byte[] body = req.toByteArray();
    assertThatThrownBy(() -> push(RemoteWriteVersion.V2, body))
        .isInstanceOf(MalformedBodyException.class).hasMessageContaining("help_ref 7")
        .hasMessageContaining("out of range (3 symbols)");
  }

  @Test
  void sharedStringCacheHandsEveryDecoderTheSameInstances() {
    StringCache shared = new StringCache(1024);
    byte[] a = "namespace-7".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] b = ("xx" + "namespace-7").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String first = shared.get(a, 0, a.length);
    assertThat(shared.get(b, 2, a.length)).isSameAs(first).isEqualTo("namespace-7");
    assertThat(shared.entry(a, 0, a.length).legacyLabelName).isFalse();
    byte[] name = "job".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(shared.entry(name, 0, 3).legacyLabelName).isTrue();
    assertThat(shared.entry(name, 0, 3).legacyMetricName).isTrue();
    byte[] bad = {(byte) 0xC3, (byte) 0x28};
    assertThat(shared.get(bad, 0, 2)).isNull();
  }

  private static TimeSeries series(Metadata.MetricType type, int help, int unit, int... refs) {
    TimeSeries.Builder ts = TimeSeries.newBuilder()
        .setMetadata(Metadata.newBuilder().setType(type).setHelpRef(help).setUnitRef(unit))
        .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder().setTimestamp(1000)
            .setValue(1));
    for (int r : refs) {
      ts.addLabelsRefs(r);
    }
    return ts.build();
  }
}
