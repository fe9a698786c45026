package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HistogramAccumulatorTest {

  private static FloatHistogram h(String notation) {
    return HistogramNotation.parse(notation);
  }

  @Test
  void sumsManyRandomHistogramsLikeAReferenceMap() {
    Random rnd = new Random(42);
    for (int round = 0; round < 200; round++) {
      int n = 1 + rnd.nextInt(20);
      List<FloatHistogram> hs = new ArrayList<>();
      int minSchema = 8;
      for (int i = 0; i < n; i++) {
        FloatHistogram h = random(rnd);
        minSchema = Math.min(minSchema, h.schema());
        hs.add(h);
      }
      Map<Integer, Double> pos = new TreeMap<>();
      Map<Integer, Double> neg = new TreeMap<>();
      double count = 0;
      double zero = 0;
      for (FloatHistogram h : hs) {
        FloatHistogram r = h.copyToSchema(minSchema);
        accumulate(BucketIterator.positive(r), pos);
        accumulate(BucketIterator.negative(r), neg);
        count += h.count();
        zero += h.zeroCount();
      }
      HistogramAccumulator kahan = HistogramAccumulator.kahan();
      HistogramAccumulator plain = HistogramAccumulator.plain();
      for (FloatHistogram h : hs) {
        assertThat(kahan.add(h)).isTrue();
        assertThat(plain.add(h)).isTrue();
      }
      for (FloatHistogram got : List.of(kahan.build(true), plain.build(true))) {
        assertThat(got.schema()).isEqualTo(minSchema);
        assertThat(got.count()).isEqualTo(count);
        assertThat(got.zeroCount()).isEqualTo(zero);
        assertThat(asMap(BucketIterator.positive(got))).isEqualTo(withoutZeros(pos));
        assertThat(asMap(BucketIterator.negative(got))).isEqualTo(withoutZeros(neg));
      }
    }
  }

  private static FloatHistogram random(Random rnd) {
    int schema = rnd.nextInt(4);
    List<Span> pos = new ArrayList<>();
    List<Double> pb = new ArrayList<>();
    spans(rnd, pos, pb);
    List<Span> neg = new ArrayList<>();
    List<Double> nb = new ArrayList<>();
    spans(rnd, neg, nb);
    double zero = rnd.nextInt(5);
    double count = zero;
    for (double v : pb) {
      count += v;
    }
    for (double v : nb) {
      count += v;
    }
    return new FloatHistogram(CounterResetHint.UNKNOWN, schema, 0, zero, count, count, pos,
        pb.stream().mapToDouble(Double::doubleValue).toArray(), neg,
        nb.stream().mapToDouble(Double::doubleValue).toArray(), null);
  }

  private static void spans(Random rnd, List<Span> spans, List<Double> buckets) {
    int k = rnd.nextInt(4);
    for (int i = 0; i < k; i++) {
      int len = rnd.nextInt(5);
      spans.add(new Span(i == 0 ? rnd.nextInt(40) - 20 : rnd.nextInt(6), len));
      for (int j = 0; j < len; j++) {
        buckets.add((double) rnd.nextInt(4));
      }
    }
  }

  private static void accumulate(BucketIterator it, Map<Integer, Double> into) {
    while (it.next()) {
      into.merge(it.index(), it.count(), Double::sum);
    }
  }

  private static Map<Integer, Double> asMap(BucketIterator it) {
    Map<Integer, Double> m = new TreeMap<>();
    accumulate(it, m);
    return m;
  }

  private static Map<Integer, Double> withoutZeros(Map<Integer, Double> m) {
    Map<Integer, Double> out = new TreeMap<>(m);
    out.values().removeIf(v -> v == 0);
    return out;
  }

  @Test
  void kahanKeepsSmallTermsThatPlainAdditionLoses() {
    FloatHistogram big = h("{{count:1 sum:1e100 buckets:[1e100]}}");
    FloatHistogram one = h("{{count:1 sum:1 buckets:[1]}}");
    FloatHistogram minus = h("{{count:1 sum:-1e100 buckets:[-1e100]}}");
    HistogramAccumulator kahan = HistogramAccumulator.kahan().set(one);
    kahan.add(big);
    kahan.add(minus);
    FloatHistogram k = kahan.build(false);
    assertThat(k.sum()).isEqualTo(1);
    assertThat(k.positiveBuckets()).containsExactly(1);
    FloatHistogram p = one.add(big).histogram().add(minus).histogram();
    assertThat(p.sum()).isZero();
  }

  @Test
  void incompatibleSchemasLeaveTheSumUnchanged() {
    HistogramAccumulator acc = HistogramAccumulator.kahan().set(h("{{count:1 buckets:[1]}}"));
    assertThat(acc.add(h("{{schema:-53 count:1 custom_values:[1] buckets:[1]}}"))).isFalse();
    assertThat(HistogramNotation.format(acc.build(true))).isEqualTo("{{count:1 buckets:[1]}}");
    assertThatThrownBy(() -> h("{{count:1 buckets:[1]}}")
        .sub(h("{{schema:-53 count:1 custom_values:[1] buckets:[1]}}")))
        .isInstanceOf(IncompatibleHistogramsException.class)
        .hasMessage(IncompatibleHistogramsException.MESSAGE);
  }

  @Test
  void mismatchedCustomBoundsReconcileToTheirIntersection() {
    HistogramAccumulator acc = HistogramAccumulator.plain()
        .set(h("{{schema:-53 count:3 sum:3 custom_values:[1 2 5] buckets:[1 1 1]}}"));
    assertThat(acc.add(h("{{schema:-53 count:2 sum:2 custom_values:[2 3] buckets:[1 1]}}")))
        .isTrue();
    assertThat(acc.customBoundsReconciled()).isTrue();
    assertThat(HistogramNotation.format(acc.build(true)))
        .isEqualTo("{{schema:-53 count:5 sum:5 custom_values:[2] buckets:[3 2]}}");
  }

  @Test
  void counterResetHintsCombineLikePrometheus() {
    FloatHistogram reset = h("{{count:1 counter_reset_hint:reset}}");
    FloatHistogram notReset = h("{{count:1 counter_reset_hint:not_reset}}");
    FloatHistogram gauge = h("{{count:1 counter_reset_hint:gauge}}");
    FloatHistogram unknown = h("{{count:1}}");
    CombineResult r = reset.add(notReset);
    assertThat(r.counterResetCollision()).isTrue();
    assertThat(r.histogram().counterResetHint()).isEqualTo(CounterResetHint.UNKNOWN);
    assertThat(reset.add(gauge).histogram().counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
    assertThat(gauge.add(unknown).histogram().counterResetHint())
        .isEqualTo(CounterResetHint.GAUGE);
    assertThat(notReset.add(unknown).histogram().counterResetHint())
        .isEqualTo(CounterResetHint.UNKNOWN);
    assertThat(notReset.add(notReset).histogram().counterResetHint())
        .isEqualTo(CounterResetHint.NOT_COUNTER_RESET);
  }

  @Test
  void widerZeroBucketAbsorbsBucketsAndMovesToAPopulatedBoundary() {
    // 0.6 lies inside (0.5,1] which is populated in the first histogram, so the common threshold
    // becomes 1 and (0.5,1] joins the zero bucket.
    FloatHistogram a = h("{{count:6 z_bucket:1 z_bucket_w:0.001 offset:-1 buckets:[1 2 2]}}");
    FloatHistogram b = h("{{count:2 z_bucket:2 z_bucket_w:0.6}}");
    FloatHistogram sum = a.add(b).histogram().compact();
    assertThat(HistogramNotation.format(sum))
        .isEqualTo("{{count:8 z_bucket:6 z_bucket_w:1 offset:1 buckets:[2]}}");
  }

  @Test
  void mulDivAndOverflowDetection() {
    HistogramAccumulator acc = HistogramAccumulator.kahan()
        .set(h("{{count:4 sum:8 z_bucket:2 buckets:[1 1] counter_reset_hint:not_reset}}"));
    acc.mul(0.5);
    assertThat(HistogramNotation.format(acc.build(true)))
        .isEqualTo("{{count:2 sum:4 z_bucket:1 counter_reset_hint:not_reset buckets:[0.5 0.5]}}");
    acc.mul(-1);
    assertThat(acc.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
    acc.div(0);
    FloatHistogram z = acc.build(true);
    assertThat(z.positiveBuckets()).isEmpty();
    assertThat(z.count()).isEqualTo(Double.NEGATIVE_INFINITY);

    HistogramAccumulator big = HistogramAccumulator.kahan()
        .set(h("{{count:1e308 buckets:[1e308]}}"));
    HistogramAccumulator scratch = HistogramAccumulator.kahan().copyFrom(big);
    assertThat(scratch.hasOverflow()).isFalse();
    scratch.add(h("{{count:1e308 buckets:[1e308]}}"));
    assertThat(scratch.hasOverflow()).isTrue();
    assertThat(big.hasOverflow()).isFalse();
  }

  @Test
  void reusableAfterResetAndGrowsInBothDirections() {
    HistogramAccumulator acc = HistogramAccumulator.plain();
    for (int round = 0; round < 3; round++) {
      acc.reset();
      acc.add(h("{{count:1 offset:50 buckets:[1]}}"));
      acc.add(h("{{count:1 offset:-50 buckets:[1]}}"));
      acc.add(h("{{count:1 offset:100 buckets:[1]}}"));
      FloatHistogram got = acc.build(true);
      assertThat(got.positiveSpans())
          .containsExactly(new Span(-50, 1), new Span(99, 1), new Span(49, 1));
      assertThat(got.count()).isEqualTo(3);
    }
  }

  @Test
  void uncompactedBuildKeepsExplicitZeroBuckets() {
    FloatHistogram a = h("{{count:1 buckets:[1 0 0 1]}}");
    FloatHistogram b = h("{{count:1 offset:6 buckets:[0]}}");
    FloatHistogram sum = a.add(b).histogram();
    assertThat(sum.positiveSpans()).containsExactly(new Span(0, 4), new Span(2, 1));
    assertThat(sum.positiveBuckets()).containsExactly(1, 0, 0, 1, 0);
    assertThat(sum.compact().positiveSpans()).containsExactly(new Span(0, 1), new Span(2, 1));
  }
}
