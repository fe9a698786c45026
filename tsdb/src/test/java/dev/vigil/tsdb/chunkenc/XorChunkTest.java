package dev.vigil.tsdb.chunkenc;

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
import org.junit.jupiter.api.Test;

class XorChunkTest {
  private static final double[] SPECIALS = {
    Double.NaN, StaleNaN.VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
    Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.longBitsToDouble(0x7ff8dead0000beefL)
  };

  /** Generates sample series of many shapes: regular, jittered, big gaps, constant, random. */
  static long[][] times(Random r, int n) {
    long[] ts = new long[n];
    long t = r.nextInt(3) == 0 ? -r.nextLong(1L << 40) : r.nextLong(1L << 41);
    int shape = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      ts[i] = t;
      t += switch (shape) {
        case 0 -> 15_000;
        case 1 -> 15_000 + r.nextInt(200) - 100;
        case 2 -> 1 + (r.nextInt(10) == 0 ? r.nextLong(1L << 40) : r.nextInt(1 << 20));
        case 3 -> 1;
        default -> 1 + r.nextLong(1L << (1 + r.nextInt(50)));
      };
    }
    return new long[][] {ts};
  }

  static double value(Random r, int shape, int i, double prev) {
    return switch (shape) {
      case 0 -> 42.0;
      case 1 -> prev + r.nextInt(100);
      case 2 -> r.nextGaussian() * 1e6;
      case 3 -> SPECIALS[r.nextInt(SPECIALS.length)];
      case 4 -> Double.longBitsToDouble(r.nextLong());
      default -> i % 7 == 0 ? StaleNaN.VALUE : -r.nextDouble();
    };
  }

  @Test
  void roundTripsGeneratedSeriesBitExactly() {
    Random r = new Random(42);
    for (int iter = 0; iter < 2000; iter++) {
      int n = 1 + r.nextInt(iter % 50 == 0 ? 2000 : 130);
      long[] ts = times(r, n)[0];
      double[] vs = new double[n];
      int shape = r.nextInt(6);
      double prev = 0;
      XorChunk c = new XorChunk();
      for (int i = 0; i < n; i++) {
        vs[i] = value(r, shape, i, prev);
        prev = vs[i];
        c.append(ts[i], vs[i]);
      }
      assertThat(c.numSamples()).isEqualTo(n);
      assertSamples(c.iterator(null), ts, vs, "iteration " + iter);
      // The same bytes, wrapped and behind an envelope, decode identically.
      ByteSink sink = new ByteSink();
      ChunkEnvelope.write(sink, c);
      Chunk back = ChunkEnvelope.read(new ByteSource("test", sink.toByteArray()));
      assertThat(back.encoding()).isEqualTo(Encoding.XOR);
      assertSamples(back.iterator(null), ts, vs, "envelope " + iter);
    }
  }

  static void assertSamples(SampleIterator it, long[] ts, double[] vs, String what) {
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).as(what + " sample " + i).isEqualTo(ValueKind.FLOAT);
      assertThat(it.atT()).as(what + " t " + i).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.atF())).as(what + " v " + i)
          .isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
    assertThat(it.next()).as(what + " end").isEqualTo(ValueKind.NONE);
    assertThat(it.next()).as(what + " end twice").isEqualTo(ValueKind.NONE);
  }

  @Test
  void goldenBytesMatchPrometheusLayout() {
    XorChunk c = new XorChunk();
    c.append(1000, 1.0);
    c.append(2000, 1.0);
    c.append(3000, 2.0);
    assertThat(HexFormat.of().formatHex(c.bytes()))
        .isEqualTo("0003" + "d00f" + "3ff0000000000000" + "e807" + "3097ffc0");
  }

  @Test
  void seekPositionsAtFirstSampleAtOrAfter() {
    XorChunk c = new XorChunk();
    for (int i = 0; i < 120; i++) {
      c.append(i * 10L, i);
    }
    SampleIterator it = c.iterator(null);
    assertThat(it.seek(55)).isEqualTo(ValueKind.FLOAT);
    assertThat(it.atT()).isEqualTo(60);
    assertThat(it.seek(10)).isEqualTo(ValueKind.FLOAT);
    assertThat(it.atT()).as("seek backwards stays put").isEqualTo(60);
    assertThat(it.next()).isEqualTo(ValueKind.FLOAT);
    assertThat(it.atT()).isEqualTo(70);
    assertThat(it.seek(1191)).isEqualTo(ValueKind.NONE);
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
    SampleIterator reused = c.iterator(it);
    assertThat(reused).isSameAs(it);
    assertThat(reused.seek(-5)).isEqualTo(ValueKind.FLOAT);
    assertThat(reused.atT()).isZero();
  }

  @Test
  void iteratorSeesPrefixWhileWriterContinues() {
    XorChunk c = new XorChunk();
    c.append(1, 1);
    c.append(2, 2);
    SampleIterator it = c.iterator(null);
    for (int i = 3; i < 500; i++) {
      c.append(i, i * 1.5);
    }
    assertSamples(it, new long[] {1, 2}, new double[] {1, 2}, "prefix");
  }

  @Test
  void trimKeepsBytesAndEarlierIteratorsValid() {
    XorChunk c = new XorChunk();
    long[] ts = new long[120];
    double[] vs = new double[120];
    for (int i = 0; i < 120; i++) {
      ts[i] = 1000L + 15_000L * i;
      vs[i] = i * 0.25 + (i % 7);
      c.append(ts[i], vs[i]);
    }
    SampleIterator before = c.iterator(null);
    byte[] bytes = c.bytes();
    c.trimToSize();
    assertThat(c.bytes()).isEqualTo(bytes);
    assertThat(c.byteLength()).isEqualTo(bytes.length);
    assertSamples(before, ts, vs, "iterator created before the trim");
    assertSamples(c.iterator(null), ts, vs, "iterator created after the trim");
  }

  @Test
  void truncatedDataThrowsAtEveryLength() {
    Random r = new Random(7);
    XorChunk c = new XorChunk();
    long t = 0;
    for (int i = 0; i < 120; i++) {
      t += 1 + r.nextInt(100_000);
      c.append(t, r.nextGaussian());
    }
    ChunkDamage.everyTruncationFails(c);
    assertThatThrownBy(() -> XorChunk.wrap(new byte[1], "tiny"))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("tiny");
  }

  @Test
  void envelopeDetectsEveryFlippedByteAndTruncation() {
    XorChunk c = new XorChunk();
    for (int i = 0; i < 50; i++) {
      c.append(1_700_000_000_000L + i * 15_000L, i * 0.25);
    }
    ChunkDamage.everyEnvelopeBitFlipFails(c);
    ByteSink sink = new ByteSink();
    ChunkEnvelope.write(sink, c);
    byte[] good = sink.toByteArray();
    for (int len = 0; len < good.length; len++) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThatThrownBy(() -> ChunkEnvelope.read(new ByteSource("cut", cut)))
          .as("length " + len).isInstanceOf(CorruptDataException.class)
          .hasMessageContaining("cut at offset");
    }
  }

  @Test
  void rejectsAppendsBeyondCapacityAndToReadOnlyChunks() {
    XorChunk ro = XorChunk.wrap(new XorChunk().bytes(), "ro");
    assertThatThrownBy(() -> ro.append(1, 1)).isInstanceOf(IllegalStateException.class);
    XorChunk c = new XorChunk();
    for (int i = 0; i < Chunk.MAX_SAMPLES; i++) {
      c.append(i, 1);
    }
    assertThat(c.isFull()).isTrue();
    assertThatThrownBy(() -> c.append(1 << 20, 1)).isInstanceOf(IllegalStateException.class);
    assertThat(ChunkDamage.drain(c.iterator(null))).isEqualTo(Chunk.MAX_SAMPLES);
  }

  @Test
  void savedEncoderStateResumesExactlyWhereItStopped() {
    Random r = new Random(3);
    for (int run = 0; run < 300; run++) {
      XorChunk original = new XorChunk();
      XorChunk resumed = new XorChunk();
      int before = 1 + r.nextInt(100);
      int after = r.nextInt(19);
      long t = r.nextLong(1L << 40);
      double v = r.nextGaussian();
      for (int i = 0; i <= before + after; i++) {
        if (i == before) {
          XorAppender.XorState state = original.xorState();
          assertThat(state.samples()).isEqualTo(before);
          resumed.resumeXor(new XorAppender.XorState(state.bytes().clone(), state.bitLength(),
              state.samples(), state.t(), state.tDelta(), state.vBits(), state.leading(),
              state.trailing()), false);
        }
        if (i == before + after) {
          break;
        }
        t += run % 3 == 0 ? 15_000 : 1 + r.nextInt(run % 2 == 0 ? 100 : 1 << 22);
        v = switch (r.nextInt(4)) {
          case 0 -> v;
          case 1 -> Math.rint(v + r.nextInt(5));
          case 2 -> r.nextGaussian() * 1e6;
          default -> StaleNaN.VALUE;
        };
        original.append(t, v);
        if (i >= before) {
          resumed.append(t, v);
        }
      }
      assertThat(resumed.bytes()).as("run %d: %d + %d samples", run, before, after)
          .isEqualTo(original.bytes());
    }
  }

  @Test
  void aStateResumedInPlaceGoesOnInItsOwnArrayWhenItHasRoomWithTheSameBytes() {
    Random r = new Random(5);
    for (int run = 0; run < 200; run++) {
      XorChunk original = new XorChunk();
      int before = 1 + r.nextInt(100);
      long t = r.nextLong(1L << 40);
      for (int i = 0; i < before; i++) {
        original.append(t += 1 + r.nextInt(30_000), r.nextGaussian());
      }
      XorAppender.XorState s = original.xorState();
      int n = (int) ((s.bitLength() + 7) >>> 3);
      boolean room = run % 2 == 0;
      byte[] bytes = Arrays.copyOf(s.bytes(), room ? n + 8 + r.nextInt(64) : n);
      // Junk after the stream's bits: resuming clears it, as appends OR into those bits.
      int used = (int) (s.bitLength() % 8);
      if (used != 0) {
        bytes[n - 1] |= (byte) (0xFF >>> used);
      }
      Arrays.fill(bytes, n, bytes.length, (byte) 0x5A);
      XorChunk resumed = new XorChunk();
      resumed.resumeXor(new XorAppender.XorState(bytes, s.bitLength(), s.samples(),
          s.t(), s.tDelta(), s.vBits(), s.leading(), s.trailing()), true);
      assertThat(resumed.buffer() == bytes).as("run %d: resumed in its own array", run)
          .isEqualTo(room);
      for (int i = 0; i < 19; i++) {
        double v = r.nextInt(3) == 0 ? r.nextGaussian() : 42;
        original.append(t += 15_000, v);
        resumed.append(t, v);
      }
      assertThat(resumed.bytes()).as("run %d", run).isEqualTo(original.bytes());
    }
  }

  @Test
  void aStateViewWritesTheBytesOfItsMomentAfterTheStreamWentOn() {
    Random r = new Random(4);
    for (int run = 0; run < 300; run++) {
      XorChunk c = new XorChunk();
      long t = 0;
      int before = 1 + r.nextInt(120);
      for (int i = 0; i < before; i++) {
        c.append(t += 1 + r.nextInt(30_000), r.nextInt(4) == 0 ? r.nextGaussian() : i);
      }
      XorAppender.XorState copy = c.xorState();
      XorAppender.XorState view = c.xorStateView();
      for (int i = 0, after = r.nextInt(40); i < after; i++) {
        c.append(t += 1 + r.nextInt(30_000), r.nextGaussian()); // ORs into the view's last byte
      }
      ByteSink fromView = new ByteSink();
      view.writeChunkBytes(fromView);
      byte[] want = Arrays.copyOf(copy.bytes(), (int) ((copy.bitLength() + 7) >>> 3));
      assertThat(fromView.toByteArray()).as("run %d", run).isEqualTo(want);
      ByteSink fromCopy = new ByteSink();
      copy.writeChunkBytes(fromCopy);
      assertThat(fromCopy.toByteArray()).isEqualTo(want);
    }
  }

  @Test
  void encoderStateRejectsWhatNoEncoderLeaves() {
    byte[] bytes = new byte[8];
    assertThatThrownBy(() -> new XorAppender.XorState(bytes, 40, 0, 0, 0, 0, 0xFF, 0))
        .hasMessageContaining("0 samples");
    assertThatThrownBy(() -> new XorAppender.XorState(bytes, 65, 1, 0, 0, 0, 0xFF, 0))
        .hasMessageContaining("65 bits in 8 bytes");
    assertThatThrownBy(() -> new XorAppender.XorState(bytes, 40, 2, 0, 0, 0, 40, 0))
        .hasMessageContaining("40 leading");
    XorChunk full = new XorChunk();
    full.append(1, 1);
    assertThatThrownBy(() -> full.resumeXor(full.xorState(), false))
        .isInstanceOf(IllegalStateException.class);
  }
}
