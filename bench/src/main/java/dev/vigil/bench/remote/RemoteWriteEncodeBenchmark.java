package dev.vigil.bench.remote;

import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.remote.RemoteWriteEncoder;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.v1.pb.Label;
import dev.vigil.protocol.remote.v1.pb.Sample;
import dev.vigil.protocol.remote.v1.pb.TimeSeries;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xerial.snappy.Snappy;

/**
 * One shard's request, as the sender builds it: 2,000 samples ({@code max_samples_per_send}) of
 * 2,000 series with kube-state-metrics-like labels (8 labels), snappy-compressed. Vigil's
 * {@link RemoteWriteEncoder} (1.0 and 2.0) against the generated {@code WriteRequest} builders
 * plus {@code toByteArray()}. {@code vigilV1PreEncoded} is what the sender does for 1.0: each
 * series' label fields encoded once ({@link RemoteWriteEncoder#v1LabelFields}) and copied into
 * every request. Run with {@code -prof gc} for bytes allocated per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RemoteWriteEncodeBenchmark {
  static final int SAMPLES = 2_000;

  Labels[] labels;
  byte[][] v1Labels;
  long[] ts;
  double[] vs;
  RemoteWriteEncoder v1;
  RemoteWriteEncoder v2;
  byte[] snappyOut = new byte[Snappy.maxCompressedLength(1 << 20)];

  @Setup
  public void setup() {
    labels = new Labels[SAMPLES];
    ts = new long[SAMPLES];
    vs = new double[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      labels[i] = Labels.of("__name__", "kube_pod_container_status_restarts_total",
          "cluster", "prod-eu-1", "container", "app-" + (i % 7), "instance", "10.0.0." + (i % 50) + ":8080",
          "job", "integrations/kubernetes/kube-state-metrics", "namespace", "ns-" + (i % 20),
          "node", "node-" + (i % 40), "pod", "pod-" + i + "-7f9c5d6b8-x2k4q");
      ts[i] = 1_764_000_000_000L + i;
      vs[i] = i * 1.5;
    }
    v1Labels = new byte[SAMPLES][];
    for (int i = 0; i < SAMPLES; i++) {
      v1Labels[i] = RemoteWriteEncoder.v1LabelFields(labels[i]);
    }
    v1 = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    v2 = new RemoteWriteEncoder(RemoteWriteVersion.V2);
  }

  private int encode(RemoteWriteEncoder enc) {
    enc.reset();
    for (int i = 0; i < SAMPLES; i++) {
      enc.beginSeries(labels[i]);
      enc.sample(ts[i], vs[i]);
      enc.endSeries();
    }
    enc.finish();
    return enc.compress();
  }

  @Benchmark
  public int vigilV1() {
    return encode(v1);
  }

  @Benchmark
  public int vigilV1PreEncoded() {
    v1.reset();
    for (int i = 0; i < SAMPLES; i++) {
      v1.beginSeries(v1Labels[i]);
      v1.sample(ts[i], vs[i]);
      v1.endSeries();
    }
    v1.finish();
    return v1.compress();
  }

  @Benchmark
  public int vigilV2() {
    return encode(v2);
  }

  @Benchmark
  public int protobufJavaV1() throws IOException {
    WriteRequest.Builder req = WriteRequest.newBuilder();
    for (int i = 0; i < SAMPLES; i++) {
      TimeSeries.Builder ts1 = TimeSeries.newBuilder();
      Labels l = labels[i];
      for (int k = 0; k < l.size(); k++) {
        ts1.addLabels(Label.newBuilder().setName(l.name(k)).setValue(l.value(k)));
      }
      ts1.addSamples(Sample.newBuilder().setTimestamp(ts[i]).setValue(vs[i]));
      req.addTimeseries(ts1);
    }
    byte[] msg = req.build().toByteArray();
    return Snappy.compress(msg, 0, msg.length, snappyOut, 0);
  }
}
