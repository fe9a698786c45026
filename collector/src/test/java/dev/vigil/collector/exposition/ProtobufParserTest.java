package dev.vigil.collector.exposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.exposition.pb.Bucket;
import dev.vigil.protocol.exposition.pb.BucketSpan;
import dev.vigil.protocol.exposition.pb.Counter;
import dev.vigil.protocol.exposition.pb.Gauge;
import dev.vigil.protocol.exposition.pb.Histogram;
import dev.vigil.protocol.exposition.pb.LabelPair;
import dev.vigil.protocol.exposition.pb.Metric;
import dev.vigil.protocol.exposition.pb.MetricFamily;
import dev.vigil.protocol.exposition.pb.MetricType;
import dev.vigil.protocol.exposition.pb.Quantile;
import dev.vigil.protocol.exposition.pb.Summary;
import dev.vigil.protocol.exposition.pb.Untyped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protobuf exposition format, entry by entry, as Prometheus's ProtobufParser presents it. */
class ProtobufParserTest {
  /** Encodes families as the delimited stream exporters send. */
  static byte[] delimited(MetricFamily... families) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (MetricFamily f : families) {
        f.writeDelimitedTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static List<String> entries(byte[] body, boolean classicToo) {
    ProtobufParser p = ProtobufParser.create(body, classicToo);
    List<String> out = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      String ts = p.hasTimestamp() ? " @" + p.timestamp() : "";
      out.add(switch (e) {
        case HELP -> "HELP " + p.metricFamily() + " " + p.help();
        case TYPE -> "TYPE " + p.metricFamily() + " " + p.type();
        case UNIT -> "UNIT " + p.metricFamily() + " " + p.unit();
        case SERIES -> p.labels() + " " + p.value() + ts;
        case HISTOGRAM -> p.labels() + " " + p.histogram() + ts;
        case COMMENT, EOF -> throw new AssertionError(e);
      });
    }
    return out;
  }

  static Metric.Builder metric(String... labels) {
    Metric.Builder m = Metric.newBuilder();
    for (int i = 0; i < labels.length; i += 2) {
      m.addLabel(LabelPair.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
    }
    return m;
  }

  static MetricFamily family(String name, MetricType type, Metric.Builder... metrics) {
    MetricFamily.Builder f = MetricFamily.newBuilder().setName(name).setHelp("help of " + name).setType(type);
    for (Metric.Builder m : metrics) {
      f.addMetric(m);
    }
    return f.build();
  }

  @Test
  void countersGaugesAndUntyped() {
    byte[] body = delimited(
        family("requests_total", MetricType.COUNTER,
            metric("code", "200", "method", "get").setCounter(Counter.newBuilder().setValue(1027)),
            metric("code", "500").setCounter(Counter.newBuilder().setValue(3)).setTimestampMs(1_600_000_000_000L)),
        family("temperature", MetricType.GAUGE, metric().setGauge(Gauge.newBuilder().setValue(-0.0))),
        family("mystery", MetricType.UNTYPED, metric("a", "ü").setUntyped(Untyped.newBuilder().setValue(Double.NaN))));
    assertThat(entries(body, false)).containsExactly(
        "HELP requests_total help of requests_total",
        "TYPE requests_total COUNTER",
        "{__name__=\"requests_total\", code=\"200\", method=\"get\"} 1027.0",
        "{__name__=\"requests_total\", code=\"500\"} 3.0 @1600000000000",
        "HELP temperature help of temperature",
        "TYPE temperature GAUGE",
        "{__name__=\"temperature\"} -0.0",
        "HELP mystery help of mystery",
        "TYPE mystery UNKNOWN",
        "{__name__=\"mystery\", a=\"ü\"} NaN");
  }

  @Test
  void createdTimestampsAreTheStartOfEverySeriesOfTheirMetric() {
    com.google.protobuf.Timestamp created = com.google.protobuf.Timestamp.newBuilder()
        .setSeconds(1_600_000_000L).setNanos(123_999_999).build();
    long ms = 1_600_000_000_123L;
    byte[] body = delimited(
        family("requests_total", MetricType.COUNTER,
            metric("code", "200").setCounter(Counter.newBuilder().setValue(3).setCreatedTimestamp(created)),
            metric("code", "500").setCounter(Counter.newBuilder().setValue(1))),
        family("rpc_seconds", MetricType.SUMMARY, metric().setSummary(Summary.newBuilder()
            .setSampleCount(1).setSampleSum(2).setCreatedTimestamp(created)
            .addQuantile(Quantile.newBuilder().setQuantile(0.5).setValue(2)))),
        family("size_bytes", MetricType.HISTOGRAM, metric().setHistogram(Histogram.newBuilder()
            .setSampleCount(1).setSampleSum(3).setCreatedTimestamp(created)
            .addBucket(Bucket.newBuilder().setUpperBound(10).setCumulativeCount(1)))),
        family("wait_seconds", MetricType.HISTOGRAM,
            metric().setHistogram(nativeInts().setCreatedTimestamp(created))),
        family("temperature", MetricType.GAUGE, metric().setGauge(Gauge.newBuilder().setValue(1))));
    ProtobufParser p = ProtobufParser.create(body, false);
    List<String> starts = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES || e == Entry.HISTOGRAM) {
        starts.add(p.labels().get("__name__") + p.labels().get("le") + p.labels().get("quantile")
            + " " + p.startTimestamp());
      } else {
        assertThat(p.startTimestamp()).as("no series, no start").isZero();
      }
    }
    assertThat(starts).containsExactly("requests_total " + ms, "requests_total 0",
        "rpc_seconds_count " + ms, "rpc_seconds_sum " + ms, "rpc_seconds0.5 " + ms,
        "size_bytes_count " + ms, "size_bytes_sum " + ms, "size_bytes_bucket10.0 " + ms,
        "size_bytes_bucket+Inf " + ms, "wait_seconds " + ms, "temperature 0");
  }

  @Test
  void unitIsAnEntryAndMustBeASuffix() {
    MetricFamily f = family("disk_read_bytes_total", MetricType.COUNTER, metric().setCounter(Counter.newBuilder().setValue(5)))
        .toBuilder().setUnit("bytes").build();
    assertThat(entries(delimited(f), false)).containsExactly(
        "HELP disk_read_bytes_total help of disk_read_bytes_total",
        "UNIT disk_read_bytes_total bytes",
        "TYPE disk_read_bytes_total COUNTER",
        "{__name__=\"disk_read_bytes_total\"} 5.0");
    MetricFamily bad = f.toBuilder().setUnit("seconds").build();
    assertThatThrownBy(() -> entries(delimited(bad), false)).isInstanceOf(ExpositionParseException.class)
        .hasMessage("byte 0: unit \"seconds\" not a suffix of counter \"disk_read_bytes_total\"");
  }

  @Test
  void summariesGiveCountSumAndQuantiles() {
    byte[] body = delimited(family("rpc_seconds", MetricType.SUMMARY,
        metric("svc", "a").setSummary(Summary.newBuilder().setSampleCount(7).setSampleSum(3.5)
            .addQuantile(Quantile.newBuilder().setQuantile(0.5).setValue(0.25))
            .addQuantile(Quantile.newBuilder().setQuantile(1).setValue(2))),
        metric("svc", "b").setSummary(Summary.newBuilder().setSampleCount(1).setSampleSum(1))));
    assertThat(entries(body, false)).containsExactly(
        "HELP rpc_seconds help of rpc_seconds",
        "TYPE rpc_seconds SUMMARY",
        "{__name__=\"rpc_seconds_count\", svc=\"a\"} 7.0",
        "{__name__=\"rpc_seconds_sum\", svc=\"a\"} 3.5",
        "{__name__=\"rpc_seconds\", quantile=\"0.5\", svc=\"a\"} 0.25",
        "{__name__=\"rpc_seconds\", quantile=\"1.0\", svc=\"a\"} 2.0",
        "{__name__=\"rpc_seconds_count\", svc=\"b\"} 1.0",
        "{__name__=\"rpc_seconds_sum\", svc=\"b\"} 1.0");
  }

  @Test
  void classicHistogramsGetAnInfBucketWhenMissing() {
    byte[] body = delimited(family("latency_seconds", MetricType.HISTOGRAM,
        metric().setHistogram(Histogram.newBuilder().setSampleCount(4).setSampleSum(2.5)
            .addBucket(Bucket.newBuilder().setUpperBound(0.1).setCumulativeCount(1))
            .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(3))),
        metric("x", "inf").setHistogram(Histogram.newBuilder().setSampleCountFloat(2.5).setSampleSum(1)
            .addBucket(Bucket.newBuilder().setUpperBound(5).setCumulativeCountFloat(1.5))
            .addBucket(Bucket.newBuilder().setUpperBound(Double.POSITIVE_INFINITY).setCumulativeCountFloat(2.5)))));
    assertThat(entries(body, false)).containsExactly(
        "HELP latency_seconds help of latency_seconds",
        "TYPE latency_seconds HISTOGRAM",
        "{__name__=\"latency_seconds_count\"} 4.0",
        "{__name__=\"latency_seconds_sum\"} 2.5",
        "{__name__=\"latency_seconds_bucket\", le=\"0.1\"} 1.0",
        "{__name__=\"latency_seconds_bucket\", le=\"1.0\"} 3.0",
        "{__name__=\"latency_seconds_bucket\", le=\"+Inf\"} 4.0",
        "{__name__=\"latency_seconds_count\", x=\"inf\"} 2.5",
        "{__name__=\"latency_seconds_sum\", x=\"inf\"} 1.0",
        "{__name__=\"latency_seconds_bucket\", le=\"5.0\", x=\"inf\"} 1.5",
        "{__name__=\"latency_seconds_bucket\", le=\"+Inf\", x=\"inf\"} 2.5");
  }

  /** Integer native histogram: deltas become absolute counts, empty edge buckets are compacted away. */
  static Histogram.Builder nativeInts() {
    return Histogram.newBuilder().setSampleCount(12).setSampleSum(42.5).setSchema(1).setZeroThreshold(0.001)
        .setZeroCount(2)
        .addPositiveSpan(BucketSpan.newBuilder().setOffset(-1).setLength(2))
        .addPositiveSpan(BucketSpan.newBuilder().setOffset(3).setLength(2))
        .addAllPositiveDelta(List.of(1L, 2L, -3L, 4L)) // counts 1, 3, 0, 4
        .addNegativeSpan(BucketSpan.newBuilder().setOffset(0).setLength(1))
        .addNegativeDelta(2);
  }

  static FloatHistogram expectedInts(CounterResetHint hint) {
    // The third positive bucket is empty and at a span's start: Compact(0) drops it.
    return new FloatHistogram(hint, 1, 0.001, 2, 12, 42.5,
        List.of(new Span(-1, 2), new Span(4, 1)), new double[] {1, 3, 4},
        List.of(new Span(0, 1)), new double[] {2}, null);
  }

  @Test
  void nativeHistogramsWithIntegerCounts() {
    ProtobufParser p = ProtobufParser.create(delimited(family("rpc_duration_seconds", MetricType.HISTOGRAM,
        metric("svc", "a").setHistogram(nativeInts()).setTimestampMs(1234))), false);
    assertThat(p.next()).isEqualTo(Entry.HELP);
    assertThat(p.next()).isEqualTo(Entry.TYPE);
    assertThat(p.next()).isEqualTo(Entry.HISTOGRAM);
    assertThat(p.labels()).isEqualTo(Labels.of("__name__", "rpc_duration_seconds", "svc", "a"));
    assertThat(p.histogram()).isEqualTo(expectedInts(CounterResetHint.UNKNOWN));
    assertThat(p.hasTimestamp()).isTrue();
    assertThat(p.timestamp()).isEqualTo(1234);
    assertThat(p.next()).isEqualTo(Entry.EOF);
  }

  @Test
  void nativeGaugeHistogramsWithFloatCounts() {
    Histogram.Builder h = Histogram.newBuilder().setSampleCountFloat(3.5).setSampleSum(-1).setSchema(-2)
        .setZeroThreshold(0).setZeroCountFloat(0.5)
        .addNegativeSpan(BucketSpan.newBuilder().setOffset(2).setLength(2))
        .addAllNegativeCount(List.of(1.0, 2.0));
    ProtobufParser p = ProtobufParser.create(delimited(family("queue", MetricType.GAUGE_HISTOGRAM, metric().setHistogram(h))), false);
    p.next();
    p.next();
    assertThat(p.next()).isEqualTo(Entry.HISTOGRAM);
    assertThat(p.histogram()).isEqualTo(new FloatHistogram(CounterResetHint.GAUGE, -2, 0, 0.5, 3.5, -1,
        List.of(), new double[0], List.of(new Span(2, 2)), new double[] {1, 2}, null));
    assertThat(p.hasTimestamp()).isFalse();
  }

  @Test
  void aZeroThresholdAloneMakesAHistogramNative() {
    Histogram.Builder empty = Histogram.newBuilder().setSchema(3).setZeroThreshold(1e-128);
    List<String> e = entries(delimited(family("fresh", MetricType.HISTOGRAM, metric().setHistogram(empty))), false);
    assertThat(e).hasSize(3);
    assertThat(e.get(2)).startsWith("{__name__=\"fresh\"} ");
  }

  @Test
  void classicSeriesOfANativeHistogramOnlyWhenAsked() {
    Histogram.Builder both = nativeInts().addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(5));
    byte[] body = delimited(family("dual", MetricType.HISTOGRAM, metric().setHistogram(both)));
    assertThat(entries(body, false)).hasSize(3);
    List<String> withClassic = entries(body, true);
    assertThat(withClassic.subList(3, withClassic.size())).containsExactly(
        "{__name__=\"dual_count\"} 12.0",
        "{__name__=\"dual_sum\"} 42.5",
        "{__name__=\"dual_bucket\", le=\"1.0\"} 5.0",
        "{__name__=\"dual_bucket\", le=\"+Inf\"} 12.0");
    assertThat(withClassic.get(2)).startsWith("{__name__=\"dual\"} ");
  }

  @Test
  void ignoringNativeHistogramsReadsThemAsClassic() {
    Histogram.Builder both = nativeInts().addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(5));
    byte[] body = delimited(family("dual", MetricType.HISTOGRAM, metric().setHistogram(both)),
        family("only", MetricType.GAUGE_HISTOGRAM, metric().setHistogram(nativeInts())));
    for (boolean classicToo : new boolean[] {false, true}) {
      ProtobufParser p = ProtobufParser.create(body, true, classicToo);
      List<String> series = new ArrayList<>();
      for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
        assertThat(e).isNotEqualTo(Entry.HISTOGRAM);
        if (e == Entry.SERIES) {
          series.add(p.labels() + " " + p.value());
        }
      }
      assertThat(series).as("classicToo=" + classicToo).containsExactly(
          "{__name__=\"dual_count\"} 12.0",
          "{__name__=\"dual_sum\"} 42.5",
          "{__name__=\"dual_bucket\", le=\"1.0\"} 5.0",
          "{__name__=\"dual_bucket\", le=\"+Inf\"} 12.0",
          "{__name__=\"only_count\"} 12.0",
          "{__name__=\"only_sum\"} 42.5",
          "{__name__=\"only_bucket\", le=\"+Inf\"} 12.0");
    }
  }

  @Test
  void emptyFamiliesAreSkipped() {
    byte[] body = delimited(MetricFamily.newBuilder().setName("nothing").setType(MetricType.GAUGE).build(),
        family("g", MetricType.GAUGE, metric().setGauge(Gauge.newBuilder().setValue(1))));
    assertThat(entries(body, false)).containsExactly("HELP g help of g", "TYPE g GAUGE", "{__name__=\"g\"} 1.0");
    assertThat(entries(new byte[0], false)).isEmpty();
  }

  @Test
  void seriesKeysTellSeriesApart() {
    byte[] body = delimited(family("s", MetricType.SUMMARY,
        metric("a", "1").setSummary(Summary.newBuilder().setSampleCount(1).addQuantile(Quantile.newBuilder().setQuantile(0.5)))));
    ProtobufParser p = ProtobufParser.create(body, false);
    List<byte[]> keys = new ArrayList<>();
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e == Entry.SERIES) {
        byte[] k = p.seriesBytes();
        assertThat(p.seriesBytesEqual(k, 0, k.length)).isTrue();
        keys.add(k);
      }
    }
    assertThat(keys).hasSize(3);
    assertThat(new String(keys.get(2), StandardCharsets.ISO_8859_1)).isEqualTo("s\u00ffa\u00ff1\u00ffquantile\u00ff0.5");
    assertThat(keys.get(0)).isNotEqualTo(keys.get(1));
  }

  @Test
  void badBodiesSayWhatAndWhere() {
    byte[] good = delimited(family("g", MetricType.GAUGE, metric().setGauge(Gauge.newBuilder().setValue(1))));
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> entries(truncated, false)).isInstanceOf(ExpositionParseException.class)
        .hasMessageStartingWith("byte 0: message of " + (good.length - 1) + " bytes but only " + (good.length - 2) + " left");
    byte[] twoThenGarbage = new byte[good.length + 3];
    System.arraycopy(good, 0, twoThenGarbage, 0, good.length);
    twoThenGarbage[good.length] = 2;
    twoThenGarbage[good.length + 1] = (byte) 0xff;
    twoThenGarbage[good.length + 2] = (byte) 0xff;
    assertThatThrownBy(() -> entries(twoThenGarbage, false)).isInstanceOf(ExpositionParseException.class)
        .hasMessageStartingWith("byte " + good.length + ": invalid MetricFamily message");
    assertThatThrownBy(() -> entries(new byte[] {(byte) 0x80}, false)).hasMessage("byte 0: truncated length prefix");

    MetricFamily badName = MetricFamily.newBuilder().setNameBytes(ByteString.copyFrom(new byte[] {'a', (byte) 0xff}))
        .setType(MetricType.GAUGE).addMetric(metric().setGauge(Gauge.newBuilder())).build();
    assertThatThrownBy(() -> entries(delimited(badName), false)).hasMessageStartingWith("byte 0: invalid metric name");

    byte[] dup = delimited(family("d", MetricType.GAUGE, metric("a", "1", "a", "2").setGauge(Gauge.newBuilder())));
    assertThatThrownBy(() -> entries(dup, false)).hasMessage("byte 0: label name \"a\" is not unique: invalid sample of \"d\"");

    Histogram.Builder mismatch = nativeInts().addPositiveDelta(1);
    assertThatThrownBy(() -> entries(delimited(family("h", MetricType.HISTOGRAM, metric().setHistogram(mismatch))), false))
        .hasMessage("byte 0: positive spans of \"h\" need 4 buckets, got 5");

    Histogram.Builder backwards = nativeInts().setPositiveSpan(1, BucketSpan.newBuilder().setOffset(-3).setLength(2));
    assertThatThrownBy(() -> entries(delimited(family("h", MetricType.HISTOGRAM, metric().setHistogram(backwards))), false))
        .hasMessage("byte 0: native histogram \"h\": span number 2 with offset -3: histogram has a span whose offset is negative");

    Histogram.Builder huge = nativeInts().setPositiveSpan(1, BucketSpan.newBuilder().setOffset(3).setLength(-2));
    assertThatThrownBy(() -> entries(delimited(family("h", MetricType.HISTOGRAM, metric().setHistogram(huge))), false))
        .hasMessage("byte 0: native histogram \"h\" has a span (offset 3, length 4294967294) beyond bucket index 1048576");

    Histogram.Builder schema = nativeInts().setSchema(9);
    assertThatThrownBy(() -> entries(delimited(family("h", MetricType.HISTOGRAM, metric().setHistogram(schema))), false))
        .hasMessage("byte 0: native histogram schema 9 is outside -4..8");
  }

  @Test
  void sameEntriesAsTheTextParserForTheSameMetrics() {
    byte[] proto = delimited(
        family("up_total", MetricType.COUNTER, metric("job", "x").setCounter(Counter.newBuilder().setValue(2))),
        family("s", MetricType.SUMMARY, metric().setSummary(Summary.newBuilder().setSampleCount(2).setSampleSum(1)
            .addQuantile(Quantile.newBuilder().setQuantile(0.99).setValue(0.5)))),
        family("h", MetricType.HISTOGRAM, metric().setHistogram(Histogram.newBuilder().setSampleCount(1).setSampleSum(3)
            .addBucket(Bucket.newBuilder().setUpperBound(1).setCumulativeCount(1)))));
    String text = """
        # HELP up_total help of up_total
        # TYPE up_total counter
        up_total{job="x"} 2
        # HELP s help of s
        # TYPE s summary
        s_count 2
        s_sum 1
        s{quantile="0.99"} 0.5
        # HELP h help of h
        # TYPE h histogram
        h_count 1
        h_sum 3
        h_bucket{le="1"} 1
        h_bucket{le="+Inf"} 1
        """;
    List<String> fromText = new ArrayList<>();
    TextParser t = TextParser.create(ExpositionFormat.PROMETHEUS_TEXT, text.getBytes(StandardCharsets.UTF_8));
    for (Entry e = t.next(); e != Entry.EOF; e = t.next()) {
      fromText.add(switch (e) {
        case HELP -> "HELP " + t.metricFamily() + " " + t.help();
        case TYPE -> "TYPE " + t.metricFamily() + " " + t.type();
        case SERIES -> t.labels() + " " + t.value();
        default -> throw new AssertionError(e);
      });
    }
    assertThat(entries(proto, false)).containsExactlyElementsOf(fromText);
  }
}
