package dev.vigil.protocol.remote;

import dev.vigil.protocol.remote.v1.pb.BucketSpan;
import dev.vigil.protocol.remote.v1.pb.Histogram;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.Sample;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Request;

/** Valid bodies of both versions built with the generated messages, as a sender would. */
final class RemoteWriteFixtures {
  private RemoteWriteFixtures() {}

  static TimeSeries.Builder seriesV1(String... nameValues) {
    TimeSeries.Builder ts = TimeSeries.newBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      ts.addLabels(Label.newBuilder().setName(nameValues[i]).setValue(nameValues[i + 1]));
    }
    return ts;
  }

  static Sample sample(long t, double v) {
    return Sample.newBuilder().setTimestamp(t).setValue(v).build();
  }

  /** Two float series and one integer native histogram. */
  static WriteRequest v1() {
    return WriteRequest.newBuilder()
        .addTimeseries(seriesV1("__name__", "up", "instance", "a:9100", "job", "node")
            .addSamples(sample(1000, 1)).addSamples(sample(2000, 0)))
        .addTimeseries(seriesV1("__name__", "http_requests_total", "code", "200")
            .addSamples(sample(1000, 10.5)))
        .addTimeseries(seriesV1("__name__", "latency_seconds")
            .addHistograms(Histogram.newBuilder().setCountInt(6).setSum(3.5).setSchema(0)
                .setZeroThreshold(0.001).setZeroCountInt(1)
                .addPositiveSpans(BucketSpan.newBuilder().setOffset(0).setLength(2))
                .addPositiveSpans(BucketSpan.newBuilder().setOffset(1).setLength(1))
                .addPositiveDeltas(1).addPositiveDeltas(2).addPositiveDeltas(-1)
                .setTimestamp(3000)))
        .build();
  }

  /** Two float series and one float native histogram, with a shared symbol table. */
  static Request v2() {
    return Request.newBuilder()
        .addSymbols("").addSymbols("__name__").addSymbols("up").addSymbols("job")
        .addSymbols("node").addSymbols("temperature_celsius").addSymbols("latency_seconds")
        .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
            .addLabelsRefs(1).addLabelsRefs(2).addLabelsRefs(3).addLabelsRefs(4)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                .setTimestamp(1000).setValue(1))
            .addExemplars(dev.vigil.protocol.remote.v2.pb.Exemplar.newBuilder().setValue(1)))
        .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
            .addLabelsRefs(1).addLabelsRefs(5)
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                .setTimestamp(1000).setValue(-3.25))
            .addSamples(dev.vigil.protocol.remote.v2.pb.Sample.newBuilder()
                .setTimestamp(2000).setValue(Double.NaN)))
        .addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries.newBuilder()
            .addLabelsRefs(1).addLabelsRefs(6)
            .addHistograms(dev.vigil.protocol.remote.v2.pb.Histogram.newBuilder()
                .setCountFloat(2.5).setSum(1).setSchema(1)
                .addPositiveSpans(dev.vigil.protocol.remote.v2.pb.BucketSpan.newBuilder()
                    .setOffset(-1).setLength(2))
                .addPositiveCounts(1).addPositiveCounts(1.5)
                .setResetHint(dev.vigil.protocol.remote.v2.pb.Histogram.ResetHint.RESET_HINT_GAUGE)
                .setTimestamp(4000)))
        .build();
  }
}
