package dev.vigil.model.histogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the case tables taken from Prometheus's float_histogram_test.go. */
class FloatHistogramPrometheusCasesTest {

  static List<Fixtures.Case> add() {
    return Fixtures.load("add.txt");
  }

  static List<Fixtures.Case> sub() {
    return Fixtures.load("sub.txt");
  }

  static List<Fixtures.Case> mul() {
    return Fixtures.load("mul.txt");
  }

  static List<Fixtures.Case> div() {
    return Fixtures.load("div.txt");
  }

  static List<Fixtures.Case> detectReset() {
    return Fixtures.load("detect_reset.txt");
  }

  static List<Fixtures.Case> compact() {
    return Fixtures.load("compact.txt");
  }

  static List<Fixtures.Case> copyToSchema() {
    return Fixtures.load("copy_to_schema.txt");
  }

  static List<Fixtures.Case> reduceResolution() {
    return Fixtures.load("reduce_resolution.txt");
  }

  static List<Fixtures.Case> kahanAdd() {
    return Fixtures.load("kahan_add.txt");
  }

  /** Prometheus's require.Equal after Compact(0) on both sides. */
  static void assertSameCompacted(FloatHistogram actual, FloatHistogram expected) {
    if (expected == null) {
      return; // the Prometheus case checks only flags
    }
    FloatHistogram a = actual.compact();
    FloatHistogram e = expected.compact();
    assertThat(a.equalsExact(e))
        .as("expected %s%n but got %s", e, a).isTrue();
    assertThat(a.counterResetHint()).isEqualTo(e.counterResetHint());
    assertThat(a.customValues()).containsExactly(e.customValues());
    assertThat(a.positiveSpans()).isEqualTo(e.positiveSpans());
    assertThat(a.negativeSpans()).isEqualTo(e.negativeSpans());
  }

  /** Go's require.Equal: == on floats (so -0 equals 0), exact spans. */
  static void assertSameLayout(FloatHistogram actual, FloatHistogram expected) {
    assertThat(actual.schema()).isEqualTo(expected.schema());
    assertThat(actual.zeroThreshold()).isEqualTo(expected.zeroThreshold());
    assertThat(actual.zeroCount()).isEqualTo(expected.zeroCount());
    assertThat(actual.count()).isEqualTo(expected.count());
    assertThat(actual.sum()).isEqualTo(expected.sum());
    assertThat(sameValues(actual.positiveBuckets(), expected.positiveBuckets()))
        .as("positive buckets %s vs %s", actual, expected).isTrue();
    assertThat(sameValues(actual.negativeBuckets(), expected.negativeBuckets()))
        .as("negative buckets %s vs %s", actual, expected).isTrue();
    assertThat(actual.customValues()).containsExactly(expected.customValues());
    assertThat(actual.positiveSpans()).isEqualTo(expected.positiveSpans());
    assertThat(actual.negativeSpans()).isEqualTo(expected.negativeSpans());
    assertThat(actual.counterResetHint()).isEqualTo(expected.counterResetHint());
  }

  private static boolean sameValues(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] != b[i] && !(Double.isNaN(a[i]) && Double.isNaN(b[i]))) {
        return false;
      }
    }
    return true;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void add(Fixtures.Case c) {
    combine(c, false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void sub(Fixtures.Case c) {
    combine(c, true);
  }

  private static void combine(Fixtures.Case c, boolean subtract) {
    FloatHistogram a = c.histogram("in1");
    FloatHistogram b = c.histogram("in2");
    if (!c.get("expErrMsg").isEmpty()) {
      assertThatThrownBy(() -> {
        CombineResult unused = subtract ? a.sub(b) : a.add(b);
      })
          .isInstanceOf(IncompatibleHistogramsException.class)
          .hasMessage(c.get("expErrMsg"));
      return;
    }
    CombineResult r = subtract ? a.sub(b) : a.add(b);
    assertThat(r.counterResetCollision()).isEqualTo(c.flag("expCounterResetCollision"));
    assertThat(r.customBoundsReconciled()).isEqualTo(c.flag("expNHCBBoundsReconciled"));
    assertSameCompacted(r.histogram(), c.histogram("expected"));
    // The accumulator in Kahan mode must agree on these small, exact inputs.
    HistogramAccumulator acc = HistogramAccumulator.kahan().set(a);
    assertThat(subtract ? acc.sub(b) : acc.add(b)).isTrue();
    assertSameCompacted(acc.build(true), c.histogram("expected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void kahanAdd(Fixtures.Case c) {
    FloatHistogram a = c.histogram("in1");
    FloatHistogram comp = c.histogram("comp");
    HistogramAccumulator acc = HistogramAccumulator.kahan().setWithCompensation(a, comp);
    assertThat(acc.add(c.histogram("in2"))).isTrue();
    assertThat(acc.counterResetCollision()).isEqualTo(c.flag("expCounterResetCollision"));
    assertThat(acc.customBoundsReconciled()).isEqualTo(c.flag("expNHCBBoundsReconciled"));
    assertSameCompacted(acc.build(true), c.histogram("expectedSum"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void mul(Fixtures.Case c) {
    assertSameLayout(c.histogram("in").mul(Fixtures.num(c.get("scale"))), c.histogram("expected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void div(Fixtures.Case c) {
    assertSameLayout(c.histogram("fh").div(Fixtures.num(c.get("s"))), c.histogram("expected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void detectReset(Fixtures.Case c) {
    assertThat(c.histogram("current").detectReset(c.histogram("previous")))
        .isEqualTo(c.flag("resetExpected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void compact(Fixtures.Case c) {
    assertSameLayout(c.histogram("in").compact(Integer.parseInt(c.get("maxEmptyBuckets"))),
        c.histogram("expected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void copyToSchema(Fixtures.Case c) {
    assertSameLayout(c.histogram("in").copyToSchema(Integer.parseInt(c.get("targetSchema"))),
        c.histogram("expected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void reduceResolution(Fixtures.Case c) {
    FloatHistogram origin = c.histogram("origin");
    int target = Integer.parseInt(c.get("targetSchema"));
    if (!c.get("errorMsg").isEmpty()) {
      assertThatThrownBy(() -> origin.reduceResolution(target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(c.get("errorMsg"));
      return;
    }
    assertSameLayout(origin.reduceResolution(target), c.histogram("target"));
  }
}
