package dev.vigil.tsdb.chunkenc;

import static dev.vigil.tsdb.chunkenc.XorChunkTest.assertSamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PackedFloatChunkTest {
  private static final double[] SPECIALS = {
    Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
    Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE,
    Double.longBitsToDouble(0x7ff8dead0000beefL), Double.longBitsToDouble(0xfff0000000000001L),
    Double.longBitsToDouble(0x000fffffffffffffL), 0.1 + 0.2, 1e300, 9007199254740993.0,
    9007199254740992.0, -9007199254740992.0, 1e-18, 123456789.123456789
  };

  private final PackedFloatEncoder encoder = new PackedFloatEncoder();
  private final InflaterPool pool = new InflaterPool(2);

  @AfterEach
  void close() {
    encoder.close();
    pool.close();
  }

  /** {@code n} values of one {@link #value} shape, from a random start (0 one time in 3). */
  static double[] values(Random r, int n, int shape) {
    double[] vs = new double[n];
    double prev = r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000) / 100.0;
    for (int i = 0; i < n; i++) {
      vs[i] = value(r, shape, i, prev);
      prev = vs[i];
    }
    return vs;
  }

  /** Values of many shapes, realistic and adversarial; {@code prev} is the previous value. */
  static double value(Random r, int shape, int i, double prev) {
    return switch (shape) {
      case 0 -> 42.0; // constant
      // counter with resets
      case 1 -> i > 0 && r.nextInt(500) == 0 ? r.nextInt(10) : prev + r.nextInt(100);
      case 2 -> Math.round((prev + r.nextGaussian() * 5) * 1000) / 1000.0; // gauge, 3 decimals
      case 3 -> SPECIALS[r.nextInt(SPECIALS.length)];
      case 4 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern
      case 5 -> i % 7 == 0 ? StaleNaN.VALUE : -r.nextDouble(); // full-precision, stale markers
      case 6 -> 4096.0 * (100_000 + r.nextInt(2000)); // memory bytes, page granular
      case 7 -> prev + 15 * 0.25; // steady counter (delta of delta is zero)
      case 8 -> r.nextInt(20) == 0 ? SPECIALS[r.nextInt(SPECIALS.length)] : prev + r.nextInt(3);
      case 9 -> Math.round(r.nextDouble() * 1e6) / 1e6 * Math.pow(10, r.nextInt(30) - 15);
      default -> (prev + r.nextInt(1000)) / 1e9 * 1e9 + 0.123456789; // cpu seconds, 9 decimals
    };
  }

  private PackedFloatChunk roundTrip(long[] ts, double[] vs, String what) {
    PackedFloatChunk c = encoder.encodeV1(ts, vs, ts.length);
    assertThat(c.numSamples()).isEqualTo(ts.length);
    assertSamples(c.iterator(null), ts, vs, what);
    assertSamples(c.iterator(null, pool), ts, vs, what + " pooled");
    // Behind an envelope (as in chunk files), decoded from the stored bytes.
    ByteSink sink = new ByteSink();
    ChunkEnvelope.write(sink, c);
    Chunk back = ChunkEnvelope.read(new ByteSource("test", sink.toByteArray()));
    assertThat(back.encoding()).isEqualTo(Encoding.PACKED_FLOAT_V1);
    assertThat(back.bytes()).isEqualTo(c.bytes());
    assertSamples(back.iterator(null), ts, vs, what + " envelope");
    return c;
  }

  @Test
  void roundTripsGeneratedAndFuzzedSeriesBitExactly() {
    Random r = new Random(7);
    SampleIterator reused = null;
    for (int iter = 0; iter < 3000; iter++) {
      int n = 1 + r.nextInt(iter % 40 == 0 ? 6000 : 300);
      long[] ts = XorChunkTest.times(r, n)[0];
      int shape = r.nextInt(11);
      double[] vs = values(r, n, shape);
      PackedFloatChunk c = roundTrip(ts, vs, "iteration " + iter + " shape " + shape);
      // One iterator re-targeted from chunk to chunk keeps decoding correctly.
      reused = c.iterator(reused, pool);
      assertSamples(reused, ts, vs, "reused " + iter);
    }
  }

  @Test
  void everySpecialValueRoundTripsInOneChunkAndAlone() {
    long[] ts = new long[SPECIALS.length * 3];
    double[] vs = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
      vs[i] = i % 3 == 1 ? SPECIALS[i / 3] : i;
    }
    roundTrip(ts, vs, "mixed");
    for (double v : SPECIALS) {
      roundTrip(new long[] {5}, new double[] {v}, "alone " + Double.doubleToRawLongBits(v));
      roundTrip(new long[] {5, 6, 7}, new double[] {v, v, v}, "thrice " + v);
    }
  }

  @Test
  void decimalValuesUseTheSmallestExactScale() {
    assertThat(DecimalScale.of(42)).isZero();
    assertThat(DecimalScale.of(0.0)).isZero();
    assertThat(DecimalScale.of(-0.0)).isEqualTo(-1);
    assertThat(DecimalScale.of(0.29)).isEqualTo(2);
    assertThat(DecimalScale.of(-1234.567)).isEqualTo(3);
    assertThat(DecimalScale.of(0.1 + 0.2)).isEqualTo(-1);
    assertThat(DecimalScale.of(StaleNaN.VALUE)).isEqualTo(-1);
    assertThat(DecimalScale.of(Double.MIN_VALUE)).isEqualTo(-1);
    assertThat(DecimalScale.of(1e17)).isEqualTo(-1); // beyond 2^53: stored raw
    Random r = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      double v = Double.longBitsToDouble(r.nextLong());
      if (i % 2 == 0) {
        v = Math.round(r.nextGaussian() * 1e6) / Math.pow(10, r.nextInt(8));
      }
      int k = DecimalScale.of(v);
      if (k >= 0) {
        assertThat(Double.doubleToRawLongBits(DecimalScale.value(DecimalScale.mantissa(v, k), k)))
            .as("value %s at scale %d", v, k).isEqualTo(Double.doubleToRawLongBits(v));
      }
    }
  }

  /**
   * 2880 samples 15 s apart of regular series: a constant, a counter ticking at about every
   * 4th scrape (drawn from {@code r}), and a steady rate.
   */
  record RegularSeries(long[] ts, double[] constant, double[] counter, double[] steady) {
    static final int N = 2880;

    static RegularSeries draw(Random r) {
      long[] ts = new long[N];
      double[] constant = new double[N];
      double[] counter = new double[N];
      double[] steady = new double[N];
      for (int i = 0; i < N; i++) {
        ts[i] = 1_700_000_000_000L + i * 15_000L;
        constant[i] = 1.5;
        counter[i] = i == 0 ? 1000 : counter[i - 1] + (r.nextInt(4) == 0 ? r.nextInt(5) : 0);
        steady[i] = 3.25 * i;
      }
      return new RegularSeries(ts, constant, counter, steady);
    }
  }

  @Test
  void regularSeriesCostAlmostNothingPerSample() {
    int n = RegularSeries.N;
    RegularSeries s = RegularSeries.draw(new Random(1));
    long[] ts = s.ts();
    assertThat(roundTrip(ts, s.constant(), "constant").byteLength()).isLessThanOrEqualTo(24);
    assertThat(roundTrip(ts, s.steady(), "steady").byteLength()).isLessThan(32);
    PackedFloatChunk c = roundTrip(ts, s.counter(), "sparse counter");
    assertThat(c.byteLength()).as("bytes of a counter ticking at every 4th scrape")
        .isLessThan(n * 3 / 8);
    assertThat(c.deflated()).isTrue();
  }

  @Test
  void goldenBytesMatchTheFormatDocument() {
    // The worked example of FORMAT.md: (1000, 1.0), (2000, 1.5), (3005, 2.0), (4005, NaN),
    // stored uncompressed (DEFLATE output depends on the zlib version, the body does not).
    try (PackedFloatEncoder plain = new PackedFloatEncoder(0)) {
      PackedFloatChunk c = plain.encodeV1(new long[] {1000, 2000, 3005, 4005},
          new double[] {1.0, 1.5, 2.0, Double.NaN}, 4);
      assertThat(HexFormat.of().formatHex(c.bytes())).isEqualTo("0004" + "00" + "d00f" + "d00f"
          + "05" + "00000a0000" + "01" + "01" + "01" + "03" + "7ff8000000000000" + "14" + "05"
          + "020000");
      assertThat(c.deflated()).isFalse();
    }
  }

  @Test
  void damagedBytesFailWithCorruptDataNeverWithOtherErrors() {
    Random r = new Random(11);
    for (int iter = 0; iter < 40; iter++) {
      int n = 1 + r.nextInt(iter % 2 == 0 ? 50 : 2000);
      long[] ts = XorChunkTest.times(r, n)[0];
      double[] vs = new double[n];
      int shape = r.nextInt(11);
      double prev = 0;
      for (int i = 0; i < n; i++) {
        vs[i] = value(r, shape, i, prev);
        prev = vs[i];
      }
      byte[] good = encoder.encodeV1(ts, vs, n).bytes();
      // Every truncation is detected: a prefix never decodes to the full series.
      for (int len = 0; len < good.length; len += 1 + good.length / 64) {
        byte[] cut = Arrays.copyOf(good, len);
        assertThatThrownBy(
            () -> ChunkDamage.drain(PackedFloatChunk.wrap(cut, "t").iterator(null, pool)))
            .as("truncated to %d of %d bytes, iteration %d", len, good.length, iter)
            .isInstanceOf(CorruptDataException.class);
      }
      // Flipped bits may decode to other samples (the envelope CRC catches them on disk), but
      // must not crash the decoder with anything but CorruptDataException or loop.
      for (int k = 0; k < 64; k++) {
        byte[] bad = good.clone();
        bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
        try {
          ChunkDamage.drain(PackedFloatChunk.wrap(bad, "t").iterator(null, pool));
        } catch (CorruptDataException expected) {
          // fine
        }
      }
    }
  }

  @Test
  void encoderRejectsChunksItCannotCount() {
    assertThatThrownBy(() -> encoder.encodeV1(new long[0], new double[0], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 samples");
    assertThatThrownBy(() -> PackedFloatChunk.wrap(new byte[] {0, 1, 7, 0}, "f"))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("codec 7");
    assertThatThrownBy(() -> PackedFloatChunk.wrap(new byte[] {0, 0, 0, 0}, "f"))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("0 samples");
  }

  @Test
  void seekPositionsAtFirstSampleAtOrAfter() {
    long[] ts = new long[3000];
    double[] vs = new double[3000];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = i * 10L;
      vs[i] = i;
    }
    SampleIterator it = encoder.encodeV1(ts, vs, ts.length).iterator(null, pool);
    assertThat(it.seek(55)).isEqualTo(ValueKind.FLOAT);
    assertThat(it.atT()).isEqualTo(60);
    assertThat(it.atF()).isEqualTo(6);
    assertThat(it.seek(10)).isEqualTo(ValueKind.FLOAT);
    assertThat(it.atT()).as("seek backwards stays put").isEqualTo(60);
    assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
    assertThat(it.atF()).isEqualTo(7);
    assertThat(it.seek(29_991)).isEqualTo(ValueKind.NONE);
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
  }
}
