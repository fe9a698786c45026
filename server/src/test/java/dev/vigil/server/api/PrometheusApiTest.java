package dev.vigil.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.memory.InMemoryStorage;
import dev.vigil.promql.value.Matrix;
import dev.vigil.promql.value.RangeSeries;
import dev.vigil.promql.value.StringValue;
import dev.vigil.promql.value.Value;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON layer on its own: a fake query language returns fixed values. */
class PrometheusApiTest {
  /** Answers every query with {@code value} and one warning and info; selectors are names. */
  private record FixedLanguage(Value value) implements QueryLanguage {
    @Override
    public QueryOutcome instant(Queryable q, String query, long t) throws ApiException {
      if (query.isEmpty()) {
        throw ApiException.invalidParam("query", "unknown position: parse error: no expression "
            + "found in input");
      }
      return new QueryOutcome(value, List.of("PromQL warning: w"), List.of("PromQL info: i"), 0,
          0, 0);
    }

    @Override
    public QueryOutcome range(Queryable q, String query, long start, long end, long step)
        throws ApiException {
      return instant(q, query, start);
    }

    @Override
    public String format(String query) {
      return query;
    }

    @Override
    public void writeSyntaxTree(String query, JsonWriter out) {
      out.nullValue();
    }

    @Override
    public List<List<Matcher>> selectors(String query) {
      return query.startsWith("1") ? List.of() : List.of(parseSelector(query));
    }

    @Override
    public List<Matcher> parseSelector(String selector) {
      return List.of(Matcher.equal(Labels.METRIC_NAME, selector));
    }
  }

  private static PrometheusApi api(Value v) {
    return new PrometheusApi(new FixedLanguage(v),
        Clock.fixed(Instant.ofEpochMilli(1_500), ZoneOffset.UTC),
        new BuildInfo("1", "r", "b", "d", true, false), "a: 1\n", Map.of("x", "y"));
  }

  private static final Queryable EMPTY = new InMemoryStorage();

  @Test
  void matrixWithSpecialValuesAndAnnotations() {
    Matrix m = new Matrix(List.of(new RangeSeries(Labels.of("__name__", "a", "x", "1"),
        new long[] {1000, 2500}, new double[] {Double.NaN, Double.NEGATIVE_INFINITY},
        new long[0], new dev.vigil.model.histogram.FloatHistogram[0])));
    ApiResponse r = api(m).queryRange(ApiParams.parse("query=a&start=1&end=3&step=1", null),
        EMPTY);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
        + "\"result\":[{\"metric\":{\"__name__\":\"a\",\"x\":\"1\"},\"values\":[[1,\"NaN\"],"
        + "[2.500,\"-Inf\"]]}]},\"warnings\":[\"PromQL warning: w\"],"
        + "\"infos\":[\"PromQL info: i\"]}");
  }

  @Test
  void stringResultsAndDefaultTime() {
    ApiResponse r = api(new StringValue(1500, "hi")).query(ApiParams.parse("query=x", null), EMPTY);
    assertThat(r.bodyText()).startsWith("{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"string\",\"result\":[1.500,\"hi\"]}");
  }

  @Test
  void errorsUsePrometheusTypesAndStatuses() {
    PrometheusApi api = api(new StringValue(0, ""));
    ApiResponse empty = api.query(ApiParams.parse("", null), EMPTY);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.bodyText()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"query\\\": unknown position: parse error: no "
        + "expression found in input\"}");
    assertThat(api.queryRange(ApiParams.parse("query=x&start=0&end=1", null), EMPTY).bodyText())
        .contains("invalid parameter \\\"step\\\": cannot parse \\\"\\\" to a valid duration");
    assertThat(api.series(ApiParams.parse("", null), EMPTY).bodyText())
        .contains("no match[] parameter provided");
    assertThat(api.labelValues("a-b", ApiParams.parse("", null), EMPTY).bodyText())
        .contains("invalid label name: \\\"a-b\\\"");
    assertThat(api.labelNames(ApiParams.parse("limit=-1", null), EMPTY).bodyText())
        .contains("invalid parameter \\\"limit\\\": limit must be non-negative");
    assertThat(PrometheusApi.error(ErrorType.EXECUTION, "boom").status()).isEqualTo(422);
    assertThat(PrometheusApi.error(ErrorType.TIMEOUT, "slow").status()).isEqualTo(503);
  }

  @Test
  void buildInfoIdentifiesAsMimir() {
    assertThat(api(new StringValue(0, "")).buildInfo().bodyText()).contains(
        "\"application\":\"Grafana Mimir\"", "\"ruler_config_api\":\"true\"",
        "\"alertmanager_config_api\":\"false\"");
  }
}
