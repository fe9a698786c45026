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
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RiceFloatChunkTest {
  /** Encoders with one-group, two-group and the default segments (4 groups). */
  private final PackedFloatEncoder[] encoders = {
    new PackedFloatEncoder(Deflater.BEST_COMPRESSION, 1),
    new PackedFloatEncoder(Deflater.BEST_COMPRESSION, 2),
    new PackedFloatEncoder()
  };

  @AfterEach
  void close() {
    for (PackedFloatEncoder e : encoders) {
      e.close();
    }
  }

  private static RiceFloatChunk roundTrip(PackedFloatEncoder enc, long[] ts, double[] vs,
      String what) {
    RiceFloatChunk c = enc.encode(ts, vs, ts.length);
    assertThat(c.numSamples()).isEqualTo(ts.length);
    assertSamples(c.iterator(null), ts, vs, what);
    ByteSink sink = new ByteSink();
    ChunkEnvelope.write(sink, c);
    Chunk back = ChunkEnvelope.read(new ByteSource("test", sink.toByteArray()));
    assertThat(back.encoding()).isEqualTo(Encoding.PACKED_FLOAT_V2);
    assertThat(back.bytes()).isEqualTo(c.bytes());
    assertSamples(back.iterator(null), ts, vs, what + " envelope");
    // From the front of a longer array (a reader's reused buffer), garbage after the chunk.
    byte[] bytes = c.bytes();
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 64);
    Arrays.fill(longer, bytes.length, longer.length, (byte) 0xA5);
    Chunk shared = Chunk.wrap(Encoding.PACKED_FLOAT_V2, longer, bytes.length, "test");
    assertThat(shared.byteLength()).isEqualTo(bytes.length);
    assertThat(shared.bytes()).isEqualTo(bytes);
    assertSamples(shared.iterator(null), ts, vs, what + " from a longer array");
    // Its last byte cut off: the garbage after it is never read as the chunk's.
    assertThatThrownBy(() -> assertSamples(Chunk.wrap(Encoding.PACKED_FLOAT_V2, longer,
        bytes.length - 1, "test").iterator(null), ts, vs, what + " cut"))
        .as(what + " cut").isInstanceOf(CorruptDataException.class);
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
      double[] vs = PackedFloatChunkTest.values(r, n, shape);
      RiceFloatChunk c = roundTrip(encoders[iter % 3], ts, vs, "iteration " + iter + " shape "
          + shape);
      // One iterator re-targeted from chunk to chunk (after seeks) keeps decoding correctly.
      reused = c.iterator(reused);
      reused.seek(ts[r.nextInt(n)]);
      reused = c.iterator(reused);
      assertSamples(reused, ts, vs, "reused " + iter);
    }
  }

  @Test
  void everySpecialValueRoundTripsInOneChunkAndAlone() {
    double[] specials = {
      Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
      Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1 + 0.2, 9007199254740993.0,
      Double.longBitsToDouble(0x7ff8dead0000beefL), 1e-18
    };
    long[] ts = new long[specials.length * 40];
    double[] vs = new double[ts.length];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L;
      vs[i] = i % 3 == 1 ? specials[(i / 3) % specials.length] : i;
    }
    for (PackedFloatEncoder enc : encoders) {
      roundTrip(enc, ts, vs, "mixed");
      for (double v : specials) {
        roundTrip(enc, new long[] {5}, new double[] {v}, "alone " + v);
        long[] many = new long[70];
        double[] same = new double[70];
        for (int i = 0; i < 70; i++) {
          many[i] = 5 + i;
          same[i] = v;
        }
        roundTrip(enc, many, same, "all raw " + v);
      }
    }
  }

  /**
   * Seeks interleaved with nexts, against the position a linear scan reaches: the first sample
   * at or after the target, never moving back.
   */
  @Test
  void seeksLandWhereALinearScanLands() {
    Random r = new Random(19);
    for (int iter = 0; iter < 2000; iter++) {
      int n = 1 + r.nextInt(iter % 10 == 0 ? 3000 : 700);
      long[] ts = XorChunkTest.times(r, n)[0];
      double[] vs = PackedFloatChunkTest.values(r, n, r.nextInt(11));
      SampleIterator it = encoders[iter % 3].encode(ts, vs, n).iterator(null);
      int at = -1; // index of the current sample
      for (int step = 0; step < 12 && at < n; step++) {
        String where = "iteration " + iter + " step " + step;
        if (r.nextInt(4) == 0) {
          at++;
          if (at >= n) {
            assertThat(it.next()).as(where).isEqualTo(ValueKind.NONE);
            break;
          }
          assertThat(it.next()).as(where).isEqualTo(ValueKind.FLOAT);
        } else {
          // A sample's own timestamp (segment boundaries included), next to one, or anywhere.
          int near = r.nextInt(n);
          long target = switch (r.nextInt(4)) {
            case 0 -> ts[near];
            case 1 -> ts[near] - 1;
            case 2 -> ts[near] + 1;
            default -> ts[0] - 5 + (long) (r.nextDouble() * (ts[n - 1] - ts[0] + 10));
          };
          int first = at < 0 ? 0 : at;
          while (first < n && ts[first] < target) {
            first++;
          }
          at = first;
          if (at >= n) {
            assertThat(it.seek(target)).as(where).isEqualTo(ValueKind.NONE);
            assertThat(it.next()).as(where).isEqualTo(ValueKind.NONE);
            break;
          }
          assertThat(it.seek(target)).as(where + " seek " + target).isEqualTo(ValueKind.FLOAT);
        }
        assertThat(it.atT()).as(where).isEqualTo(ts[at]);
        assertThat(Double.doubleToRawLongBits(it.atF())).as(where + " value at " + at)
            .isEqualTo(Double.doubleToRawLongBits(vs[at]));
      }
    }
  }

  /**
   * A seek into a later segment does not decode the ones before it: with the first bytes of
   * the stream damaged, a full read goes wrong but a seek past the first segment is exact.
   */
  @Test
  void seekSkipsTheSegmentsBeforeItsTarget() {
    int n = 2880;
    long[] ts = new long[n];
    double[] vs = new double[n];
    Random r = new Random(5);
    for (int i = 0; i < n; i++) {
      ts[i] = 1_700_000_000_000L + i * 15_000L + r.nextInt(30);
      vs[i] = Math.round(r.nextGaussian() * 1e5) / 100.0;
    }
    byte[] good = encoders[2].encode(ts, vs, n).bytes();
    RiceFloatIterator probe = new RiceFloatIterator();
    probe.reset(good, good.length, n, "t");
    byte[] bad = good.clone();
    for (int i = probe.streamStart(); i < probe.streamStart() + 16; i++) {
      bad[i] ^= (byte) 0x5A;
    }
    assertThatThrownBy(() -> assertSamples(RiceFloatChunk.wrap(bad, "t").iterator(null), ts, vs,
        "damaged")).isInstanceOfAny(AssertionError.class, CorruptDataException.class);
    int target = 2000;
    SampleIterator it = RiceFloatChunk.wrap(bad, "t").iterator(null);
    assertThat(it.seek(ts[target])).isEqualTo(ValueKind.FLOAT);
    for (int i = target; i < n; i++) {
      if (i > target) {
        assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
      }
      assertThat(it.atT()).isEqualTo(ts[i]);
      assertThat(it.atF()).as("sample %d", i).isEqualTo(vs[i]);
    }
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
  }

  @Test
  void regularSeriesCostAlmostNothingPerSample() {
    int n = PackedFloatChunkTest.RegularSeries.N;
    Random r = new Random(1);
    PackedFloatChunkTest.RegularSeries s = PackedFloatChunkTest.RegularSeries.draw(r);
    long[] ts = s.ts();
    double[] constant = s.constant();
    double[] counter = s.counter();
    double[] steady = s.steady();
    // Both columns all zero: no stream, no skip entries.
    assertThat(roundTrip(encoders[2], ts, constant, "constant").byteLength()).isLessThan(20);
    // One non-zero value slot (the first delta), 89 groups of zeros, 22 skip entries of 3 bytes.
    assertThat(roundTrip(encoders[2], ts, steady, "steady").byteLength()).isLessThan(110);
    try (PackedFloatEncoder v1 = new PackedFloatEncoder()) {
      // Mostly zero residuals are where a Rice code (at least a bit per value) loses to v1's
      // zero runs under DEFLATE; on realistic mixes v2 is smaller (bench/README.md).
      int deflated = v1.encodeV1(ts, counter, n).byteLength();
      int rice = roundTrip(encoders[2], ts, counter, "sparse counter").byteLength();
      assertThat(rice).as("bytes of a counter ticking at every 4th scrape, v1 %d", deflated)
          .isLessThan(deflated * 14 / 10);
      double[] gauge = new double[n];
      for (int i = 0; i < n; i++) {
        gauge[i] = Math.round((i == 0 ? 50 : gauge[i - 1]) * 100 + r.nextGaussian() * 40) / 100.0;
      }
      assertThat(roundTrip(encoders[2], ts, gauge, "noisy gauge").byteLength())
          .as("a noisy gauge with 2 decimals").isLessThan(v1.encodeV1(ts, gauge, n).byteLength());
    }
  }

  @Test
  void goldenBytesMatchTheFormatDocument() {
    // The worked example of FORMAT.md: (1000, 1.0), (2000, 1.5), (3005, 2.0), (4005, NaN).
    RiceFloatChunk c = encoders[2].encode(new long[] {1000, 2000, 3005, 4005},
        new double[] {1.0, 1.5, 2.0, Double.NaN}, 4);
    assertThat(HexFormat.of().formatHex(c.bytes())).isEqualTo("0004" + "d00f" + "d00f" + "01"
        + "01" + "01" + "03" + "7ff8000000000000" + "14" + "05" + "04" + "00" + "00"
        + "821f080c00");
  }

  @Test
  void damagedBytesFailWithCorruptDataNeverWithOtherErrors() {
    Random r = new Random(11);
    for (int iter = 0; iter < 60; iter++) {
      int n = 1 + r.nextInt(iter % 2 == 0 ? 50 : 2000);
      long[] ts = XorChunkTest.times(r, n)[0];
      double[] vs = PackedFloatChunkTest.values(r, n, r.nextInt(11));
      byte[] good = encoders[iter % 3].encode(ts, vs, n).bytes();
      // Every truncation is detected: a prefix never decodes to the full series.
      for (int len = 0; len < good.length; len += 1 + good.length / 64) {
        byte[] cut = Arrays.copyOf(good, len);
        assertThatThrownBy(() -> ChunkDamage.drain(RiceFloatChunk.wrap(cut, "t").iterator(null)))
            .as("truncated to %d of %d bytes, iteration %d", len, good.length, iter)
            .isInstanceOf(CorruptDataException.class);
      }
      // Flipped bits may decode to other samples (the envelope CRC catches them on disk), but
      // must not fail with anything but CorruptDataException or loop, reading or seeking.
      for (int k = 0; k < 64; k++) {
        byte[] bad = good.clone();
        bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
        try {
          SampleIterator it = RiceFloatChunk.wrap(bad, "t").iterator(null);
          if (k % 2 == 0) {
            it.seek(ts[r.nextInt(n)]);
          }
          ChunkDamage.drain(it);
        } catch (CorruptDataException expected) {
          // fine
        }
      }
    }
  }

  @Test
  void rejectsChunksItCannotCount() {
    assertThatThrownBy(() -> encoders[0].encode(new long[0], new double[0], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 samples");
    assertThatThrownBy(() -> RiceFloatChunk.wrap(new byte[] {0, 0, 0, 0}, "f"))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("0 samples");
    assertThatThrownBy(() -> new PackedFloatEncoder(9, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segment of 0");
  }
}
