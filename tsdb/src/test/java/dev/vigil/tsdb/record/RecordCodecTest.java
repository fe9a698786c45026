package dev.vigil.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.contract.TestHistograms;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.HistogramCodec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  /** Collects decoded elements as strings, so tests compare whole records at once. */
  static final class Collect implements RecordDecoder.Visitor {
    final List<String> out = new ArrayList<>();

    @Override
    public void series(long ref, Labels labels) {
      out.add("series " + ref + " " + labels);
    }

    @Override
    public void floatSample(long ref, long t, double v) {
      out.add("float " + ref + " " + t + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
    }

    @Override
    public void histogramSample(long ref, long t, FloatHistogram h) {
      out.add("hist " + ref + " " + t + " " + h);
    }
  }

  static List<String> decode(byte[] b) {
    Collect c = new Collect();
    new RecordDecoder().decode(new ByteSource("rec", b), c);
    return c.out;
  }

  @Test
  void roundTripsGeneratedRecords() {
    Random r = new Random(11);
    RecordEncoder enc = new RecordEncoder();
    for (int iter = 0; iter < 300; iter++) {
      ByteSink s = new ByteSink();
      List<String> want = new ArrayList<>();
      int n = 1 + r.nextInt(50);
      switch (iter % 4) {
        case 3 -> {
          enc.seriesV2Start();
          for (int i = 0; i < n; i++) {
            // Shared names and values, one of each per series, a name that is also a value,
            // and a series with one label or none.
            Labels l = switch (r.nextInt(4)) {
              case 0 -> Labels.EMPTY;
              case 1 -> Labels.of("job", "job");
              default -> Labels.of("__name__", "m" + r.nextInt(5), "pod", "p-é-" + r.nextInt(),
                  "a" + r.nextInt(3), "\n\"" + i, "zz", "m" + r.nextInt(5));
            };
            long ref = 1 + r.nextInt(Integer.MAX_VALUE - 1);
            enc.seriesV2(ref, l);
            want.add("series " + ref + " " + l);
          }
          enc.seriesV2End(s);
        }
        case 0 -> {
          enc.seriesStart(s);
          for (int i = 0; i < n; i++) {
            Labels l = Labels.of("__name__", "m" + r.nextInt(5), "pod", "p-é-" + r.nextInt(),
                "z", "\n\"" + i);
            long ref = 1 + r.nextInt(Integer.MAX_VALUE - 1);
            enc.series(s, ref, l);
            want.add("series " + ref + " " + l);
          }
        }
        case 1 -> {
          long ref0 = 1 + r.nextInt(1000);
          long t0 = r.nextLong();
          enc.floatsStart(s, ref0, t0);
          for (int i = 0; i < n; i++) {
            long ref = i == 0 ? ref0 : 1 + r.nextInt(100_000);
            long t = i == 0 ? t0 : t0 + r.nextInt(1 << 20) - (1 << 19);
            double v = i % 5 == 0 ? StaleNaN.VALUE : r.nextGaussian();
            enc.floatSample(s, ref, t, v);
            want.add("float " + ref + " " + t + " " + Long.toHexString(Double.doubleToRawLongBits(v)));
          }
        }
        default -> {
          enc.histogramsStart(s, 7, 1000);
          for (int i = 0; i < n; i++) {
            FloatHistogram h = TestHistograms.random(r);
            enc.histogramSample(s, 7 + i, 1000 + i, h);
            want.add("hist " + (7 + i) + " " + (1000 + i) + " " + h);
          }
        }
      }
      assertThat(decode(s.toByteArray())).isEqualTo(want);
    }
  }

  /** A histogram whose counts are whole, fractional or special, and whose threshold may be 0. */
  private static FloatHistogram mixedHistogram(Random r) {
    FloatHistogram base = TestHistograms.random(r);
    double[] odd = {-0.0, Double.NaN, 0.5, 1L << 53, (1L << 53) + 2, -7, Double.POSITIVE_INFINITY};
    double[] pb = base.positiveBuckets().clone();
    double[] nb = base.negativeBuckets().clone();
    double count = base.count();
    double zero = base.zeroCount();
    switch (r.nextInt(4)) {
      case 0 -> { } // whole counts
      case 1 -> count = odd[r.nextInt(odd.length)];
      case 2 -> zero = odd[r.nextInt(odd.length)];
      default -> {
        if (pb.length > 0) {
          pb[r.nextInt(pb.length)] = odd[r.nextInt(odd.length)];
        }
      }
    }
    double threshold = r.nextBoolean() ? 0 : base.zeroThreshold();
    return new FloatHistogram(base.counterResetHint(), base.schema(), threshold, zero, count,
        base.sum(), base.positiveSpans(), pb, base.negativeSpans(), nb, base.customValues());
  }

  private static String bits(FloatHistogram h) {
    StringBuilder sb = new StringBuilder(h.toString());
    for (double v : new double[] {h.count(), h.zeroCount(), h.sum(), h.zeroThreshold()}) {
      sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
    for (double v : h.positiveBuckets()) {
      sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
    for (double v : h.negativeBuckets()) {
      sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
    }
    return sb.toString();
  }

  @Test
  void histogramRecordsComeBackBitForBitAndOlderOnesStillDecode() {
    Random r = new Random(17);
    for (int run = 0; run < 300; run++) {
      List<FloatHistogram> hs = new ArrayList<>();
      for (int i = 0, n = 1 + r.nextInt(20); i < n; i++) {
        hs.add(mixedHistogram(r));
      }
      ByteSink v2 = new ByteSink();
      new RecordEncoder().histogramsStart(v2, 5, 100);
      ByteSink v1 = new ByteSink();
      v1.putByte(RecordType.HISTOGRAM_SAMPLES_V1); // as writers before type 18 did
      v1.putBE64(5);
      v1.putBE64(100);
      RecordEncoder enc = new RecordEncoder();
      enc.histogramsStart(new ByteSink(), 5, 100);
      for (int i = 0; i < hs.size(); i++) {
        enc.histogramSample(v2, 5 + i, 100 + i, hs.get(i));
        v1.putVarint(i);
        v1.putVarint(i);
        HistogramCodec.encode(v1, hs.get(i));
      }
      assertThat(v2.toByteArray()[0]).isEqualTo((byte) RecordType.HISTOGRAM_SAMPLES_V2);
      for (byte[] record : new byte[][] {v2.toByteArray(), v1.toByteArray()}) {
        List<String> got = new ArrayList<>();
        new RecordDecoder().decode(new ByteSource("rec", record), new RecordDecoder.Visitor() {
          @Override
          public void histogramSample(long ref, long t, FloatHistogram h) {
            got.add(ref + " " + t + " " + bits(h));
          }
        });
        List<String> want = new ArrayList<>();
        for (int i = 0; i < hs.size(); i++) {
          want.add((5 + i) + " " + (100 + i) + " " + bits(hs.get(i)));
        }
        assertThat(got).as("run " + run + ", type " + record[0]).isEqualTo(want);
      }
    }
  }

  @Test
  void wholeCountsTakeAFractionOfTheBytes() {
    // A 16-bucket latency histogram with counts in the thousands: varints of the differences
    // between neighbouring buckets instead of 8 bytes a count.
    double[] b = new double[16];
    for (int i = 0; i < b.length; i++) {
      b[i] = 1000 + 37 * i * (16 - i);
    }
    FloatHistogram h = new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET,
        3, 0, 0, 50_000, 1234.5, List.of(new Span(-4, 16)), b,
        List.of(), new double[0], null);
    ByteSink compact = new ByteSink();
    HistogramCodec.encodeCompact(compact, h);
    ByteSink plain = new ByteSink();
    HistogramCodec.encode(plain, h);
    assertThat(compact.toByteArray().length).as("plain %d bytes", plain.toByteArray().length)
        .isLessThan(plain.toByteArray().length / 3);
  }

  @Test
  void goldenBytes() {
    ByteSink s = new ByteSink();
    RecordEncoder enc = new RecordEncoder();
    enc.seriesStart(s);
    enc.series(s, 3, Labels.of("a", "b"));
    assertThat(HexFormat.of().formatHex(s.toByteArray())).isEqualTo("01" + "03" + "01" + "0161" + "0162");
    s.reset();
    enc.floatsStart(s, 3, 1000);
    enc.floatSample(s, 3, 1000, 1.0);
    enc.floatSample(s, 2, 1015, -2.0);
    assertThat(HexFormat.of().formatHex(s.toByteArray())).isEqualTo("02" + "0000000000000003"
        + "00000000000003e8" + "00" + "00" + "3ff0000000000000" + "01" + "1e" + "c000000000000000");
  }

  @Test
  void seriesV2GoldenBytes() {
    ByteSink s = new ByteSink();
    RecordEncoder enc = new RecordEncoder();
    enc.seriesV2Start();
    enc.seriesV2(3, Labels.of("job", "x", "a", "b"));
    enc.seriesV2(4, Labels.of("job", "b"));
    enc.seriesV2End(s);
    // Symbols sorted: a b job x (ids 0 1 2 3); then ref, count, (name id, value id) pairs.
    assertThat(HexFormat.of().formatHex(s.toByteArray())).isEqualTo("13" + "04"
        + "0161" + "0162" + "036a6f62" + "0178"
        + "03" + "02" + "0001" + "0203"
        + "04" + "01" + "0201");
  }

  @Test
  void seriesV2WritesEachStringOncePerRecord() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink v1 = new ByteSink();
    ByteSink v2 = new ByteSink();
    enc.seriesStart(v1);
    enc.seriesV2Start();
    List<String> want = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) {
      // A scrape target's new series: its pod, node and job labels shared by all of them.
      Labels l = Labels.of("__name__", "metric_" + (i % 200) + "_total", "instance",
          "10.0.0.7:8080", "job", "kubelet", "namespace", "kube-system", "node",
          "ip-10-0-1-17.ec2.internal", "pod", "coredns-7d9f8b6c4-x2x7q", "le", "" + (i / 200));
      enc.series(v1, i, l);
      enc.seriesV2(i, l);
      want.add("series " + i + " " + l);
    }
    enc.seriesV2End(v2);
    assertThat(decode(v2.toByteArray())).isEqualTo(want);
    assertThat(v2.length()).as("v1 %d bytes", v1.length()).isLessThan(v1.length() / 5);
  }

  @Test
  void anEncoderWritesSmallSeriesRecordsRightAfterALargeOne() {
    RecordEncoder enc = new RecordEncoder();
    for (int size : new int[] {3000, 2, 1, 3000, 3000, 5, 700}) {
      ByteSink s = new ByteSink();
      List<String> want = new ArrayList<>();
      enc.seriesV2Start();
      for (int i = 0; i < size; i++) {
        Labels l = Labels.of("__name__", "m", "pod", "pod-" + size + "-" + i, "job", "j" + i % 3);
        enc.seriesV2(i + 1, l);
        want.add("series " + (i + 1) + " " + l);
      }
      enc.seriesV2End(s);
      assertThat(decode(s.toByteArray())).as("record of %d", size).isEqualTo(want);
    }
  }

  @Test
  void seriesV2RejectsSymbolsOrIdsThatDoNotDecodeToOrderedLabels() {
    ByteSink unsorted = new ByteSink().putByte(RecordType.SERIES_V2).putUvarint(2)
        .putUvarintString("b").putUvarintString("a");
    assertThatThrownBy(() -> decode(unsorted.toByteArray()))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("symbols out of order: b then a");
    ByteSink outOfRange = new ByteSink().putByte(RecordType.SERIES_V2).putUvarint(2)
        .putUvarintString("a").putUvarintString("b").putUvarint(1).putUvarint(1)
        .putUvarint(0).putUvarint(2);
    assertThatThrownBy(() -> decode(outOfRange.toByteArray()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("label value symbol 2 out of range [0, 1]");
    ByteSink namesBackwards = new ByteSink().putByte(RecordType.SERIES_V2).putUvarint(2)
        .putUvarintString("a").putUvarintString("b").putUvarint(1).putUvarint(2)
        .putUvarint(1).putUvarint(0).putUvarint(0).putUvarint(1);
    assertThatThrownBy(() -> decode(namesBackwards.toByteArray()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("label names out of order: b then a");
    ByteSink refZero = new ByteSink().putByte(RecordType.SERIES_V2).putUvarint(0).putUvarint(0)
        .putUvarint(0);
    assertThatThrownBy(() -> decode(refZero.toByteArray())).hasMessageContaining("series ref 0");
  }

  @Test
  void truncationYieldsAnErrorOrAWholeElementPrefixNeverGarbage() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink s = new ByteSink();
    enc.seriesStart(s);
    for (int i = 1; i <= 5; i++) {
      enc.series(s, i, Labels.of("__name__", "metric" + i, "job", "j"));
    }
    check(s.toByteArray());
    s.reset();
    enc.seriesV2Start();
    for (int i = 1; i <= 5; i++) {
      enc.seriesV2(i, Labels.of("__name__", "metric" + i, "job", "j"));
    }
    enc.seriesV2End(s);
    check(s.toByteArray());
    s.reset();
    enc.histogramsStart(s, 1, 1);
    Random r = new Random(2);
    for (int i = 0; i < 4; i++) {
      enc.histogramSample(s, 1, 1 + i, TestHistograms.random(r));
    }
    check(s.toByteArray());
  }

  // The WAL's CRC is what catches a cut at an element boundary; the decoder must at least never
  // return something that was not written.
  private static void check(byte[] full) {
    List<String> all = decode(full);
    for (int len = 0; len < full.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(full, len);
      try {
        List<String> got = decode(cut);
        assertThat(got.size()).as("cut at " + len).isLessThan(all.size());
        assertThat(got).as("cut at " + len).isEqualTo(all.subList(0, got.size()));
      } catch (CorruptDataException e) {
        assertThat(e.getMessage()).contains("rec at offset");
      }
    }
  }

  @Test
  void rejectsUnknownTypesAndBadSeries() {
    assertThatThrownBy(() -> decode(new byte[] {9})).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("unknown record type 9");
    ByteSink s = new ByteSink();
    s.putByte(RecordType.SERIES_V1).putUvarint(1).putUvarint(2).putUvarintString("b")
        .putUvarintString("1").putUvarintString("a").putUvarintString("2");
    assertThatThrownBy(() -> decode(s.toByteArray())).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("label names out of order");
    ByteSink z = new ByteSink().putByte(RecordType.SERIES_V1).putUvarint(0).putUvarint(0);
    assertThatThrownBy(() -> decode(z.toByteArray())).hasMessageContaining("series ref 0");
  }
}
