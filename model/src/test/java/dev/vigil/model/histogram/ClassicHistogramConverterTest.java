package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClassicHistogramConverterTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  @Test
  void convertsCumulativeBucketsInAnyOrder() {
    FloatHistogram h = new ClassicHistogramConverter()
        .bucket(INF, 12).bucket(0.1, 5).bucket(1, 11).bucket(0.2, 7)
        .sum(33).count(12).convert();
    assertThat(HistogramNotation.format(h))
        .isEqualTo("{{schema:-53 count:12 sum:33 custom_values:[0.1 0.2 1] buckets:[5 2 4 1]}}");
    h.validate();
  }

  @Test
  void addsAnInfBucketFromTheCountAndTakesTheCountFromTheHighestBucket() {
    assertThat(HistogramNotation.format(
        new ClassicHistogramConverter().bucket(1, 2).bucket(2, 3).count(5).convert()))
        .isEqualTo("{{schema:-53 count:5 custom_values:[1 2] buckets:[2 1 2]}}");
    assertThat(HistogramNotation.format(
        new ClassicHistogramConverter().bucket(1, 2).bucket(INF, 3).convert()))
        .isEqualTo("{{schema:-53 count:3 custom_values:[1] buckets:[2 1]}}");
  }

  @Test
  void integralCountsKeepUpToTwoEmptyBucketsInsideASpan() {
    FloatHistogram h = new ClassicHistogramConverter()
        .bucket(1, 1).bucket(2, 1).bucket(3, 1).bucket(4, 2).bucket(INF, 2).convert();
    assertThat(h.positiveSpans()).containsExactly(new Span(0, 4));
    assertThat(h.positiveBuckets()).containsExactly(1, 0, 0, 1);
    FloatHistogram f = new ClassicHistogramConverter()
        .bucket(1, 0.5).bucket(2, 0.5).bucket(3, 0.5).bucket(4, 1.5).bucket(INF, 1.5).convert();
    assertThat(f.positiveSpans()).containsExactly(new Span(0, 1), new Span(2, 1));
  }

  @Test
  void duplicateBoundsAreIgnored() {
    FloatHistogram h = new ClassicHistogramConverter()
        .bucket(0.2, 1).bucket(0.2, 7).bucket(INF, 4).convert();
    assertThat(h.positiveBuckets()).containsExactly(1, 3);
  }

  @Test
  void reportsTheFirstProblem() {
    assertThatThrownBy(() -> new ClassicHistogramConverter().bucket(1, 5).bucket(2, 3).convert())
        .hasMessage("count is not cumulative: 3 < 5");
    assertThatThrownBy(() -> new ClassicHistogramConverter().bucket(Double.NaN, 1).convert())
        .hasMessage("bucket boundary must not be NaN");
    assertThatThrownBy(() -> new ClassicHistogramConverter().bucket(1, -1).convert())
        .hasMessageStartingWith("bucket count must be non-negative");
    assertThatThrownBy(() -> new ClassicHistogramConverter().bucket(INF, 3).count(4).convert())
        .hasMessageStartingWith("count mismatch");
    ClassicHistogramConverter c = new ClassicHistogramConverter().bucket(1, -1);
    assertThat(c.reset().bucket(INF, 1).convert().count()).isEqualTo(1);
  }
}
