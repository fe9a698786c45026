package dev.vigil.tsdb.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Float runs (type 20): round trips, the header a reader may trust instead of decoding, the
 * value chain left as if the run had been decoded, and what a writer or a damaged record
 * cannot pass off as a run.
 */
class FloatRunRecordTest {
  private static final class Collect implements RecordDecoder.Visitor {
    final List<String> out = new ArrayList<>();

    @Override
    public void floatSample(long ref, long t, double v) {
      out.add(ref + "@" + t + "=" + Long.toHexString(Double.doubleToRawLongBits(v)));
    }
  }

  private static String sample(long ref, long t, double v) {
    return ref + "@" + t + "=" + Long.toHexString(Double.doubleToRawLongBits(v));
  }

  private static byte[] run(long ref, long[] ts, double[] vs) {
    RecordEncoder enc = new RecordEncoder();
    ByteSink out = new ByteSink(64);
    enc.floatsV2StartCallerChained();
    long previous = RecordEncoder.NO_PREVIOUS;
    for (int i = 0; i < ts.length; i++) {
      enc.floatV2(ref, ts[i], vs[i], previous);
      previous = Double.doubleToRawLongBits(vs[i]);
    }
    enc.floatRunEnd(out);
    return Arrays.copyOf(out.array(), out.length());
  }

  private static List<String> decode(RecordDecoder d, byte[]... records) {
    Collect c = new Collect();
    for (byte[] r : records) {
      d.decode(new ByteSource("test", r), c);
    }
    return c.out;
  }

  @Test
  void roundTripsAnySeriesOfValues() {
    SplittableRandom rnd = new SplittableRandom(20);
    for (int round = 0; round < 500; round++) {
      int n = 1 + rnd.nextInt(300);
      // Refs up to 2^28 are chained (by index: the chain grows to the largest), larger ones not.
      long ref = rnd.nextInt(4) > 0 ? 1 + rnd.nextInt(50_000) : (1L << 29) + rnd.nextInt(1000);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = rnd.nextLong(-1L << 50, 1L << 50);
      double v = rnd.nextInt(1000);
      List<String> want = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        t += 1 + (rnd.nextInt(4) == 0 ? rnd.nextLong(1L << 30) : 15_000);
        v = switch (rnd.nextInt(6)) {
          case 0 -> v + rnd.nextInt(10);
          case 1 -> Math.round(rnd.nextGaussian() * 1e4) / 100.0;
          case 2 -> Double.longBitsToDouble(rnd.nextLong());
          case 3 -> StaleNaN.VALUE;
          default -> v;
        };
        ts[i] = t;
        vs[i] = v;
        want.add(sample(ref, t, v));
      }
      byte[] rec = run(ref, ts, vs);
      assertThat(rec[0]).isEqualTo((byte) RecordType.FLOAT_RUN);
      assertThat(decode(new RecordDecoder(), rec)).as("round %d", round).isEqualTo(want);

      RecordDecoder.FloatRunHeader h = new RecordDecoder.FloatRunHeader();
      new RecordDecoder().floatRunHeader(new ByteSource("test", rec), h);
      assertThat(new long[] {h.ref, h.firstT, h.lastT, h.n})
          .containsExactly(ref, ts[0], ts[n - 1], n);
    }
  }

  @Test
  void aRunIsOutsideTheValueChainWhetherDecodedOrSkipped() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink out = new ByteSink(64);
    // Type 17 sets series 5's chain to 2.5, a run of 5 follows, then type 17 again from a
    // wrong writer: one that chains across the run (its chain never saw it, and holds 2.5).
    enc.floatsV2Start();
    enc.floatV2(5, 1000, 2.5);
    enc.floatsV2End(out);
    byte[] before = Arrays.copyOf(out.array(), out.length());
    byte[] theRun = run(5, new long[] {2000, 3000}, new double[] {7.0, 7.5});
    out.reset();
    enc.floatsV2Start();
    enc.floatV2(5, 4000, 7.5);
    enc.floatsV2End(out);
    byte[] after = Arrays.copyOf(out.array(), out.length());

    // Decoding the run forgets 5's value: `after` coded against 2.5 fails, never decodes wrong.
    RecordDecoder decoding = new RecordDecoder();
    assertThatThrownBy(() -> decode(decoding, before, theRun, after))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("previous value");
    // Skipping it (its header only) leaves the chain the same.
    RecordDecoder skipping = new RecordDecoder();
    decode(skipping, before);
    skipping.floatRunHeader(new ByteSource("test", theRun), new RecordDecoder.FloatRunHeader());
    assertThatThrownBy(() -> decode(skipping, after))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("previous value");

    // A writer that restarts the series' chain after the run (as the checkpoint does) decodes.
    RecordEncoder writer = new RecordEncoder();
    out.reset();
    writer.floatsV2StartCallerChained();
    writer.floatV2(5, 4000, 7.5, RecordEncoder.NO_PREVIOUS);
    writer.floatV2(5, 5000, 7.5, Double.doubleToRawLongBits(7.5));
    writer.floatsV2End(out);
    byte[] whole = Arrays.copyOf(out.array(), out.length());
    assertThat(decode(new RecordDecoder(), before, theRun, whole)).containsExactly(
        sample(5, 1000, 2.5), sample(5, 2000, 7.0), sample(5, 3000, 7.5), sample(5, 4000, 7.5),
        sample(5, 5000, 7.5));
  }

  @Test
  void anOwnChainedEncoderWritesTheRunWholeAndForgetsIt() {
    RecordEncoder enc = new RecordEncoder();
    ByteSink out = new ByteSink(64);
    enc.floatsV2Start();
    enc.floatV2(9, 1000, 1.0);
    enc.floatsV2End(out);
    byte[] first = Arrays.copyOf(out.array(), out.length());
    out.reset();
    enc.floatsV2Start();
    enc.floatV2(9, 2000, 1.0);
    enc.floatV2(9, 3000, 2.0);
    enc.floatRunEnd(out);
    byte[] theRun = Arrays.copyOf(out.array(), out.length());
    out.reset();
    enc.floatsV2Start();
    enc.floatV2(9, 4000, 2.0);
    enc.floatsV2End(out);
    byte[] last = Arrays.copyOf(out.array(), out.length());
    // The run alone decodes (its first value whole), and so does what follows it.
    assertThat(decode(new RecordDecoder(), theRun)).hasSize(2);
    RecordDecoder skipping = new RecordDecoder();
    decode(skipping, first);
    skipping.floatRunHeader(new ByteSource("test", theRun), new RecordDecoder.FloatRunHeader());
    assertThat(decode(skipping, last)).containsExactly(sample(9, 4000, 2.0));
  }

  @Test
  void writersRefuseWhatIsNotOneSeriesInOrder() {
    assertThatThrownBy(() -> run(3, new long[] {10, 10}, new double[] {1, 2}))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("timestamp 10 after 10");
    RecordEncoder enc = new RecordEncoder();
    enc.floatsV2Start();
    enc.floatV2(3, 10, 1);
    enc.floatV2(4, 20, 1);
    assertThatThrownBy(() -> enc.floatRunEnd(new ByteSink(16)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("has a sample of 4");
    RecordEncoder chained = new RecordEncoder();
    chained.floatsV2StartCallerChained();
    chained.floatV2(3, 10, 1, Double.doubleToRawLongBits(0.5));
    assertThatThrownBy(() -> chained.floatRunEnd(new ByteSink(16)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("NO_PREVIOUS");
  }

  @Test
  void aHeaderThatDoesNotMatchItsSamplesFailsToDecode() {
    byte[] good = run(7, new long[] {100, 200, 300}, new double[] {1, 2, 3});
    // Header: type, ref 7, first 100 (zig-zag 200: c8 01), last 300 (zig-zag 600: d8 04).
    assertThat(Arrays.copyOf(good, 6)).containsExactly(0x14, 7, 0xc8, 0x01, 0xd8, 0x04);
    byte[] lastWrong = good.clone();
    lastWrong[4] = (byte) 0xd6; // last 299
    assertThatThrownBy(() -> decode(new RecordDecoder(), lastWrong))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("spans [100, 300], its header says [100, 299]");
    byte[] otherRef = good.clone();
    otherRef[1] = 8;
    assertThatThrownBy(() -> decode(new RecordDecoder(), otherRef))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("float run of series 8 holds a sample of series 7");
    byte[] tooShort = good.clone();
    tooShort[2] = (byte) 0xd0; // first 104: 3 increasing timestamps need a span of 2
    tooShort[4] = (byte) 0xd2; // last 105
    tooShort[5] = 0x01;
    assertThatThrownBy(() -> new RecordDecoder().floatRunHeader(new ByteSource("test",
        tooShort), new RecordDecoder.FloatRunHeader()))
        .isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("with 3 samples in [104, 105]");
    byte[] refZero = good.clone();
    refZero[1] = 0;
    assertThatThrownBy(() -> decode(new RecordDecoder(), refZero))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("ref 0 not in [1, 2^31)");
  }
}
