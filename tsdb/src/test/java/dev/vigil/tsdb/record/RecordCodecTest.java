package dev.vigil.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.contract.TestHistograms;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
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
      switch (iter % 3) {
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
  void truncationYieldsAnErrorOrAWholeElementPrefixNeverGarbage() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink s = new ByteSink();
    enc.seriesStart(s);
    for (int i = 1; i <= 5; i++) {
      enc.series(s, i, Labels.of("__name__", "metric" + i, "job", "j"));
    }
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
