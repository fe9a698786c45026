package dev.vigil.protocol.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Pre-encoded 1.0 labels, exemplars and metadata, checked against protobuf-java's parsers. */
class RemoteWriteEncoderExtrasTest {

  private static byte[] message(RemoteWriteEncoder enc) {
    enc.finish();
    return Arrays.copyOf(enc.message(), enc.messageLength());
  }

  @Test
  void preEncodedV1LabelsGiveTheSameBytesAsLabels() {
    RemoteWriteEncoder a = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    RemoteWriteEncoder b = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    Random r = new Random(7);
    for (int round = 0; round < 200; round++) {
      List<RemoteWriteEncoderTest.Series> req = RemoteWriteEncoderTest.randomRequest(r, r.nextInt(30));
      a.reset();
      b.reset();
      for (RemoteWriteEncoderTest.Series s : req) {
        a.beginSeries(s.labels());
        b.beginSeries(RemoteWriteEncoder.v1LabelFields(s.labels()));
        for (Object[] p : s.points()) {
          if (p[1] instanceof Double d) {
            a.sample((Long) p[0], d);
            b.sample((Long) p[0], d);
          }
        }
        a.endSeries();
        b.endSeries();
      }
      assertThat(message(b)).as("round %d", round).isEqualTo(message(a));
    }
  }

  @Test
  void preEncodedLabelsAreV1Only() {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V2);
    byte[] fields = RemoteWriteEncoder.v1LabelFields(Labels.of("a", "b"));
    assertThatThrownBy(() -> enc.beginSeries(fields)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void v1ExemplarsAndMetadataParseWithTheGeneratedMessages() throws Exception {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    enc.reset();
    enc.beginSeries(RemoteWriteEncoder.v1LabelFields(Labels.of("__name__", "rpc_seconds_bucket", "le", "0.5")));
    enc.sample(1000, 3);
    enc.exemplar(Labels.of("trace_id", "abc123", "span_id", "ü€"), 0.25, 990);
    enc.exemplar(Labels.EMPTY, -0.0, 0);
    enc.endSeries();
    enc.metadata(MetricType.HISTOGRAM, "rpc_seconds", "RPC latency.", "seconds");
    enc.metadata(MetricType.UNKNOWN, "odd", "", "");
    assertThat(enc.exemplarCount()).isEqualTo(2);
    assertThat(enc.metadataCount()).isEqualTo(2);
    WriteRequest w = WriteRequest.parseFrom(message(enc));
    var ts = w.getTimeseries(0);
    assertThat(ts.getSamplesList()).hasSize(1);
    assertThat(ts.getExemplarsList()).hasSize(2);
    var e = ts.getExemplars(0);
    assertThat(e.getLabelsList()).extracting(l -> l.getName() + "=" + l.getValue())
        .containsExactly("span_id=ü€", "trace_id=abc123");
    assertThat(e.getValue()).isEqualTo(0.25);
    assertThat(e.getTimestamp()).isEqualTo(990);
    assertThat(Double.doubleToRawLongBits(ts.getExemplars(1).getValue()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(w.getMetadataList()).extracting(m -> m.getTypeValue() + "|" + m.getMetricFamilyName()
        + "|" + m.getHelp() + "|" + m.getUnit())
        .containsExactly("3|rpc_seconds|RPC latency.|seconds", "0|odd||");
  }

  @Test
  void v1MetadataDecodesWithVigilsDecoder() throws Exception {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    enc.reset();
    for (MetricType t : MetricType.values()) {
      enc.metadata(t, "fam_" + t.promName(), "help of " + t, t == MetricType.GAUGE ? "bytes" : "");
    }
    byte[] msg = message(enc);
    List<MetricMetadata> got = new ArrayList<>();
    new RemoteWriteDecoder(new ValidationLimits(1000, 1 << 20, 1 << 20)).decode(RemoteWriteVersion.V1,
        msg, 0, msg.length, new RemoteWriteEncoderTest.Recorder(), new PushStats(),
        new ValidationLimits(1000, 1 << 20, 1 << 20), got::add);
    assertThat(got).hasSize(MetricType.values().length);
    for (MetricType t : MetricType.values()) {
      assertThat(got.get(t.ordinal())).isEqualTo(new MetricMetadata("fam_" + t.promName(), t,
          "help of " + t, t == MetricType.GAUGE ? "bytes" : ""));
    }
  }

  @Test
  void v2ExemplarsAndSeriesMetadataUseTheSymbolTable() throws Exception {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V2);
    enc.reset();
    enc.beginSeries(Labels.of("__name__", "rpc_seconds_count", "job", "a"));
    enc.seriesMetadata(MetricType.HISTOGRAM, "RPC latency.", "seconds");
    enc.sample(1000, 3);
    enc.exemplar(Labels.of("trace_id", "a"), 0.25, 990);
    enc.endSeries();
    enc.beginSeries(Labels.of("__name__", "x", "job", "a"));
    enc.seriesMetadata(MetricType.UNKNOWN, "", ""); // nothing known: no metadata message
    enc.sample(1000, 1);
    enc.endSeries();
    Request req = Request.parseFrom(message(enc));
    List<String> sym = req.getSymbolsList();
    var ts = req.getTimeseries(0);
    assertThat(ts.getMetadata().getTypeValue()).isEqualTo(3);
    assertThat(sym.get(ts.getMetadata().getHelpRef())).isEqualTo("RPC latency.");
    assertThat(sym.get(ts.getMetadata().getUnitRef())).isEqualTo("seconds");
    var e = ts.getExemplars(0);
    assertThat(e.getLabelsRefsList()).extracting(sym::get).containsExactly("trace_id", "a");
    assertThat(e.getValue()).isEqualTo(0.25);
    assertThat(e.getTimestamp()).isEqualTo(990);
    assertThat(req.getTimeseries(1).hasMetadata()).isFalse();
    assertThat(enc.metadataCount()).isEqualTo(1);

    List<MetricMetadata> got = new ArrayList<>();
    byte[] msg = Arrays.copyOf(enc.message(), enc.messageLength());
    PushStats stats = new PushStats();
    new RemoteWriteDecoder(new ValidationLimits(1000, 1 << 20, 1 << 20)).decode(RemoteWriteVersion.V2,
        msg, 0, msg.length, new RemoteWriteEncoderTest.Recorder(), stats,
        new ValidationLimits(1000, 1 << 20, 1 << 20), got::add);
    assertThat(got).containsExactly(new MetricMetadata("rpc_seconds", MetricType.HISTOGRAM,
        "RPC latency.", "seconds"));
    assertThat(stats.rejectedTotal()).isZero();
  }

  @Test
  void metadataIsRefusedWhereTheVersionHasNoPlaceForIt() {
    RemoteWriteEncoder v1 = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    v1.beginSeries(Labels.of("a", "b"));
    assertThatThrownBy(() -> v1.seriesMetadata(MetricType.GAUGE, "", "")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> v1.metadata(MetricType.GAUGE, "a", "", "")).isInstanceOf(IllegalStateException.class);
    RemoteWriteEncoder v2 = new RemoteWriteEncoder(RemoteWriteVersion.V2);
    assertThatThrownBy(() -> v2.metadata(MetricType.GAUGE, "a", "", "")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> v2.exemplar(Labels.EMPTY, 1, 1)).isInstanceOf(IllegalStateException.class);
  }
}
