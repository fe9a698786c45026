package dev.vigil.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.value.Sample;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.Value;
import dev.vigil.promql.value.Vector;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Function edge cases the conformance suite does not pin down: empty input, NaN, Inf, counter
 * resets, single samples, times outside the data. Each case: the samples of series {@code x}
 * (every 15s from t=15s, null for a gap), a query evaluated at 60s, and the expected value of
 * its single result (null: empty result). Expected values are worked out by hand from
 * Prometheus's formulas.
 */
class FunctionEdgeCasesTest {
  private static final Double NONE = null;

  static Stream<Arguments> cases() {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    return Stream.of(
        // rate / increase / delta: extrapolation and counter resets.
        Arguments.argumentSet("increase extrapolates to the window start",
            new Double[] {10.0, 20.0, 30.0, 40.0}, "increase(x[1m])", 40.0),
        Arguments.argumentSet("rate is increase per second",
            new Double[] {10.0, 20.0, 30.0, 40.0}, "rate(x[1m])", 40.0 / 60),
        Arguments.argumentSet("increase corrects a counter reset",
            new Double[] {10.0, 20.0, 5.0, 15.0}, "increase(x[1m])", 25.0 * 60 / 45),
        Arguments.argumentSet("increase stops extrapolating at zero",
            new Double[] {1.0, 101.0, 201.0, 301.0}, "increase(x[1m])",
            300.0 * (45 + 45.0 / 300) / 45),
        Arguments.argumentSet("delta does not correct resets",
            new Double[] {10.0, 20.0, 5.0, 15.0}, "delta(x[1m])", 5.0 * 60 / 45),
        Arguments.argumentSet("rate of a single sample is empty",
            new Double[] {NONE, NONE, NONE, 5.0}, "rate(x[1m])", NONE),
        Arguments.argumentSet("rate of nothing is empty",
            new Double[] {NONE, NONE, NONE, NONE}, "rate(x[1m])", NONE),
        Arguments.argumentSet("irate after a reset uses the new value",
            new Double[] {NONE, NONE, 10.0, 5.0}, "irate(x[1m])", 5.0 / 15),
        Arguments.argumentSet("idelta of two samples",
            new Double[] {NONE, NONE, 10.0, 4.0}, "idelta(x[1m])", -6.0),
        Arguments.argumentSet("idelta of one sample is empty",
            new Double[] {NONE, NONE, NONE, 4.0}, "idelta(x[1m])", NONE),
        // *_over_time with NaN and Inf.
        Arguments.argumentSet("sum_over_time propagates NaN",
            new Double[] {1.0, nan, 2.0, 3.0}, "sum_over_time(x[1m])", nan),
        Arguments.argumentSet("max_over_time skips a leading NaN",
            new Double[] {nan, 1.0, NONE, NONE}, "max_over_time(x[1m])", 1.0),
        Arguments.argumentSet("min_over_time over Inf",
            new Double[] {inf, 3.0, NONE, NONE}, "min_over_time(x[1m])", 3.0),
        Arguments.argumentSet("avg_over_time with +Inf is +Inf",
            new Double[] {inf, 1.0, NONE, NONE}, "avg_over_time(x[1m])", inf),
        Arguments.argumentSet("avg_over_time of huge values does not overflow",
            new Double[] {Double.MAX_VALUE, Double.MAX_VALUE, NONE, NONE},
            "avg_over_time(x[1m])", Double.MAX_VALUE),
        Arguments.argumentSet("stddev_over_time of one sample is 0",
            new Double[] {NONE, NONE, NONE, 7.0}, "stddev_over_time(x[1m])", 0.0),
        Arguments.argumentSet("stdvar_over_time",
            new Double[] {1.0, 2.0, 3.0, 4.0}, "stdvar_over_time(x[1m])", 1.25),
        Arguments.argumentSet("quantile_over_time median",
            new Double[] {4.0, 1.0, 3.0, 2.0}, "quantile_over_time(0.5, x[1m])", 2.5),
        Arguments.argumentSet("quantile_over_time above 1 is +Inf",
            new Double[] {4.0, 1.0, 3.0, 2.0}, "quantile_over_time(2, x[1m])", inf),
        Arguments.argumentSet("mad_over_time",
            new Double[] {1.0, 2.0, 3.0, 10.0}, "mad_over_time(x[1m])", 1.0),
        Arguments.argumentSet("count_over_time ignores gaps",
            new Double[] {1.0, NONE, 3.0, NONE}, "count_over_time(x[1m])", 2.0),
        Arguments.argumentSet("last_over_time",
            new Double[] {1.0, 2.0, 3.0, NONE}, "last_over_time(x[1m])", 3.0),
        Arguments.argumentSet("first_over_time",
            new Double[] {NONE, 2.0, 3.0, 4.0}, "first_over_time(x[1m])", 2.0),
        Arguments.argumentSet("ts_of_max_over_time picks the last maximum",
            new Double[] {5.0, 1.0, 5.0, 2.0}, "ts_of_max_over_time(x[1m])", 45.0),
        // changes, resets.
        Arguments.argumentSet("resets counts decreases",
            new Double[] {1.0, 0.0, 3.0, 1.0}, "resets(x[1m])", 2.0),
        Arguments.argumentSet("changes treats NaN to NaN as no change",
            new Double[] {1.0, nan, nan, 2.0}, "changes(x[1m])", 2.0),
        Arguments.argumentSet("changes of one sample is 0",
            new Double[] {NONE, NONE, NONE, 2.0}, "changes(x[1m])", 0.0),
        // deriv, predict_linear.
        Arguments.argumentSet("deriv of a line",
            new Double[] {1.0, 2.0, 3.0, 4.0}, "deriv(x[1m])", 1.0 / 15),
        Arguments.argumentSet("deriv of one sample is empty",
            new Double[] {NONE, NONE, NONE, 4.0}, "deriv(x[1m])", NONE),
        Arguments.argumentSet("predict_linear one minute ahead",
            new Double[] {1.0, 2.0, 3.0, 4.0}, "predict_linear(x[1m], 60)", 8.0),
        Arguments.argumentSet("deriv of a constant Inf is NaN",
            new Double[] {inf, inf, NONE, NONE}, "deriv(x[1m])", nan),
        Arguments.argumentSet("double_exponential_smoothing of a line",
            new Double[] {1.0, 2.0, 3.0, 4.0}, "double_exponential_smoothing(x[1m], 0.5, 0.5)", 4.0),
        // Instant functions.
        Arguments.argumentSet("clamp with max below min is empty",
            new Double[] {NONE, NONE, NONE, 3.0}, "clamp(x, 5, 1)", NONE),
        Arguments.argumentSet("clamp_max", new Double[] {NONE, NONE, NONE, 3.0},
            "clamp_max(x, 2)", 2.0),
        Arguments.argumentSet("round half up", new Double[] {NONE, NONE, NONE, 2.5}, "round(x)", 3.0),
        Arguments.argumentSet("round negative half up", new Double[] {NONE, NONE, NONE, -2.5},
            "round(x)", -2.0),
        Arguments.argumentSet("round to 0.1", new Double[] {NONE, NONE, NONE, 1.26},
            "round(x, 0.1)", 1.3),
        Arguments.argumentSet("sqrt of negative is NaN", new Double[] {NONE, NONE, NONE, -1.0},
            "sqrt(x)", nan),
        Arguments.argumentSet("ln of 0 is -Inf", new Double[] {NONE, NONE, NONE, 0.0}, "ln(x)",
            Double.NEGATIVE_INFINITY),
        Arguments.argumentSet("sgn keeps NaN", new Double[] {NONE, NONE, NONE, nan}, "sgn(x)", nan),
        Arguments.argumentSet("timestamp is the sample time",
            new Double[] {NONE, 1.0, NONE, NONE}, "timestamp(x)", 30.0),
        Arguments.argumentSet("day_of_week of the epoch is Thursday",
            new Double[] {NONE, NONE, NONE, 0.0}, "day_of_week(x)", 4.0),
        Arguments.argumentSet("days_in_month of February 2024",
            new Double[] {NONE, NONE, NONE, 1707782400.0}, "days_in_month(x)", 29.0),
        Arguments.argumentSet("histogram_quantile interpolates in a bucket",
            new Double[] {NONE, NONE, NONE, 2.0}, "histogram_quantile(0.25, label_replace(x, \"le\", \"+Inf\", \"\", \"\") or label_replace(x/2, \"le\", \"1\", \"\", \"\"))", 0.5),
        Arguments.argumentSet("histogram_quantile of nothing is empty",
            new Double[] {NONE, NONE, NONE, NONE}, "histogram_quantile(0.5, x)", NONE),
        // Out-of-range times and staleness.
        Arguments.argumentSet("selector beyond the lookback is empty",
            new Double[] {1.0, NONE, NONE, NONE}, "x offset 5m", NONE),
        Arguments.argumentSet("selector before the data is empty",
            new Double[] {1.0, 2.0, 3.0, 4.0}, "x offset 1h", NONE),
        Arguments.argumentSet("a stale marker ends the series",
            new Double[] {1.0, 2.0, StaleNaN.VALUE, NONE}, "x", NONE),
        Arguments.argumentSet("range functions skip stale markers",
            new Double[] {1.0, 2.0, StaleNaN.VALUE, 4.0}, "count_over_time(x[1m])", 3.0));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void evaluatesAt60s(Double[] samples, String query, Double expected) {
    InMemoryStorage storage = new InMemoryStorage();
    Appender app = storage.appender();
    Labels x = Labels.of("__name__", "x");
    for (int i = 0; i < samples.length; i++) {
      if (samples[i] != null) {
        app.append(0, x, (i + 1) * 15_000L, samples[i]);
      }
    }
    app.commit();
    Engine engine = new Engine(EngineOptions.forTests());
    Value v = engine.instantQuery(storage, Parser.parseExpr(query), 60_000).value();
    assertThat(v).isInstanceOf(Vector.class);
    List<Sample> result = ((Vector) v).samples();
    if (expected == null) {
      assertThat(result).isEmpty();
      return;
    }
    assertThat(result).hasSize(1);
    double got = result.get(0).f();
    if (expected.isNaN()) {
      assertThat(got).isNaN();
    } else if (expected.isInfinite()) {
      assertThat(got).isEqualTo(expected);
    } else {
      assertThat(got).isCloseTo(expected, within(Math.abs(expected) * 1e-12 + 1e-12));
    }
  }

  @Test
  void scalarOfEmptyVectorIsNaN() {
    Engine engine = new Engine(EngineOptions.forTests());
    Value v = engine.instantQuery(new InMemoryStorage(), Parser.parseExpr("scalar(nothing)"), 0)
        .value();
    assertThat(((Scalar) v).v()).isNaN();
  }

  @Test
  void absentReportsTheEqualityMatchers() {
    Engine engine = new Engine(EngineOptions.forTests());
    Value v = engine.instantQuery(new InMemoryStorage(),
        Parser.parseExpr("absent(nothing{job=\"a\", instance=~\"b\"})"), 0).value();
    assertThat(((Vector) v).samples()).containsExactly(
        Sample.ofFloat(Labels.of("job", "a"), 0, 1));
  }

  @Test
  void tooManySamplesFailsWithPrometheusMessage() {
    InMemoryStorage storage = new InMemoryStorage();
    Appender app = storage.appender();
    for (int s = 0; s < 20; s++) {
      for (int i = 0; i < 10; i++) {
        app.append(0, Labels.of("__name__", "x", "i", Integer.toString(s)), i * 15_000L, i);
      }
    }
    app.commit();
    Engine engine = new Engine(EngineOptions.forTests().withMaxSamples(50));
    assertThatThrownBy(() -> engine.rangeQuery(storage, Parser.parseExpr("x"), 0, 135_000,
        15_000))
        .isInstanceOf(QueryException.class)
        .hasMessage("query processing would load too many samples into memory in query execution");
  }

  @Test
  void rangeQueryRejectsRangeVectors() {
    Engine engine = new Engine(EngineOptions.forTests());
    assertThatThrownBy(() -> engine.rangeQuery(new InMemoryStorage(),
        Parser.parseExpr("x[5m]"), 0, 60_000, 15_000))
        .hasMessage("invalid expression type \"range vector\" for range query, must be Scalar "
            + "or instant Vector");
  }
}
