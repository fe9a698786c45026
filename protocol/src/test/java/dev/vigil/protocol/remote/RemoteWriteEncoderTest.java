package dev.vigil.protocol.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import dev.vigil.protocol.remote.v2.pb.Request;
import dev.vigil.protocol.snappy.SnappyBlockDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RemoteWriteEncoderTest {
  /** One series of a request: labels, then samples ("t=v") and histograms ("t=h") in order. */
  record Series(Labels labels, List<Object[]> points) {}

  /** Records every append as text, in order. */
  static final class Recorder implements Appender {
    final List<String> lines = new ArrayList<>();

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      lines.add(labels + " " + t + "=" + Double.doubleToRawLongBits(v));
      return 1;
    }

    @Override
    public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
      lines.add(labels + " " + t + "=" + h);
      return 1;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  private static List<String> expected(List<Series> series) {
    List<String> out = new ArrayList<>();
    for (Series s : series) {
      // The decoder appends in wire order, which is the order the points were encoded in.
      for (Object[] p : s.points) {
        if (p[1] instanceof Double d) {
          out.add(s.labels + " " + p[0] + "=" + Double.doubleToRawLongBits(d));
        } else {
          out.add(s.labels + " " + p[0] + "=" + p[1]);
        }
      }
    }
    return out;
  }

  private static void encode(RemoteWriteEncoder enc, List<Series> series) {
    enc.reset();
    for (Series s : series) {
      enc.beginSeries(s.labels);
      for (Object[] p : s.points) {
        if (p[1] instanceof Double d) {
          enc.sample((Long) p[0], d);
        } else {
          enc.histogram((Long) p[0], (FloatHistogram) p[1]);
        }
      }
      enc.endSeries();
    }
    enc.finish();
    enc.compress();
  }

  /** Decompresses the body with our own snappy decoder and decodes it with our decoder. */
  private static List<String> decode(RemoteWriteEncoder enc) throws Exception {
    SnappyBlockDecoder snappy = new SnappyBlockDecoder(64 << 20);
    snappy.decode(enc.body(), 0, enc.bodyLength());
    assertThat(Arrays.copyOf(snappy.buffer(), snappy.length()))
        .isEqualTo(Arrays.copyOf(enc.message(), enc.messageLength()));
    Recorder r = new Recorder();
    PushStats stats = new PushStats();
    new RemoteWriteDecoder(new ValidationLimits(1000, 1 << 20, 1 << 20))
        .decode(enc.version(), snappy.buffer(), 0, snappy.length(), r, stats);
    assertThat(stats.rejectedTotal()).as("rejected: %s", stats.firstError()).isZero();
    return r.lines;
  }

  static FloatHistogram histogram(Random r) {
    int n = 1 + r.nextInt(5);
    double[] pos = new double[n];
    double count = 0;
    for (int i = 0; i < n; i++) {
      pos[i] = r.nextInt(100);
      count += pos[i];
    }
    double[] neg = r.nextBoolean() ? new double[] {2.5} : new double[0];
    List<Span> negSpans = neg.length == 0 ? List.of() : List.of(new Span(-3, 1));
    count += neg.length == 0 ? 0 : 2.5;
    double zero = r.nextInt(3);
    CounterResetHint hint = CounterResetHint.values()[r.nextInt(4)];
    return new FloatHistogram(hint, r.nextInt(9) - 4, 0.001, zero, count + zero, r.nextDouble() * 100,
        List.of(new Span(r.nextInt(5) - 2, n)), pos, negSpans, neg, null);
  }

  static List<Series> randomRequest(Random r, int nSeries) {
    List<Series> out = new ArrayList<>();
    for (int s = 0; s < nSeries; s++) {
      String[] kv = {"__name__", "metric_" + r.nextInt(1000), "instance", "host-" + s + ":9100",
          "job", r.nextBoolean() ? "node" : "jöb-ünïcode-€-𝄞", "long", "x".repeat(r.nextInt(300))};
      List<Object[]> points = new ArrayList<>();
      int n = r.nextInt(6);
      for (int i = 0; i < n; i++) {
        long t = 1_700_000_000_000L + i * 15_000L - r.nextInt(2) * 3_000_000_000_000L;
        if (r.nextInt(5) == 0) {
          points.add(new Object[] {t, histogram(r)});
        } else {
          double v = switch (r.nextInt(6)) {
            case 0 -> Double.NaN;
            case 1 -> -0.0;
            case 2 -> Double.longBitsToDouble(0x7ff0000000000002L); // stale-marker-like NaN payload
            case 3 -> 0.0;
            default -> r.nextGaussian() * 1e6;
          };
          points.add(new Object[] {t, v});
        }
      }
      out.add(new Series(Labels.of(kv), points));
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(RemoteWriteVersion.class)
  void roundTripsThroughTheDecoder(RemoteWriteVersion v) throws Exception {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(v);
    Random r = new Random(42);
    for (int round = 0; round < 300; round++) {
      List<Series> req = randomRequest(r, r.nextInt(40));
      encode(enc, req); // the same encoder each round: reuse must not leak state
      assertThat(decode(enc)).as("round %d", round).isEqualTo(expected(req));
    }
  }

  @Test
  void v1BodyParsesWithTheGeneratedMessages() throws Exception {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    FloatHistogram h = new FloatHistogram(CounterResetHint.GAUGE, 3, 0.5, 1, 11, 42.5,
        List.of(new Span(-2, 2)), new double[] {4, 6}, List.of(), new double[0], null);
    encode(enc, List.of(new Series(Labels.of("__name__", "up", "job", "a"),
        List.of(new Object[] {1000L, 1.0}, new Object[] {2000L, 0.0}, new Object[] {3000L, h}))));
    WriteRequest w = WriteRequest.parseFrom(Arrays.copyOf(enc.message(), enc.messageLength()));
    assertThat(w.getTimeseriesCount()).isEqualTo(1);
    var ts = w.getTimeseries(0);
    assertThat(ts.getLabelsList()).extracting(l -> l.getName() + "=" + l.getValue())
        .containsExactly("__name__=up", "job=a");
    assertThat(ts.getSamplesList()).extracting(s -> s.getTimestamp() + ":" + s.getValue())
        .containsExactly("1000:1.0", "2000:0.0");
    var ph = ts.getHistograms(0);
    assertThat(ph.getCountFloat()).isEqualTo(11);
    assertThat(ph.getZeroCountFloat()).isEqualTo(1);
    assertThat(ph.getSchema()).isEqualTo(3);
    assertThat(ph.getSum()).isEqualTo(42.5);
    assertThat(ph.getPositiveSpans(0).getOffset()).isEqualTo(-2);
    assertThat(ph.getPositiveCountsList()).containsExactly(4.0, 6.0);
    assertThat(ph.getResetHintValue()).isEqualTo(3);
    assertThat(ph.getTimestamp()).isEqualTo(3000);
  }

  @Test
  void v2BodyHasOneSymbolTableStartingWithTheEmptyString() throws Exception {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V2);
    encode(enc, List.of(
        new Series(Labels.of("__name__", "up", "job", "a"), List.<Object[]>of(new Object[] {1000L, 1.0})),
        new Series(Labels.of("__name__", "up", "job", "b"), List.<Object[]>of(new Object[] {1000L, 0.0}))));
    Request req = Request.parseFrom(Arrays.copyOf(enc.message(), enc.messageLength()));
    assertThat(req.getSymbolsList()).containsExactly("", "__name__", "up", "job", "a", "b");
    assertThat(req.getTimeseries(0).getLabelsRefsList()).containsExactly(1, 2, 3, 4);
    assertThat(req.getTimeseries(1).getLabelsRefsList()).containsExactly(1, 2, 3, 5);
    assertThat(req.getTimeseries(1).getSamples(0).getTimestamp()).isEqualTo(1000);
  }

  @Test
  void longNestedMessagesGetMultiByteLengths() throws Exception {
    // Series bodies of 127, 128, 16383 and 16384+ bytes cross the varint length boundaries.
    for (RemoteWriteVersion v : RemoteWriteVersion.values()) {
      RemoteWriteEncoder enc = new RemoteWriteEncoder(v);
      for (int len : new int[] {100, 110, 115, 118, 119, 120, 121, 16_360, 16_370, 16_380, 40_000}) {
        List<Series> req = List.of(new Series(Labels.of("__name__", "m", "big", "y".repeat(len)),
            List.<Object[]>of(new Object[] {5L, 2.0})));
        encode(enc, req);
        assertThat(decode(enc)).as("%s %d", v, len).isEqualTo(expected(req));
      }
    }
  }

  @Test
  void misuseIsRefused() {
    RemoteWriteEncoder enc = new RemoteWriteEncoder(RemoteWriteVersion.V1);
    assertThatThrownBy(() -> enc.sample(1, 1)).isInstanceOf(IllegalStateException.class);
    enc.beginSeries(Labels.of("a", "b"));
    assertThatThrownBy(() -> enc.beginSeries(Labels.of("a", "b"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(enc::finish).isInstanceOf(IllegalStateException.class);
    enc.endSeries();
    assertThatThrownBy(enc::message).isInstanceOf(IllegalStateException.class);
    enc.finish();
    assertThatThrownBy(() -> enc.beginSeries(Labels.of("a", "b"))).isInstanceOf(IllegalStateException.class);
  }
}
