package dev.vigil.protocol.remote;

import static dev.vigil.protocol.remote.RemoteWriteFixtures.sample;
import static dev.vigil.protocol.remote.RemoteWriteFixtures.seriesV1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.protocol.remote.v1.pb.WriteRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RemoteWriteDecoderTest {
  private final RemoteWriteDecoder decoder = new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS);
  private final InMemoryStorage store = new InMemoryStorage();
  private final PushStats stats = new PushStats();

  private void push(RemoteWriteVersion v, byte[] body) throws MalformedBodyException {
    Appender app = store.appender();
    try {
      decoder.decode(v, body, 0, body.length, app, stats);
    } catch (MalformedBodyException e) {
      app.rollback();
      throw e;
    }
    app.commit();
  }

  /** Every sample of the store as "labels t=v" or "labels t=histogram", in order. */
  private List<String> dump() {
    return dump((labels, it, k) -> labels + " " + it.atT() + "="
        + (k == ValueKind.FLOAT ? Double.toString(it.atF()) : it.atHistogram().toString()));
  }

  /** How {@link #dump(SampleFormat)} writes one sample. */
  interface SampleFormat {
    String of(dev.vigil.model.labels.Labels labels, SampleIterator it, ValueKind kind);
  }

  /** Every sample of the store, in order, as {@code format} writes it. */
  private List<String> dump(SampleFormat format) {
    List<String> out = new ArrayList<>();
    try (Querier q = store.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
          List.of(Matcher.of(dev.vigil.model.labels.MatchType.REGEX, "__name__", ".+")));
      while (set.next()) {
        SampleIterator it = set.at().iterator(null);
        for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
          out.add(format.of(set.at().labels(), it, k));
        }
      }
    }
    return out;
  }

  @Test
  void v1RoundTripStoresFloatsAndIntegerHistograms() throws Exception {
    push(RemoteWriteVersion.V1, RemoteWriteFixtures.v1().toByteArray());

    assertThat(stats.samplesWritten()).isEqualTo(3);
    assertThat(stats.histogramsWritten()).isEqualTo(1);
    assertThat(stats.rejectedTotal()).isZero();
    assertThat(stats.firstError()).isNull();
    FloatHistogram expected = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.001, 1, 6, 3.5,
        List.of(new Span(0, 2), new Span(1, 1)), new double[] {1, 3, 2}, List.of(),
        new double[0], null);
    assertThat(dump()).containsExactly(
        "{__name__=\"http_requests_total\", code=\"200\"} 1000=10.5",
        "{__name__=\"latency_seconds\"} 3000=" + expected,
        "{__name__=\"up\", instance=\"a:9100\", job=\"node\"} 1000=1.0",
        "{__name__=\"up\", instance=\"a:9100\", job=\"node\"} 2000=0.0");
  }

  @Test
  void v2RoundTripResolvesSymbolsAndFloatHistograms() throws Exception {
    push(RemoteWriteVersion.V2, RemoteWriteFixtures.v2().toByteArray());

    assertThat(stats.samplesWritten()).isEqualTo(3);
    assertThat(stats.histogramsWritten()).isEqualTo(1);
    assertThat(stats.exemplarsReceived()).isEqualTo(1);
    FloatHistogram expected = new FloatHistogram(CounterResetHint.GAUGE, 1, 0, 0, 2.5, 1,
        List.of(new Span(-1, 2)), new double[] {1, 1.5}, List.of(), new double[0], null);
    assertThat(dump()).containsExactly(
        "{__name__=\"latency_seconds\"} 4000=" + expected,
        "{__name__=\"temperature_celsius\"} 1000=-3.25",
        "{__name__=\"temperature_celsius\"} 2000=NaN",
        "{__name__=\"up\", job=\"node\"} 1000=1.0");
  }

  @Test
  void v2CreatedTimestampsReachTheStoreAsEachSamplesStart() throws Exception {
    var req = RemoteWriteFixtures.v2().toBuilder();
    req.setTimeseries(1, req.getTimeseries(1).toBuilder().setCreatedTimestamp(500));
    req.setTimeseries(2, req.getTimeseries(2).toBuilder().setCreatedTimestamp(-7));
    push(RemoteWriteVersion.V2, req.build().toByteArray());

    assertThat(stats.samplesWritten()).isEqualTo(3);
    assertThat(stats.histogramsWritten()).isEqualTo(1);
    assertThat(dump((labels, it, k) -> labels.get("__name__") + " " + it.atT() + " st="
        + it.atST())).containsExactly("latency_seconds 4000 st=-7",
        "temperature_celsius 1000 st=500", "temperature_celsius 2000 st=500", "up 1000 st=0");
  }

  @Test
  void invalidSeriesAreCountedPerReasonAndTheRestIsStored() throws Exception {
    WriteRequest req = WriteRequest.newBuilder()
        .addTimeseries(seriesV1("__name__", "ok").addSamples(sample(1, 1)))
        .addTimeseries(seriesV1("job", "x").addSamples(sample(1, 1)).addSamples(sample(2, 1)))
        .addTimeseries(seriesV1("__name__", "a", "z", "1", "b", "2").addSamples(sample(1, 1)))
        .addTimeseries(seriesV1("__name__", "a", "b", "1", "b", "2").addSamples(sample(1, 1)))
        .addTimeseries(seriesV1("__name__", "a", "b-c", "1").addSamples(sample(1, 1)))
        .addTimeseries(seriesV1("__name__", "1bad").addSamples(sample(1, 1)))
        .addTimeseries(seriesV1("__name__", "a", "v", "x".repeat(2049)).addSamples(sample(1, 1)))
        .build();
    push(RemoteWriteVersion.V1, req.toByteArray());

    assertThat(stats.samplesWritten()).isEqualTo(1);
    assertThat(stats.rejected(RejectReason.MISSING_METRIC_NAME)).isEqualTo(2);
    assertThat(stats.rejected(RejectReason.LABELS_NOT_SORTED)).isEqualTo(1);
    assertThat(stats.rejected(RejectReason.DUPLICATE_LABEL_NAMES)).isEqualTo(1);
    assertThat(stats.rejected(RejectReason.INVALID_LABEL)).isEqualTo(1);
    assertThat(stats.rejected(RejectReason.INVALID_METRIC_NAME)).isEqualTo(1);
    assertThat(stats.rejected(RejectReason.LABEL_VALUE_TOO_LONG)).isEqualTo(1);
    assertThat(stats.firstError()).isEqualTo(
        "received a series without metric name, series: '{job=\"x\"}' "
            + "(err-mimir-missing-metric-name)");
    assertThat(dump()).containsExactly("{__name__=\"ok\"} 1=1.0");
  }

  @Test
  void tooManyLabelsNamesTheLimit() throws Exception {
    String[] lv = new String[62];
    lv[0] = "__name__";
    lv[1] = "m";
    for (int i = 1; i < 31; i++) {
      lv[2 * i] = String.format("l%02d", i);
      lv[2 * i + 1] = "v";
    }
    push(RemoteWriteVersion.V1, WriteRequest.newBuilder()
        .addTimeseries(seriesV1(lv).addSamples(sample(1, 1))).build().toByteArray());
    assertThat(stats.rejected(RejectReason.MAX_LABEL_NAMES_PER_SERIES)).isEqualTo(1);
    assertThat(stats.firstError()).startsWith(
        "received a series whose number of labels exceeds the limit (actual: 31, limit: 30)")
        .endsWith("(err-mimir-max-label-names-per-series)");
  }

  @Test
  void storageRejectionsAreCountedNotThrown() throws Exception {
    Appender refusing = new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        throw new StorageException("out of order sample");
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
        throw new StorageException("out of order sample");
      }

      @Override
      public void commit() {}

      @Override
      public void rollback() {}
    };
    byte[] body = RemoteWriteFixtures.v1().toByteArray();
    decoder.decode(RemoteWriteVersion.V1, body, 0, body.length, refusing, stats);
    assertThat(stats.rejected(RejectReason.STORAGE)).isEqualTo(4);
    assertThat(stats.firstError()).startsWith("out of order sample, timestamp: 1000, series: '{");
  }

  @Test
  void wrongVersionIsAnErrorNotAnEmptyPush() {
    byte[] v1 = RemoteWriteFixtures.v1().toByteArray();
    byte[] v2 = RemoteWriteFixtures.v2().toByteArray();
    assertThatThrownBy(() -> push(RemoteWriteVersion.V2, v1))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageContaining("is this a 1.0 WriteRequest?");
    assertThatThrownBy(() -> push(RemoteWriteVersion.V1, v2))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageContaining("is this a 2.0 Request?");
    assertThat(dump()).isEmpty();
  }

  @Test
  void symbolReferenceOutOfRangeIsMalformed() {
    byte[] body = dev.vigil.protocol.remote.v2.pb.Request.newBuilder().addSymbols("")
        .addSymbols("__name__").addTimeseries(dev.vigil.protocol.remote.v2.pb.TimeSeries
            .newBuilder().addLabelsRefs(1).addLabelsRefs(7))
        .build().toByteArray();
    assertThatThrownBy(() -> push(RemoteWriteVersion.V2, body))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessage("malformed remote write 2.0 Request: label symbol reference 7 is out of "
            + "range (2 symbols) at byte 18");
  }

  @Test
  void everyTruncationFailsCleanlyAndNeverInventsSamples() {
    for (RemoteWriteVersion v : RemoteWriteVersion.values()) {
      byte[] full = v == RemoteWriteVersion.V1 ? RemoteWriteFixtures.v1().toByteArray()
          : RemoteWriteFixtures.v2().toByteArray();
      for (int len = 0; len < full.length; len++) {
        PushStats s = new PushStats();
        try {
          decoder.decode(v, full, 0, len, new InMemoryStorage().appender(), s);
        } catch (MalformedBodyException e) {
          assertThat(e.getMessage()).startsWith("malformed remote write");
        }
        assertThat(s.samplesWritten() + s.histogramsWritten()).isLessThanOrEqualTo(4);
      }
    }
  }

  @Test
  void fuzzedBodiesOnlyEverFailWithMalformedBody() {
    Random random = new Random(42);
    byte[][] seeds = {RemoteWriteFixtures.v1().toByteArray(),
        RemoteWriteFixtures.v2().toByteArray()};
    for (int round = 0; round < 4000; round++) {
      byte[] body = seeds[round & 1].clone();
      if (round % 10 == 9) {
        body = new byte[random.nextInt(64)];
        random.nextBytes(body);
      } else {
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          body[random.nextInt(body.length)] = (byte) random.nextInt(256);
        }
      }
      RemoteWriteVersion v = RemoteWriteVersion.values()[random.nextInt(2)];
      try {
        decoder.decode(v, body, 0, body.length, new InMemoryStorage().appender(), new PushStats());
      } catch (MalformedBodyException expected) {
        // the one acceptable failure
      }
    }
  }
}
