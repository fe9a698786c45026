package dev.vigil.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.parser.Expr;
import dev.vigil.promql.parser.Parser;
import dev.vigil.promql.parser.VectorSelector;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistogramStatsDecodingTest {
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "histogram_count(sum(h)); 1",
      "histogram_sum(rate(h[5m])) + histogram_count(h); 2",
      "sum(h); 0",
      "histogram_count(increase(h[40m:9m])); 0",
      "histogram_count(histogram_quantile(0.5, h)); 0",
      "histogram_count(h </ 3); 0",
      "histogram_avg(h) / histogram_quantile(0.9, h); 1"})
  void findsSelectorsReadOnlyForStatistics(String query, int expected) {
    Expr e = Parser.parseExpr(query);
    Set<VectorSelector> found = HistogramStatsDecoding.selectors(e);
    assertThat(found).hasSize(expected);
  }
}
