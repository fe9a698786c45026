package dev.vigil.protocol.remote;

import static dev.vigil.protocol.remote.RemoteWriteFixtures.sample;
import static dev.vigil.protocol.remote.RemoteWriteFixtures.seriesV1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.protocol.remote.v1.pb.Exemplar;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Request;
import dev.vigil.protocol.remote.v2.pb.TimeSeries;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/** Remote write 1.0 and 2.0 exemplars reach {@code Appender.appendExemplar}. */
class ExemplarDecodingTest {
  private final RemoteWriteDecoder decoder = new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS);
  private final RecordingAppender app = new RecordingAppender();
  private final PushStats stats = new PushStats();

  private static Exemplar.Builder exV1(double v, long t, String... nameValues) {
    Exemplar.Builder b = Exemplar.newBuilder().setValue(v).setTimestamp(t);
    for (int i = 0; i < nameValues.length; i += 2) {
      b.addLabels(Label.newBuilder().setName(nameValues[i]).setValue(nameValues[i + 1]));
    }
    return b;
  }

  @Test
  void v1ExemplarsAreStoredAndInvalidOnesCountedWithoutFailingTheSamples() throws Exception {
    WriteRequest req = WriteRequest.newBuilder()
        .addTimeseries(seriesV1("__name__", "req_total", "job", "a").addSamples(sample(1000, 1))
            .addExemplars(exV1(0.5, 900, "trace_id", "abc", "span_id", "12"))
            .addExemplars(exV1(1, 950)) // no labels
            .addExemplars(exV1(1, 0, "trace_id", "t0")) // no timestamp
            .addExemplars(exV1(1, 960, "trace_id", "x".repeat(121))) // 129 characters
            .addExemplars(exV1(1, -5, "trace_id", "old"))) // the store refuses it
        .addTimeseries(seriesV1("job", "no-name").addSamples(sample(1, 1))
            .addExemplars(exV1(1, 5, "trace_id", "lost")))
        .build();
    byte[] body = req.toByteArray();
    decoder.decode(RemoteWriteVersion.V1, body, 0, body.length, app, stats);

    assertThat(app.exemplars).containsExactly("{__name__=\"req_total\", job=\"a\"} "
        + "{span_id=\"12\", trace_id=\"abc\"} 0.5 @900");
    assertThat(stats.samplesWritten()).isEqualTo(1);
    assertThat(stats.exemplarsReceived()).isEqualTo(6);
    assertThat(stats.exemplarsWritten()).isEqualTo(1);
    assertThat(stats.exemplarsRejected(ExemplarRejectReason.LABELS_MISSING)).isEqualTo(1);
    assertThat(stats.exemplarsRejected(ExemplarRejectReason.TIMESTAMP_INVALID)).isEqualTo(1);
    assertThat(stats.exemplarsRejected(ExemplarRejectReason.LABELS_TOO_LONG)).isEqualTo(1);
    assertThat(stats.exemplarsRejected(ExemplarRejectReason.STORAGE)).isEqualTo(1);
    // The series without a name is refused with its samples; exemplars do not add an error.
    assertThat(stats.firstError()).contains("without metric name");
  }

  @Test
  void emptyLabelNamesAndValuesAreDropped() throws Exception {
    WriteRequest req = WriteRequest.newBuilder()
        .addTimeseries(seriesV1("__name__", "m").addSamples(sample(1000, 1))
            .addExemplars(exV1(1, 900, "", "x", "trace_id", ""))
            .addExemplars(exV1(2, 950, "", "x", "span_id", "s")))
        .build();
    byte[] body = req.toByteArray();
    decoder.decode(RemoteWriteVersion.V1, body, 0, body.length, app, stats);
    assertThat(app.exemplars).containsExactly("{__name__=\"m\"} {span_id=\"s\"} 2.0 @950");
    assertThat(stats.exemplarsRejected(ExemplarRejectReason.LABELS_MISSING)).isEqualTo(1);
  }

  @Test
  void exemplarsBeforeTheSamplesOnTheWireStillFindTheirSeries() throws Exception {
    // Fields out of number order (valid protobuf): labels, exemplar, then the sample.
    ByteArrayOutputStream ts = new ByteArrayOutputStream();
    seriesV1("__name__", "m").build().writeTo(ts);
    dev.vigil.protocol.remote.v1.pb.TimeSeries.newBuilder()
        .addExemplars(exV1(2, 10, "trace_id", "t")).build().writeTo(ts);
    dev.vigil.protocol.remote.v1.pb.TimeSeries.newBuilder().addSamples(sample(10, 1)).build()
        .writeTo(ts);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x0A); // field 1 (timeseries), length-delimited
    body.write(ts.size()); // < 128
    ts.writeTo(body);
    byte[] b = body.toByteArray();
    decoder.decode(RemoteWriteVersion.V1, b, 0, b.length, app, stats);
    assertThat(app.exemplars).containsExactly("{__name__=\"m\"} {trace_id=\"t\"} 2.0 @10");
  }

  @Test
  void v2ExemplarLabelsResolveThroughTheSymbolTable() throws Exception {
    Request req = Request.newBuilder()
        .addSymbols("").addSymbols("__name__").addSymbols("lat_bucket").addSymbols("le")
        .addSymbols("0.5").addSymbols("trace_id").addSymbols("00ff")
        .addTimeseries(TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
            .addLabelsRefs(3).addLabelsRefs(4)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                .setTimestamp(2000).setValue(3))
            .addExemplars(dev.vigil.protocol.remote.v2.pb.Exemplar.newBuilder()
                .addLabelsRefs(5).addLabelsRefs(6).setValue(0.25).setTimestamp(1999)))
        .build();
    byte[] body = req.toByteArray();
    decoder.decode(RemoteWriteVersion.V2, body, 0, body.length, app, stats);
    assertThat(app.exemplars).containsExactly(
        "{__name__=\"lat_bucket\", le=\"0.5\"} {trace_id=\"00ff\"} 0.25 @1999");
    assertThat(stats.exemplarsWritten()).isEqualTo(1);
  }

  @Test
  void v2SeriesMetadataGoesToTheStoresSeries() throws Exception {
    var md = dev.vigil.protocol.remote.v2.pb.Metadata.newBuilder()
        .setType(dev.vigil.protocol.remote.v2.pb.Metadata.MetricType.METRIC_TYPE_COUNTER)
        .setHelpRef(3).setUnitRef(4);
    Request req = Request.newBuilder()
        .addSymbols("").addSymbols("__name__").addSymbols("req_total").addSymbols("Requests.")
        .addSymbols("requests").addSymbols("job").addSymbols("a").addSymbols("b")
        .addTimeseries(TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
            .addLabelsRefs(5).addLabelsRefs(6).setMetadata(md)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder().setTimestamp(1)))
        .addTimeseries(TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
            .addLabelsRefs(5).addLabelsRefs(7).setMetadata(md)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder().setTimestamp(1)))
        .addTimeseries(TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder().setTimestamp(1)))
        .build();
    byte[] body = req.toByteArray();
    decoder.decode(RemoteWriteVersion.V2, body, 0, body.length, app, stats);
    assertThat(app.metadata).containsExactly(
        "{__name__=\"req_total\", job=\"a\"} counter Requests. requests",
        "{__name__=\"req_total\", job=\"b\"} counter Requests. requests");
  }

  @Test
  void malformedV2ExemplarLabelRefsFailTheBody() {
    for (int[] refs : new int[][] {{1}, {1, 9}}) {
      TimeSeries.Builder ts = TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(2)
          .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder().setTimestamp(1));
      var ex = dev.vigil.protocol.remote.v2.pb.Exemplar.newBuilder().setTimestamp(1);
      for (int r : refs) {
        ex.addLabelsRefs(r);
      }
      byte[] body = Request.newBuilder().addSymbols("").addSymbols("__name__").addSymbols("m")
          .addTimeseries(ts.addExemplars(ex)).build().toByteArray();
      assertThatThrownBy(() -> decoder.decode(RemoteWriteVersion.V2, body, 0, body.length, app,
          stats)).isInstanceOf(MalformedBodyException.class)
          .hasMessageContaining(refs.length == 1 ? "odd number" : "out of range");
    }
  }
}
