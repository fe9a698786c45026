package dev.vigil.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.histogram.CounterResetHint;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.histogram.Span;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.ValueKind;
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

class XorHistogramChunkTest {
  /** A histogram series as a scrape sees it: buckets that grow, a layout that rarely changes. */
  private static final class Series {
    private final Random r;
    private List<Span> spans;
    private double[] buckets;
    private double sum;
    private double zeroCount;
    private int schema;

    Series(Random r) {
      this.r = r;
      schema = r.nextInt(9) - 4;
      relayout();
    }

    private void relayout() {
      int n = 1 + r.nextInt(30);
      spans = List.of(new Span(r.nextInt(20) - 10, n));
      double[] old = buckets;
      buckets = new double[n];
      for (int i = 0; i < n; i++) {
        buckets[i] = old != null && i < old.length ? old[i] : r.nextInt(50);
      }
    }

    FloatHistogram next(boolean odd) {
      if (r.nextInt(40) == 0) {
        relayout(); // a new bucket appeared
      }
      if (r.nextInt(200) == 0) {
        schema = Math.max(-4, schema - 1); // the histogram was scaled down
      }
      double count = zeroCount;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += r.nextInt(4) == 0 ? r.nextInt(20) : 0;
        count += buckets[i];
      }
      zeroCount += r.nextInt(3);
      sum += r.nextDouble() * 10;
      double s = sum;
      if (odd) {
        double[] specials = {StaleNaN.VALUE, Double.NaN, -0.0, Double.POSITIVE_INFINITY,
            Double.longBitsToDouble(0x7ff8dead00000001L)};
        s = specials[r.nextInt(specials.length)];
      }
      return new FloatHistogram(CounterResetHint.values()[r.nextInt(10) == 0 ? r.nextInt(4) : 2],
          schema, 0.001, zeroCount, count + zeroCount, s, spans, buckets.clone(), List.of(),
          new double[0], null);
    }
  }

  @Test
  void roundTripsBitForBitThroughIteratorAndEnvelope() {
    Random r = new Random(21);
    for (int run = 0; run < 300; run++) {
      int n = 1 + r.nextInt(run % 10 == 0 ? 500 : 130);
      Series series = new Series(r);
      XorHistogramChunk c = new XorHistogramChunk();
      long[] ts = new long[n];
      FloatHistogram[] hs = new FloatHistogram[n];
      long t = r.nextLong(1L << 42) - (1L << 41);
      for (int i = 0; i < n; i++) {
        // Mostly regular scrapes, sometimes jitter, gaps of every dod width, or a wild jump.
        t += switch (r.nextInt(20)) {
          case 0 -> 1 + r.nextInt(1 << 16);
          case 1 -> 1 + r.nextInt(1 << 19);
          case 2 -> 1 + r.nextLong(1L << 40);
          case 3 -> 15_000 + r.nextInt(200) - 100;
          default -> 15_000;
        };
        ts[i] = t;
        hs[i] = r.nextInt(8) == 0 ? TestHistograms.random(r) : series.next(r.nextInt(30) == 0);
        c.append(t, hs[i]);
      }
      check(c.iterator(null), ts, hs, n);
      ByteSink sink = new ByteSink();
      ChunkEnvelope.write(sink, c);
      Chunk back = ChunkEnvelope.read(new ByteSource("env", sink.toByteArray()));
      assertThat(back.encoding()).isEqualTo(Encoding.FLOAT_HISTOGRAM_V3);
      assertThat(back.numSamples()).isEqualTo(n);
      check(back.iterator(null), ts, hs, n);
      check(Chunk.wrap(Encoding.FLOAT_HISTOGRAM_V3, c.bytes(), "wrapped").iterator(null), ts, hs,
          n);
    }
  }

  @Test
  void anIteratorKeepsItsPrefixWhileTheWriterGoesOn() {
    Random r = new Random(22);
    Series series = new Series(r);
    XorHistogramChunk c = new XorHistogramChunk();
    List<Long> ts = new ArrayList<>();
    List<FloatHistogram> hs = new ArrayList<>();
    List<SampleIterator> its = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ts.add(i * 15_000L);
      hs.add(series.next(false));
      c.append(i * 15_000L, hs.getLast());
      its.add(c.iterator(null));
    }
    for (int k = 0; k < its.size(); k++) {
      check(its.get(k), ts.stream().mapToLong(Long::longValue).toArray(),
          hs.toArray(new FloatHistogram[0]), k + 1);
    }
  }

  private static void check(SampleIterator it, long[] ts, FloatHistogram[] hs, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(it.next()).as("sample " + i).isEqualTo(ValueKind.HISTOGRAM);
      assertThat(it.atT()).as("t of sample " + i).isEqualTo(ts[i]);
      FloatHistogram got = it.atHistogram();
      assertThat(got).as("sample " + i).isEqualTo(hs[i]);
      assertThat(Double.doubleToRawLongBits(got.sum())).as("sum bits of sample " + i)
          .isEqualTo(Double.doubleToRawLongBits(hs[i].sum()));
      assertThat(Double.doubleToRawLongBits(got.zeroThreshold()))
          .isEqualTo(Double.doubleToRawLongBits(hs[i].zeroThreshold()));
    }
    assertThat(it.next()).isEqualTo(ValueKind.NONE);
  }

  @Test
  void counterHistogramsTakeAFractionOfV1sBytes() {
    // 120 scrapes of a 20-bucket histogram whose buckets grow slowly: what a head chunk holds.
    Random r = new Random(23);
    XorHistogramChunk v2 = new XorHistogramChunk();
    HistogramChunk v1 = new HistogramChunk();
    double[] b = new double[20];
    double sum = 0;
    for (int i = 0; i < 120; i++) {
      double count = 0;
      for (int k = 0; k < b.length; k++) {
        b[k] += r.nextInt(3) == 0 ? r.nextInt(5) : 0;
        count += b[k];
      }
      sum += r.nextInt(100) / 4.0;
      FloatHistogram h = new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 3, 0.001, 0,
          count, sum, List.of(new Span(-3, 20)), b.clone(), List.of(), new double[0], null);
      v1.append(i * 15_000L, h);
      v2.append(i * 15_000L, h);
    }
    double perSampleV2 = v2.byteLength() / 120.0;
    double perSampleV1 = v1.byteLength() / 120.0;
    assertThat(perSampleV1).isGreaterThan(180);
    assertThat(perSampleV2).as("bytes per sample, v1 %.1f", perSampleV1)
        .isLessThan(perSampleV1 / 5);
  }

  /** One bucket's counts; the others (count, zero count) follow it. */
  private static FloatHistogram bucketAt(double v) {
    return new FloatHistogram(CounterResetHint.GAUGE, 0, 0, 0, v, 1.5, List.of(new Span(0, 1)),
        new double[] {v}, List.of(), new double[0], null);
  }

  @Test
  void integerCountsComeBackBitForBitAtEveryWidthAndEdge() {
    long max = HistogramCodec.MAX_WHOLE;
    // Deltas of deltas at both ends of every width (3, 6, 9, 12, 18, 25, 56 bits), the widest
    // swing (-2^53 to 2^53 and back: a delta of delta of -2^55, the 64-bit case), and values
    // that are not whole numbers (or not exact as longs) in between, which switch the mode off.
    double[] values = {0, 0, 4, 8, 5, 5 + 32, 5 + 32 + 33 + 32, 1000, 1256, 1000 + 2 * 256 + 1,
        5000, 5000 + 2048, 5000 + 2 * 2048 + 2049, 1e6, 1e6 + 131_072, 1e6 + 2 * 131_072 + 131_073,
        1e9, 1e9 + (1 << 24), 1e9 + 2 * (1 << 24) + (1 << 24) + 1, -max, max, -max, max - 1,
        -0.0, 3, 3.5, 4, 5, Double.NaN, 6, 7, 1e300, 8, 9, max + 2, 10, 11, -7, -7, 0};
    XorHistogramChunk c = new XorHistogramChunk();
    long[] ts = new long[values.length];
    FloatHistogram[] hs = new FloatHistogram[values.length];
    for (int i = 0; i < values.length; i++) {
      ts[i] = 1000L * i;
      hs[i] = bucketAt(values[i]);
      c.append(ts[i], hs[i]);
    }
    check(c.iterator(null), ts, hs, values.length);
    for (int i = 0; i < values.length; i++) {
      FloatHistogram got = histogramsOf(c)[i];
      assertThat(Double.doubleToRawLongBits(got.count())).as("count bits of sample " + i)
          .isEqualTo(Double.doubleToRawLongBits(values[i]));
      assertThat(Double.doubleToRawLongBits(got.positiveBuckets()[0]))
          .isEqualTo(Double.doubleToRawLongBits(values[i]));
    }
    assertThat(HistogramCodec.isWholeCount(max)).isTrue();
    assertThat(HistogramCodec.isWholeCount(max + 2)).isFalse();
    assertThat(HistogramCodec.isWholeCount(-0.0)).isFalse();
    assertThat(HistogramCodec.isWholeCount(Double.NaN)).isFalse();
    assertThat(HistogramCodec.isWholeCount(2.5)).isFalse();
  }

  @Test
  void varbitWidthsEndWhereTheFormatSays() {
    // Each width w holds −(2^(w−1) − 1) … 2^(w−1); the code is the ones, a zero, the w bits.
    long[][] lengths = {{0, 1}, {1, 5}, {4, 5}, {5, 9}, {-3, 5}, {-4, 9}, {32, 9}, {33, 13},
        {-31, 9}, {-32, 13}, {256, 13}, {257, 17}, {2048, 17}, {2049, 24}, {131_072, 24},
        {131_073, 32}, {1L << 24, 32}, {(1L << 24) + 1, 64}, {1L << 55, 64},
        {(1L << 55) + 1, 72}, {-((1L << 55) - 1), 64}, {-(1L << 55), 72},
        {Long.MIN_VALUE, 72}, {Long.MAX_VALUE, 72}};
    for (long[] c : lengths) {
      assertThat(XorHistogramChunk.varbitLength(c[0])).as("bits of " + c[0]).isEqualTo((int) c[1]);
    }
  }

  @Test
  void growingCounterBucketsCostAFewBitsEach() {
    // 120 scrapes of 20 buckets, a third of them growing by 0-4 per scrape: integer mode codes
    // an unchanged bucket in one bit and a small change in five, where XOR needs about 20
    // (10.6 against 16.1 bytes per sample, a sum that XOR codes in both included).
    Random r = new Random(26);
    XorHistogramChunk ints = new XorHistogramChunk();
    XorHistogramChunk floats = new XorHistogramChunk();
    double[] b = new double[20];
    for (int i = 0; i < 120; i++) {
      double count = 0;
      for (int k = 0; k < b.length; k++) {
        b[k] += r.nextInt(3) == 0 ? r.nextInt(5) : 0;
        count += b[k];
      }
      ints.append(i * 15_000L, new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 3, 0.001,
          0, count, 12.5 * i, List.of(new Span(-3, 20)), b.clone(), List.of(), new double[0],
          null));
      // The same counts scaled by a non-integral factor: XOR-coded throughout, as in v2.
      double[] scaled = b.clone();
      for (int k = 0; k < scaled.length; k++) {
        scaled[k] *= 0.5;
      }
      floats.append(i * 15_000L, new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 3,
          0.001, 0.5, count * 0.5 + 0.5, 12.5 * i, List.of(new Span(-3, 20)), scaled,
          List.of(), new double[0], null));
    }
    double intBytes = ints.byteLength() / 120.0;
    double floatBytes = floats.byteLength() / 120.0;
    assertThat(intBytes).as("bytes per sample, XOR-coded %.1f", floatBytes)
        .isLessThan(floatBytes * 0.7);
  }

  @Test
  void steadyRatesCostABitPerCount() {
    // Every bucket grows by the same amount each scrape (a busy service at a steady rate): the
    // deltas are long, their deltas zero, so each count costs one bit.
    XorHistogramChunk c = new XorHistogramChunk();
    double[] b = new double[20];
    long[] ts = new long[120];
    FloatHistogram[] hs = new FloatHistogram[120];
    for (int i = 0; i < 120; i++) {
      double count = 0;
      for (int k = 0; k < b.length; k++) {
        b[k] += 100 * (k + 1);
        count += b[k];
      }
      ts[i] = i * 15_000L;
      hs[i] = new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 3, 0.001, 0, count, 0.25 * i,
          List.of(new Span(-3, 20)), b.clone(), List.of(), new double[0], null);
      c.append(ts[i], hs[i]);
    }
    check(c.iterator(null), ts, hs, 120);
    assertThat(c.byteLength() / 120.0).isLessThan(8);
  }

  @Test
  void layoutGoesOutOnlyWhenItChanges() {
    // Golden bytes: two samples of one layout, then a third with a new bucket.
    XorHistogramChunk c = new XorHistogramChunk();
    List<Span> one = List.of(new Span(0, 1));
    List<Span> two = List.of(new Span(0, 2));
    c.append(1000, new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 1, 1, one,
        new double[] {1}, List.of(), new double[0], null));
    c.append(16_000, new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 0, 0, 0, 1, 1, one,
        new double[] {1}, List.of(), new double[0], null));
    c.append(31_000, new FloatHistogram(CounterResetHint.NOT_COUNTER_RESET, 0, 0, 0, 3, 1.5, two,
        new double[] {1, 2}, List.of(), new double[0], null));
    assertThat(HexFormat.of().formatHex(c.bytes())).isEqualTo(GOLDEN);
    check(XorHistogramChunk.wrap(HexFormat.of().parseHex(GOLDEN), "golden").iterator(null),
        new long[] {1000, 16_000, 31_000}, histogramsOf(c), 3);
    // The same samples as the v2 writer (before v0.5) wrote them: no integer-mode bit.
    XorHistogramChunk v2 = XorHistogramChunk.wrapV2(HexFormat.of().parseHex(GOLDEN_V2), "v2");
    assertThat(v2.encoding()).isEqualTo(Encoding.FLOAT_HISTOGRAM_V2);
    check(v2.iterator(null), new long[] {1000, 16_000, 31_000}, histogramsOf(c), 3);
  }

  // 0003 | t=1000 as zig-zag varint d00f | then bits: hint 00 | layout: schema 00000000,
  // threshold (64 zero bits), 1 span (0, 1), 1 positive bucket, no negative spans or buckets,
  // no custom bounds | count, zero count, sum, bucket whole (64 bits each) | sample 2: Δt 15000
  // as uvarint, hint 10, layout bit 0, integer-mode bit 1 (its counts and the previous
  // sample's are whole numbers), delta-of-delta bit 0 (deltas are as short): count and zero
  // count deltas '0' '0', the sum XOR '0', the bucket's delta '0' | sample 3: dod '0', hint 10,
  // layout bit 1, the new layout, five values whole.
  private static final String GOLDEN =
      "0003d00f000000000000000000004000404000000ffc0000000000000000000000000000"
      + "0ffc0000000000000ffc000000000000261d640a00000000000000000002000404000000"
      + "801000000000000000000000000000007ff00000000000007fe000000000000080000000"
      + "00000000";

  // v2 (encoding 0x11): as above, but sample 2 has no integer-mode bit and its four unchanged
  // values are XOR-coded '0000'.
  private static final String GOLDEN_V2 =
      "0003d00f000000000000000000004000404000000ffc0000000000000000000000000000"
      + "0ffc0000000000000ffc000000000000261d602800000000000000000008001010000002"
      + "00400000000000000000000000000001ffc0000000000001ff8000000000000200000000"
      + "00000000";

  private static FloatHistogram[] histogramsOf(XorHistogramChunk c) {
    List<FloatHistogram> out = new ArrayList<>();
    SampleIterator it = c.iterator(null);
    while (it.next() != ValueKind.NONE) {
      out.add(it.atHistogram());
    }
    return out.toArray(new FloatHistogram[0]);
  }

  @Test
  void everyTruncationAndEveryFlipInTheEnvelopeIsDetected() {
    Random r = new Random(24);
    Series series = new Series(r);
    XorHistogramChunk c = new XorHistogramChunk();
    for (int i = 0; i < 40; i++) {
      c.append(i * 15_000L, series.next(i % 7 == 3));
    }
    ChunkDamage.everyTruncationFails(c);
    ChunkDamage.everyEnvelopeBitFlipFails(c);
  }

  @Test
  void garbageNeverAllocatesHugeArraysOrLoopsForever() {
    // Random bytes behind a plausible count: each read fails with a CorruptDataException or
    // yields histograms, never an OutOfMemoryError or another exception.
    Random r = new Random(25);
    for (int run = 0; run < 5000; run++) {
      byte[] b = new byte[2 + r.nextInt(200)];
      r.nextBytes(b);
      b[0] = 0;
      b[1] = (byte) (1 + r.nextInt(5));
      XorHistogramChunk c = XorHistogramChunk.wrap(b, "garbage");
      try {
        ChunkDamage.drain(c.iterator(null));
      } catch (CorruptDataException expected) {
        // fine
      }
    }
  }
}
