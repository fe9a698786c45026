package dev.vigil.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExemplarMetadataRecordTest {
  static final class Collect implements RecordDecoder.Visitor {
    final List<String> out = new ArrayList<>();

    @Override
    public void exemplar(long ref, long t, double v, Labels labels) {
      out.add("ex " + ref + " " + t + " " + Long.toHexString(Double.doubleToRawLongBits(v))
          + " " + labels);
    }

    @Override
    public void metadata(long ref, Metadata m) {
      out.add("md " + ref + " " + m);
    }
  }

  static List<String> decode(byte[] b) {
    Collect c = new Collect();
    new RecordDecoder().decode(new ByteSource("rec", b), c);
    return c.out;
  }

  private static String hex(ByteSink s) {
    return HexFormat.of().formatHex(s.toByteArray());
  }

  /** Bytes checked by hand against Prometheus's record.Encoder.Exemplars (tsdb/record). */
  @Test
  void exemplarGoldenBytes() {
    ByteSink s = new ByteSink();
    ExemplarRecordCodec enc = new ExemplarRecordCodec();
    enc.start(s, 3, 1000);
    enc.exemplar(s, 3, 1000, 1.5, Labels.of("trace_id", "ab"));
    enc.exemplar(s, 2, 1010, -2.0, Labels.EMPTY);
    assertThat(hex(s)).isEqualTo("04" + "0000000000000003" + "00000000000003e8"
        + "00" + "00" + "3ff8000000000000" + "01" + "08" + "74726163655f6964" + "02" + "6162"
        + "01" + "14" + "c000000000000000" + "00");
    assertThat(decode(s.toByteArray())).containsExactly(
        "ex 3 1000 3ff8000000000000 {trace_id=\"ab\"}", "ex 2 1010 c000000000000000 {}");
  }

  /** Bytes checked by hand against Prometheus's record.Encoder.Metadata. */
  @Test
  void metadataGoldenBytes() {
    ByteSink s = new ByteSink();
    MetadataRecordCodec enc = new MetadataRecordCodec();
    enc.start(s);
    enc.metadata(s, 5, new Metadata(MetricType.COUNTER, "Hi", "s"));
    assertThat(hex(s)).isEqualTo("06" + "05" + "01" + "02" + "04" + "554e4954" + "01" + "73"
        + "04" + "48454c50" + "02" + "4869");
    assertThat(decode(s.toByteArray())).containsExactly(
        "md 5 " + new Metadata(MetricType.COUNTER, "Hi", "s"));
  }

  @Test
  void metadataSkipsUnknownFieldsAndTypes() {
    ByteSink s = new ByteSink().putByte(RecordType.METADATA_V1).putUvarint(9).putByte(42)
        .putUvarint(3).putUvarintString("HELP").putUvarintString("h")
        .putUvarintString("FUTURE").putUvarintString("x")
        .putUvarintString("UNIT").putUvarintString("bytes");
    assertThat(decode(s.toByteArray()))
        .containsExactly("md 9 " + new Metadata(MetricType.UNKNOWN, "h", "bytes"));
  }

  @Test
  void roundTripsRandomRecords() {
    Random r = new Random(4);
    ExemplarRecordCodec ex = new ExemplarRecordCodec();
    MetadataRecordCodec md = new MetadataRecordCodec();
    for (int iter = 0; iter < 400; iter++) {
      ByteSink s = new ByteSink();
      s.putBytes(new byte[] {7, 7, 7}, 0, 3); // encoders append: earlier bytes must survive
      List<String> want = new ArrayList<>();
      int n = 1 + r.nextInt(40);
      if (iter % 2 == 0) {
        long ref0 = 1 + r.nextInt(Integer.MAX_VALUE - 1);
        long t0 = r.nextLong() / 2;
        ex.start(s, ref0, t0);
        for (int i = 0; i < n; i++) {
          long ref = i == 0 ? ref0 : 1 + r.nextInt(Integer.MAX_VALUE - 1);
          long t = i == 0 ? t0 : t0 + r.nextInt();
          double v = switch (r.nextInt(4)) {
            case 0 -> Double.NaN;
            case 1 -> Double.longBitsToDouble(r.nextLong());
            default -> r.nextGaussian();
          };
          Labels l = r.nextInt(5) == 0 ? Labels.EMPTY
              : Labels.of("trace_id", Long.toHexString(r.nextLong()), "é", "\n" + i);
          ex.exemplar(s, ref, t, v, l);
          want.add("ex " + ref + " " + t + " " + Long.toHexString(Double.doubleToRawLongBits(v))
              + " " + l);
        }
      } else {
        md.start(s);
        for (int i = 0; i < n; i++) {
          long ref = 1 + r.nextInt(Integer.MAX_VALUE - 1);
          Metadata m = new Metadata(MetricType.values()[r.nextInt(MetricType.values().length)],
              r.nextBoolean() ? "" : "help \"é\"\n" + r.nextInt(),
              r.nextBoolean() ? "" : "seconds");
          md.metadata(s, ref, m);
          want.add("md " + ref + " " + m);
        }
      }
      byte[] all = s.toByteArray();
      assertThat(Arrays.copyOf(all, 3)).containsExactly(7, 7, 7);
      assertThat(decode(Arrays.copyOfRange(all, 3, all.length))).isEqualTo(want);
    }
  }

  /** Every truncation and every single-byte flip: an error with an offset, or no invented data. */
  @Test
  void corruptInputThrowsWithOffsetOrYieldsOnlyWrittenElements() {
    ByteSink s = new ByteSink();
    ExemplarRecordCodec ex = new ExemplarRecordCodec();
    ex.start(s, 10, 5000);
    for (int i = 0; i < 4; i++) {
      ex.exemplar(s, 10 + i, 5000 + i, i, Labels.of("span_id", "s" + i, "trace_id", "t" + i));
    }
    check(s.toByteArray());
    s.reset();
    MetadataRecordCodec md = new MetadataRecordCodec();
    md.start(s);
    for (int i = 1; i <= 4; i++) {
      md.metadata(s, i, new Metadata(MetricType.GAUGE, "help " + i, "bytes"));
    }
    check(s.toByteArray());
  }

  private static void check(byte[] full) {
    List<String> all = decode(full);
    for (int len = 1; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      try {
        List<String> got = decode(cut);
        assertThat(got.size()).as("cut at " + len).isLessThan(all.size());
        assertThat(got).as("cut at " + len).isEqualTo(all.subList(0, got.size()));
      } catch (CorruptDataException e) {
        assertThat(e.getMessage()).matches("(?s)rec at offset \\d+: .+");
        assertThat(e.offset()).isBetween(0L, (long) len);
      }
    }
    Random r = new Random(full.length);
    for (int at = 1; at < full.length; at++) {
      byte[] flipped = full.clone();
      flipped[at] ^= (byte) (1 + r.nextInt(255));
      try {
        decode(flipped); // a flip inside a value decodes to another value: the WAL CRC catches it
      } catch (CorruptDataException e) {
        assertThat(e.offset()).isBetween(0L, (long) full.length);
      }
    }
  }

  @Test
  void rejectsBadRefsAndLabelOrder() {
    ByteSink z = new ByteSink().putByte(RecordType.EXEMPLARS_V1).putBE64(0).putBE64(0)
        .putVarint(0).putVarint(0).putDouble(1).putUvarint(0);
    assertThatThrownBy(() -> decode(z.toByteArray())).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("exemplar series ref 0").hasMessageContaining("rec at offset 18");
    ByteSink o = new ByteSink().putByte(RecordType.EXEMPLARS_V1).putBE64(1).putBE64(0)
        .putVarint(0).putVarint(0).putDouble(1).putUvarint(2).putUvarintString("b")
        .putUvarintString("1").putUvarintString("a").putUvarintString("2");
    assertThatThrownBy(() -> decode(o.toByteArray())).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("exemplar label names out of order: b then a");
    ByteSink m = new ByteSink().putByte(RecordType.METADATA_V1).putUvarint(0).putByte(1)
        .putUvarint(0);
    assertThatThrownBy(() -> decode(m.toByteArray())).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("metadata series ref 0");
    ByteSink f = new ByteSink().putByte(RecordType.METADATA_V1).putUvarint(1).putByte(1)
        .putUvarint(1000);
    assertThatThrownBy(() -> decode(f.toByteArray())).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("metadata field count 1000 out of range");
  }
}
