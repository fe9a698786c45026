package dev.vigil.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.value.Annotation;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.promql.value.Scalar;
import dev.vigil.promql.value.StringValue;
import dev.vigil.promql.value.Vector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine behaviour around the functions: result shapes, limits, annotations, alignment. */
class EngineTest {
  private final InMemoryStorage storage = new InMemoryStorage();
  private final Engine engine = new Engine(EngineOptions.forTests());

  @BeforeEach
  void load() {
    Appender app = storage.appender();
    for (int i = 0; i <= 20; i++) {
      long t = i * 60_000L;
      app.append(0, Labels.of("__name__", "req_total", "job", "b"), t, i * 10);
      app.append(0, Labels.of("__name__", "req_total", "job", "a"), t, i * 20);
      app.append(0, Labels.of("__name__", "gauge", "job", "a"), t, i);
    }
    app.commit();
  }

  @Test
  void rangeQueryIsSortedByLabelsWithOnePointPerStep() {
    Matrix m = (Matrix) engine.rangeQuery(storage, Parser.parseExpr("req_total"), 0, 600_000,
        60_000).value();
    assertThat(m.series()).extracting(RangeSeries::labels).containsExactly(
        Labels.of("__name__", "req_total", "job", "a"),
        Labels.of("__name__", "req_total", "job", "b"));
    assertThat(m.series().get(0).floatTimestamps()).hasSize(11);
    assertThat(m.series().get(0).floatValues()[10]).isEqualTo(200);
  }

  @Test
  void instantQueryShapes() {
    assertThat(engine.instantQuery(storage, Parser.parseExpr("1 + 2"), 0).value())
        .isEqualTo(new Scalar(0, 3));
    assertThat(engine.instantQuery(storage, Parser.parseExpr("\"hi\""), 5).value())
        .isEqualTo(new StringValue(5, "hi"));
    assertThat(engine.instantQuery(storage, Parser.parseExpr("gauge[2m]"), 120_000).value())
        .isInstanceOf(Matrix.class);
    Vector v = (Vector) engine.instantQuery(storage, Parser.parseExpr("sum(req_total)"),
        600_000).value();
    assertThat(v.samples()).singleElement().satisfies(s -> {
      assertThat(s.f()).isEqualTo(300);
      assertThat(s.t()).isEqualTo(600_000);
    });
  }

  @Test
  void nameIsDroppedOnlyAtTheEnd() {
    Vector v = (Vector) engine.instantQuery(storage,
        Parser.parseExpr("label_replace(rate(req_total[5m]), \"x\", \"$1\", \"__name__\", \"(.*)\")"),
        600_000).value();
    assertThat(v.samples()).extracting(s -> s.labels().get("x")).containsOnly("req_total");
    assertThat(v.samples()).extracting(s -> s.labels().metricName()).containsOnly("");
  }

  @Test
  void subqueryStepsAreAlignedToMultiplesOfTheStep() {
    Matrix m = (Matrix) engine.instantQuery(storage,
        Parser.parseExpr("gauge[5m:2m]"), 601_000).value();
    assertThat(m.series().get(0).floatTimestamps()).containsExactly(360_000L, 480_000L, 600_000L);
  }

  @Test
  void nonCounterRateGivesAnInfoWithPosition() {
    String q = "rate(gauge[5m])";
    List<Annotation> annos = engine.instantQuery(storage, Parser.parseExpr(q), 600_000)
        .annotations();
    assertThat(annos).extracting(a -> a.render(q)).containsExactly(
        "PromQL info: metric might not be a counter, name does not end in "
            + "_total/_sum/_count/_bucket: \"gauge\" (1:6)");
  }

  @Test
  void timeoutFailsWithPrometheusMessage() {
    Engine impatient = new Engine(EngineOptions.forTests().withTimeout(Duration.ZERO));
    assertThatThrownBy(() -> impatient.instantQuery(storage, Parser.parseExpr("gauge"), 0))
        .isInstanceOf(QueryException.class)
        .hasMessage("query timed out in expression evaluation");
  }

  @Test
  void duplicateOutputSeriesFail() {
    assertThatThrownBy(() -> engine.instantQuery(storage,
        Parser.parseExpr("label_replace(req_total, \"job\", \"x\", \"\", \"\") * 1"), 600_000))
        .hasMessage("vector cannot contain metrics with the same labelset");
  }

  @Test
  void lookbackDeltaIsConfigurable() {
    Engine shortLookback = new Engine(EngineOptions.forTests().withLookbackDeltaMillis(30_000));
    assertThat(((Vector) shortLookback.instantQuery(storage, Parser.parseExpr("gauge"),
        1_245_000).value()).samples()).isEmpty();
    assertThat(((Vector) engine.instantQuery(storage, Parser.parseExpr("gauge"),
        1_245_000).value()).samples()).hasSize(1);
  }

  @Test
  void rangeAndInstantRatesAgreeAcrossCounterResets() {
    InMemoryStorage st = new InMemoryStorage();
    Appender app = st.appender();
    double[] a = {0, 10, 20, 5, 15, 25, 3, 9, 30, 40};
    double[] b = {7, 8, 1, 2, 3, 4, 5, 6, 7, 8};
    for (int i = 0; i < a.length; i++) {
      app.append(0, Labels.of("__name__", "c_total", "s", "a"), i * 15_000L, a[i]);
      app.append(0, Labels.of("__name__", "c_total", "s", "b"), i * 15_000L, b[i]);
    }
    app.commit();
    String q = "increase(c_total[45s])";
    Matrix m = (Matrix) engine.rangeQuery(st, Parser.parseExpr(q), 30_000, 135_000, 15_000)
        .value();
    for (RangeSeries rs : m.series()) {
      for (int i = 0; i < rs.floatCount(); i++) {
        Vector v = (Vector) engine.instantQuery(st, Parser.parseExpr(q),
            rs.floatTimestamps()[i]).value();
        double expected = v.samples().stream().filter(x -> x.labels().equals(rs.labels()))
            .findFirst().orElseThrow().f();
        assertThat(rs.floatValues()[i]).isEqualTo(expected);
      }
    }
    // Window (15s, 60s] of series a holds 20, 5, 15: increase 15 - 20 + 20 (reset) = 15 over
    // 30s, extrapolated by 15s to the window start: 15 * 45 / 30.
    Vector at60 = (Vector) engine.instantQuery(st, Parser.parseExpr(q), 60_000).value();
    assertThat(at60.samples()).filteredOn(x -> x.labels().get("s").equals("a"))
        .singleElement().satisfies(x -> assertThat(x.f()).isEqualTo(22.5));
  }
}
