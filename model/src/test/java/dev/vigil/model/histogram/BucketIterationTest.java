package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketIterationTest {

  @Test
  void exponentialBoundsArePowersOfTwoAtSchemaZeroAndBelow() {
    assertThat(BucketBounds.exponentialBound(0, 0)).isEqualTo(1);
    assertThat(BucketBounds.exponentialBound(1, 0)).isEqualTo(2);
    assertThat(BucketBounds.exponentialBound(-1, 0)).isEqualTo(0.5);
    assertThat(BucketBounds.exponentialBound(1, -2)).isEqualTo(16);
    assertThat(BucketBounds.exponentialBound(-1, -4)).isEqualTo(Math.scalb(1.0, -16));
    assertThat(BucketBounds.exponentialBound(1, 1)).isEqualTo(Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-15));
    assertThat(BucketBounds.exponentialBound(2, 1)).isEqualTo(2);
    assertThat(BucketBounds.exponentialBound(256, 8)).isEqualTo(2);
    for (int schema = 0; schema <= 8; schema++) {
      for (int i = -1000; i < 1000; i++) {
        assertThat(BucketBounds.exponentialBound(i, schema))
            .isGreaterThan(BucketBounds.exponentialBound(i - 1, schema));
      }
    }
  }

  @Test
  void lastFiniteBucketEndsAtMaxFloat() {
    // Schema 0: bucket 1024 would end at 2^1024 = +Inf.
    assertThat(BucketBounds.exponentialBound(1024, 0)).isEqualTo(Double.MAX_VALUE);
    assertThat(BucketBounds.exponentialBound(1025, 0)).isInfinite();
    assertThat(BucketBounds.exponentialBound(1024 << 3, 3)).isEqualTo(Double.MAX_VALUE);
    assertThat(BucketBounds.exponentialBound(256, -2)).isEqualTo(Double.MAX_VALUE);
  }

  @Test
  void targetIndexMergesNeighbours() {
    // Schema 1 buckets 1,2 -> schema 0 bucket 1; 3,4 -> 2; -1,0 -> 0.
    assertThat(BucketBounds.targetIndex(1, 1, 0)).isEqualTo(1);
    assertThat(BucketBounds.targetIndex(2, 1, 0)).isEqualTo(1);
    assertThat(BucketBounds.targetIndex(3, 1, 0)).isEqualTo(2);
    assertThat(BucketBounds.targetIndex(0, 1, 0)).isEqualTo(0);
    assertThat(BucketBounds.targetIndex(-1, 1, 0)).isEqualTo(0);
    assertThat(BucketBounds.targetIndex(-2, 1, 0)).isEqualTo(-1);
  }

  @Test
  void customBounds() {
    double[] cv = {1, 5};
    assertThat(BucketBounds.bound(-1, -53, cv)).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(BucketBounds.bound(1, -53, cv)).isEqualTo(5);
    assertThat(BucketBounds.bound(2, -53, cv)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThatThrownBy(() -> BucketBounds.bound(3, -53, cv))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static List<String> forward(BucketIterator it) {
    List<String> out = new ArrayList<>();
    while (it.next()) {
      out.add(it.index() + ":" + it.bucket());
    }
    return out;
  }

  @Test
  void sideIteratorsBothDirections() {
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0.001, 2, 20, 1,
        List.of(new Span(-1, 2), new Span(2, 1)), new double[] {1, 2, 3},
        List.of(new Span(1, 1)), new double[] {4}, null);
    assertThat(forward(BucketIterator.positive(h))).containsExactly(
        "-1:(0.25,0.5]:1.0", "0:(0.5,1.0]:2.0", "3:(4.0,8.0]:3.0");
    assertThat(forward(BucketIterator.positiveReverse(h))).containsExactly(
        "3:(4.0,8.0]:3.0", "0:(0.5,1.0]:2.0", "-1:(0.25,0.5]:1.0");
    assertThat(forward(BucketIterator.negative(h))).containsExactly("1:[-2.0,-1.0):4.0");
    assertThat(forward(BucketIterator.negativeReverse(h))).containsExactly("1:[-2.0,-1.0):4.0");
  }

  @Test
  void allBucketsAscendingAndDescendingWithZeroBucket() {
    FloatHistogram h = HistogramNotation.parse(
        "{{schema:0 count:10 sum:1 z_bucket:3 z_bucket_w:0.7 buckets:[1 2]"
            + " n_buckets:[4]}}");
    List<String> asc = new ArrayList<>();
    AllBucketIterator it = AllBucketIterator.ascending(h);
    while (it.next()) {
      asc.add(it.bucket().toString());
    }
    // The positive bucket (0.5,1] overlaps the zero bucket and starts at the threshold instead.
    assertThat(asc).containsExactly("[-1.0,-0.7):4.0", "[-0.7,0.7]:3.0", "(0.7,1.0]:1.0",
        "(1.0,2.0]:2.0");
    List<String> desc = new ArrayList<>();
    it.reset(h, false);
    while (it.next()) {
      desc.add(it.bucket().toString());
    }
    assertThat(desc).containsExactly("(1.0,2.0]:2.0", "(0.7,1.0]:1.0", "[-0.7,0.7]:3.0",
        "[-1.0,-0.7):4.0");
  }

  @Test
  void customBucketsIterateWithInfiniteEnds() {
    FloatHistogram h = HistogramNotation.parse(
        "{{schema:-53 count:6 sum:3 custom_values:[1 2] buckets:[1 2 3]}}");
    assertThat(forward(BucketIterator.positive(h))).containsExactly(
        "0:[-Infinity,1.0]:1.0", "1:(1.0,2.0]:2.0", "2:(2.0,Infinity]:3.0");
  }

  @Test
  void zeroLengthSpansAreSkipped() {
    FloatHistogram h = new FloatHistogram(CounterResetHint.UNKNOWN, 0, 0, 0, 3, 0,
        List.of(new Span(0, 0), new Span(2, 1), new Span(0, 0), new Span(1, 1)),
        new double[] {1, 2}, List.of(), new double[0], null);
    List<Integer> fwd = new ArrayList<>();
    BucketIterator it = BucketIterator.positive(h);
    while (it.next()) {
      fwd.add(it.index());
    }
    assertThat(fwd).containsExactly(2, 4);
    List<Integer> rev = new ArrayList<>();
    it = BucketIterator.positiveReverse(h);
    while (it.next()) {
      rev.add(it.index());
    }
    assertThat(rev).containsExactly(4, 2);
  }
}
